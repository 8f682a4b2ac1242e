# Zero-downtime reload: replacements on the same sockets, ready before the old ones stop.
source "$(dirname "$0")/lib.sh"

port=$(free_port)
url="http://127.0.0.1:$port/"
mode="$WORK/mode"
echo 0 >"$mode"
pids_of() { jl --arg n "$1" '[.[] | select(.name == $n) | .pid] | sort | map(tostring) | join(",")'; }

# listen_timeout leaves room for the 3 s the wait_ready step's new version takes to be ready.
"$CXPM" start "$FIXTURES/graceful_server.js" --name web -i 2 --wait-ready --listen-timeout 6s \
  --env PORT="$port" --env MODE_FILE="$mode" >/dev/null
wait_for 10 has_status web online,online

step "20 reloads under continuous load, keep-alive and new connections: no failed request"
node "$FIXTURES/load.js" "$url" 4 "$WORK/stop" 120000 keepalive >"$WORK/keepalive.json" &
keepalive=$!
node "$FIXTURES/load.js" "$url" 4 "$WORK/stop" 120000 >"$WORK/close.json" &
close=$!
wait_for 10 test -e "$WORK/stop.started"
for round in $(seq 20); do
  "$CXPM" reload web >"$WORK/reload.out" || { cat "$WORK/reload.out"; fail "reload $round failed"; }
done
touch "$WORK/stop"
wait "$keepalive" "$close"
cat "$WORK/keepalive.json" "$WORK/close.json"
for result in keepalive close; do
  jq -e '.failed == 0 and .ok > 100' "$WORK/$result.json" >/dev/null ||
    fail "$result: requests failed during reloads"
done
[ "$(restarts_of web)" = 20 ] || fail "each reload should count as a restart"

step "reload prints old pid → new pid and the time to ready"
grep -qE "web\[0\]: pid [0-9]+ → [0-9]+, ready in [0-9]+ ms" "$WORK/reload.out" ||
  fail "unexpected reload output: $(cat "$WORK/reload.out")"

step "wait_ready: the old worker serves until the new one says ready"
echo 3000 >"$mode" # the new version listens and says ready 3 s after it starts
before=$(pids_of web)
"$CXPM" reload web --parallel 2 >"$WORK/reload.out" &
reload=$!
wait_for 10 has_instances web 4
[ "$(status_of web | tr , '\n' | grep -c launching)" = 2 ] || fail "replacements not launching"
# Until then the old workers are still there, and the only ones serving.
for pid in ${before//,/ }; do
  alive "$pid" || fail "old worker $pid stopped before its replacement was ready"
  wait_for 5 serves_pid "$url" "$pid"
done
wait "$reload" || fail "reload with wait_ready failed"
for pid in ${before//,/ }; do wait_for 5 dead "$pid"; done
after=$(pids_of web)
[ "$(worker_pids_answering "$url" 40 | paste -sd, -)" = "$after" ] || fail "new workers not serving"

step "a broken new version (exits at start): old workers keep serving, reload fails"
echo crash >"$mode"
before=$(pids_of web)
expect_fail "exited with code 1 before it was ready; the old process .* keeps serving" \
  "$CXPM" reload web
[ "$(pids_of web)" = "$before" ] || fail "old workers were replaced"
[ "$(status_of web)" = online,online ] || fail "a failed replacement was left behind"
answers "$url" || fail "not serving after a failed reload"
"$CXPM" describe web | grep_all "reload failed" || fail "describe does not tell"

step "a new version that never says ready: stopped after listen_timeout, old ones serve"
echo never >"$mode"
expect_fail "was not ready within listen_timeout" "$CXPM" reload web
[ "$(pids_of web)" = "$before" ] || fail "old workers were replaced"
answers "$url" || fail "not serving after a timed-out reload"

step "fork mode reloads as a restart, and says so"
"$CXPM" start sleep --name napper -- 1000 >/dev/null
"$CXPM" reload napper | grep_all "restarted" || fail "fork-mode reload did not say restart"

step "sd_notify: READY=1 from a Python app"
# A wide window before READY=1: `start` and `jlist` under ASan on a loaded machine can take
# most of a second between them.
READY_DELAY=3 "$CXPM" start "$FIXTURES/notify_ready.py" --name notifier --wait-ready \
  --listen-timeout 20000 >/dev/null
[ "$(status_of notifier)" = launching ] || fail "not launching before READY=1 ($(status_of notifier))"
wait_for 10 has_status notifier online
"$CXPM" describe notifier | grep_all "ready (READY=1)" || fail "readiness not attributed"
echo "ok"
