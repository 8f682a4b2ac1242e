# Hostile clients of the same uid and strangers on the notify socket: every limit answers
# clearly, and the daemon keeps serving everyone else (issue 11, problems 3 and 4).
# ctest-timeout: 240
source "$(dirname "$0")/lib.sh"

client() { python3 "$FIXTURES/limits_client.py" "$CXPM_HOME/cxpm.sock" "$@"; }
daemon_serves() { "$CXPM" ping | grep_all pong; }
# Memory figures mean nothing under a sanitizer (shadow memory, quarantined frees).
rss_below() { ldd "$CXPM" | grep_all libasan || [ "$1" -lt "$2" ]; }

"$CXPM" start sleep --name napper -- 1000 >/dev/null
daemon=$(cat "$CXPM_HOME/daemon.pid")

step "a request nested 131,072 arrays deep is refused; the daemon lives"
out=$(client nested 131072)
jq -e '.error.code == "bad_request" and (.error.message | contains("64 levels"))' <<<"$out" \
  >/dev/null || fail "deep nesting not refused: $out"
out=$(client nested 10)
jq -e '.id == 3 and .result.pid > 0' <<<"$out" >/dev/null || fail "shallow nesting refused: $out"

step "an id of 2^64-1 is refused, not turned into -1; 2^63-1 comes back exact"
out=$(client send '{"v":1,"id":18446744073709551615,"method":"ping"}' \
  '{"v":1,"id":9223372036854775807,"method":"ping"}')
jq -se '.[0].error.code == "bad_request" and (.[0].error.message | contains("out of range"))' \
  <<<"$out" >/dev/null || fail "a huge id was not refused: $out"
grep -q '"id":9223372036854775807' <<<"$out" || fail "the largest id did not come back: $out"

step "an empty line gets an error reply"
out=$(client send '' '{"v":1,"id":4,"method":"ping"}')
jq -se '.[0].error.code == "bad_request" and (.[0].error.message | contains("empty line")) and
  .[1].id == 4' <<<"$out" >/dev/null || fail "the empty line was not answered: $out"

step "duplicate keys are refused: ping-then-kill does not kill"
out=$(client send '{"v":1,"id":5,"method":"ping","method":"kill"}' \
  '{"v":1,"id":6,"method":"ping","args":{"a":{"b":1,"b":2}}}')
jq -se 'all(.error.code == "bad_request") and (.[0].error.message | contains("\"method\"")) and
  (.[1].error.message | contains("$.args.a"))' <<<"$out" >/dev/null ||
  fail "duplicate keys were accepted: $out"
alive "$daemon" && daemon_serves || fail "the daemon did not survive the requests"

step "1,100 idle connections: the cap refuses clearly, memory stays small, ping answers"
out=$(client connections 1100 "$daemon")
echo "$out"
jq -e '.refused > 0 and .refusal.error.code == "too_many_connections" and
  (.refusal.error.message | test("at most [0-9]+ clients"))' <<<"$out" >/dev/null ||
  fail "the connection cap did not refuse clearly: $out"
limit=$(jq -r '.refusal.error.message | capture("at most (?<n>[0-9]+)").n' <<<"$out")
[ "$(jq .held <<<"$out")" -le "$limit" ] || fail "more connections held than the cap: $out"
rss_below "$(jq .rss_kib <<<"$out")" $((32 * 1024)) || fail "idle connections cost too much: $out"
daemon_serves || fail "ping failed after the connections closed"

step "unfinished large requests from many clients: the later ones are refused, memory bounded"
out=$(client partial 5 40 "$daemon")
echo "$out" | jq -c '.refusal.error.message |= .[0:80]'
jq -e '.refused >= 1 and (.refusal.error.message | test("unfinished requests from all clients"))' \
  <<<"$out" >/dev/null || fail "unfinished requests were not bounded: $out"
rss_below "$(jq .rss_kib <<<"$out")" $((256 * 1024)) || fail "unfinished requests cost too much: $out"
daemon_serves || fail "ping failed after the large requests"

step "10 clients pipelining 300 lists without reading do not stall ping"
out=$(client pipeline)
echo "$out"
# A generous bound: before the limits ping waited seconds behind the pipelines.
jq -e '.ping_ms | max < 2000' <<<"$out" >/dev/null || fail "ping stalled: $out"

step "followers that never read a chatty app are cut off with too_slow; memory stays bounded"
"$CXPM" start "$FIXTURES/logs_burst.sh" --name chatty -- 1000000000 >/dev/null
out=$(DAEMON_PID=$daemon client follow chatty 100)
echo "$out" | jq -c '{peak_rss_kib, events, code: .end.error.code}'
jq -e '.end.error.code == "too_slow" and (.end.error.message | contains("cut off"))' \
  <<<"$out" >/dev/null || fail "a reader that never read was not cut off: $out"
rss_below "$(jq .peak_rss_kib <<<"$out")" $((64 * 1024)) || fail "followers cost too much: $out"
"$CXPM" stop chatty >/dev/null
daemon_serves || fail "ping failed after the followers"

step "a notify flood from another uid is dropped; an app's READY=1 still counts"
install -m 644 "$FIXTURES/limits_client.py" "$WORK/limits_client.py"
chmod 755 "$WORK"
setpriv --reuid=nobody --regid=nogroup --clear-groups \
  /usr/bin/python3 "$WORK/limits_client.py" - flood "@cxpm-notify-$daemon" 8 >"$WORK/flood.out" &
flooder=$!
# The flood is under way: the daemon has dropped (and said so) a datagram of it.
wait_for 10 grep -q "dropped .* notify datagram" "$CXPM_HOME/daemon.log"
READY_DELAY=1 "$CXPM" start "$FIXTURES/notify_ready.py" --name notifier --wait-ready \
  --listen-timeout 60000 >/dev/null
wait_for 20 has_status notifier online
alive "$flooder" || fail "the flood ended before the app was ready: $(cat "$WORK/flood.out")"
wait "$flooder"
grep -q "dropped .* notify datagram" "$CXPM_HOME/daemon.log" || fail "drops were not logged"
[ "$(grep -c "notify datagram" "$CXPM_HOME/daemon.log")" -le 3 ] ||
  fail "drops were logged too often: $(grep -c "notify datagram" "$CXPM_HOME/daemon.log") lines"
daemon_serves || fail "ping failed after the flood"

step "with CXPM_IDLE_TIMEOUT_MS, a silent connection is closed; a follower is not"
"$CXPM" kill >/dev/null
wait_for 10 dead "$daemon"
CXPM_IDLE_TIMEOUT_MS=400 "$CXPM" start sleep --name napper -- 1000 >/dev/null
out=$(client idle)
jq -e '.reply[0].error.code == "idle_timeout" and .eof and .after_ms >= 300 and
  .after_ms < 10000' <<<"$out" >/dev/null || fail "the idle connection was not closed: $out"
"$CXPM" logs napper >"$WORK/follower.out" 2>&1 &
follower=$!
wait_for 10 awaiting_reply "$follower" # it follows, silent
# Two silent connections opened after it are closed as idle, one after the other; the
# follower, as silent, outlives both.
for _ in 1 2; do
  jq -e '.reply[0].error.code == "idle_timeout"' <<<"$(client idle)" >/dev/null ||
    fail "a silent connection was not closed as idle"
done
alive "$follower" || fail "a logs follower was closed as idle: $(cat "$WORK/follower.out")"
kill "$follower"
daemon_serves || fail "ping failed at the end"
echo "ok"
