# Retiring workers drain before they are signalled: an ordinary server (no signal handler, so
# SIGINT ends it at once) loses no request to reloads, scale-downs or the stop of one
# instance, and a worker killed with SIGKILL refuses no connection. Load: a new connection per
# request, 4 clients (fixtures/load.js).
# ctest-timeout: 300
source "$(dirname "$0")/lib.sh"

port=$(free_port)
url="http://127.0.0.1:$port/"
id_of_pid() { jl --argjson p "$1" '[.[] | select(.pid == $p) | .id] | first'; }
field_of_id() { jl --argjson i "$1" --arg f "$2" '[.[] | select(.id == $i) | .[$f]] | first'; }
status_of_id_is() { [ "$(field_of_id "$1" status)" = "$2" ]; }

# load NAME: clients until unload NAME, which prints their counts (lib.sh's start_load).
load() { start_load "$1" "$url"; }
unload() { stop_load "$1" && cat "$WORK/$1.json"; }

"$CXPM" start "$FIXTURES/ordinary_server.js" --name plain -i 2 --wait-ready \
  --env PORT="$port" --env SLOW_FILE="$WORK/slow.pid" >/dev/null
wait_for 15 has_status plain online,online

step "describe: connections are steered by a cBPF program on the reuseport group"
"$CXPM" describe plain >"$WORK/describe.out"
grep_all "connection steering *cBPF on the reuseport group, 2 of 2 sockets accepting" \
  "$WORK/describe.out" || fail "describe: $(cat "$WORK/describe.out")"

step "20 reloads under new-connection load: no request fails"
load reloads
for round in $(seq 20); do
  "$CXPM" reload plain >"$WORK/reload.out" || { cat "$WORK/reload.out"; fail "reload $round failed"; }
done
unload reloads
load_failed_none reloads || fail "requests failed during reloads"
grep -qE "plain\[1\]: pid [0-9]+ → [0-9]+, ready in [0-9]+ ms, old drained in [0-9]+ ms" \
  "$WORK/reload.out" || fail "the reload report lacks the drain: $(cat "$WORK/reload.out")"
"$CXPM" describe plain | grep_all "2 of 2 sockets accepting" ||
  fail "the retired workers' sockets are still in the group"

step "scale -1 under load: no request fails"
"$CXPM" scale plain 3 >/dev/null
wait_for 15 has_status plain online,online,online
load scale
"$CXPM" scale plain -1 >/dev/null
unload scale
load_failed_none scale || fail "requests failed during scale -1"
[ "$(status_of plain)" = online,online ] || fail "scale -1 left $(status_of plain)"

step "stop of one instance under load: no request fails"
load stop
victim=$(jl '[.[] | select(.name == "plain")] | first | .id')
"$CXPM" stop "$victim" >/dev/null
unload stop
load_failed_none stop || fail "requests failed during the stop of one instance"
"$CXPM" start "$victim" >/dev/null
wait_for 15 has_status plain online,online

step "a request in flight holds the stop: the worker shows as draining, then answers"
rm -f "$WORK/slow.pid"
curl -sf -m 15 "${url}slow" >"$WORK/slow.out" &
slow=$!
wait_for 5 test -s "$WORK/slow.pid"
holder=$(cat "$WORK/slow.pid")
holder_id=$(id_of_pid "$holder")
"$CXPM" stop "$holder_id" >/dev/null &
stopping=$!
wait_for 5 status_of_id_is "$holder_id" stopping
"$CXPM" ls | grep_all "stopping (draining)" || fail "ls does not show the drain"
field_of_id "$holder_id" status_reason | grep_all "1 connection mid-request" ||
  fail "no drain shown: $(field_of_id "$holder_id" status_reason)"
wait "$slow" || fail "the request in flight failed"
grep_all "hello from pid $holder" "$WORK/slow.out" || fail "answered by someone else"
wait "$stopping"
"$CXPM" describe "$holder_id" | grep_all "drained in [0-9]* ms" || fail "describe lacks the drain"
"$CXPM" start "$holder_id" >/dev/null
wait_for 15 has_status plain online,online

step "drain_timeout bounds a drain"
brief_port=$(free_port)
"$CXPM" start "$FIXTURES/ordinary_server.js" --name brief -i 2 --wait-ready --drain-timeout 300ms \
  --env PORT="$brief_port" --env SLOW_FILE="$WORK/brief.pid" --env WARMUP_MS=0 >/dev/null
wait_for 15 has_status brief online,online
curl -s -m 10 "http://127.0.0.1:$brief_port/slow" >/dev/null &
brief_slow=$!
wait_for 5 test -s "$WORK/brief.pid"
brief_id=$(id_of_pid "$(cat "$WORK/brief.pid")")
"$CXPM" stop "$brief_id" >/dev/null
"$CXPM" describe "$brief_id" | grep_all "drain_timeout passed" || fail "drain_timeout not told"
wait "$brief_slow" || true
"$CXPM" delete brief >/dev/null

step "kill -9 of a worker under load: no connection refused, no latency step"
now_ms() { date +%s%3N; }
# p99 FROM TO: the 99th percentile of the answer times of the requests sent in [FROM, TO) ms.
p99() {
  awk -v from="$1" -v to="$2" '$1 >= from && $1 < to { print $2 }' "$WORK/crash.latency" |
    sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR * 99 + 99) / 100)]; else print "none" }'
}
LATENCY_FILE="$WORK/crash.latency" load crash
sleep 2 # a window of steady load to compare with: a measurement, not a wait for an event
killed=$(jl '[.[] | select(.name == "plain")] | first | .pid')
killed_at=$(now_ms)
kill -9 "$killed"
wait_for 15 pid_changed plain "$killed"
wait_for 15 has_status plain online,online
second_passed() { [ "$(now_ms)" -ge $((killed_at + 1000)) ]; }
wait_for 5 second_passed # the second after the kill is measured
unload crash
jq -e '(.errors.ECONNREFUSED // 0) == 0 and .ok > 50' "$WORK/crash.json" >/dev/null ||
  fail "connections refused or no answers after kill -9"
# Steady: up to 200 ms before the kill (a request sent just before it may be in the killed
# worker's queue, which its replacement serves).
steady=$(p99 $((killed_at - 2000)) $((killed_at - 200)))
after=$(p99 "$killed_at" $((killed_at + 1000)))
answers=$(awk -v from=$((killed_at - 2000)) -v to=$((killed_at - 200)) \
  '$1 >= from && $1 < to' "$WORK/crash.latency" | wc -l)
echo "p99 of new connections: ${steady} ms steady, ${after} ms in the second after the kill" \
  "($answers answers in the steady 1.8 s)"
[ "$steady" != none ] && [ "$after" != none ] || fail "no answers to measure"
# What waits for the replacement is what reached the killed worker's socket before the daemon
# saw the exit: a share of about (the daemon's reaction time / 2 s) of the second's requests,
# whatever the rate. A machine so loaded that 4 clients get fewer than ~170 answers a second
# delays the daemon's reaction by tens of milliseconds, and measures that load, not cxpm.
if [ "$answers" -lt 300 ] || [ -n "${ASAN_OPTIONS:-}" ]; then
  # Under a sanitizer the daemon's own reaction is several times slower: that measures ASan.
  echo "too loaded a machine, or a sanitizer build, to judge the latency after the kill; not judged"
else
  # Within 2x of the steady p99. The step this guards against is a wait for the replacement
  # (its 700 ms warm-up and more); a floor of 20 ms keeps a steady p99 of a few milliseconds
  # from making scheduling noise on a shared machine a failure.
  [ "$after" -le $((steady * 2 > steady + 20 ? steady * 2 : steady + 20)) ] ||
    fail "a latency step after the kill: p99 ${after} ms against ${steady} ms steady"
fi

step "kill -9 of the daemon: the next one steers and drains in the order it recorded"
recorded_order() {
  jq -e '[.socket_groups[] | select(.app == "plain") | .sockets | length] == [2]' \
    "$CXPM_HOME/state.json" >/dev/null
}
wait_for 10 recorded_order
kill -9 "$(cat "$CXPM_HOME/daemon.pid")"
"$CXPM" describe plain >"$WORK/adopted.out" # waits for the keeper's next daemon
grep_all "cBPF on the reuseport group, 2 of 2 sockets accepting" "$WORK/adopted.out" ||
  fail "steering did not survive the daemon: $(grep steering "$WORK/adopted.out")"
load adopted
for round in 1 2 3 4 5; do
  "$CXPM" reload plain >"$WORK/reload.out" || { cat "$WORK/reload.out"; fail "reload $round failed"; }
done
unload adopted
load_failed_none adopted || fail "requests failed in reloads after the daemon's crash"
grep_all "old drained in" "$WORK/reload.out" || fail "no drain after the crash: $(cat "$WORK/reload.out")"
"$CXPM" describe plain | grep_all "2 of 2 sockets accepting" ||
  fail "sockets of retired workers were left in the group: $("$CXPM" describe plain | grep steering)"

step "shared socket mode: no steering, and describe says so"
"$CXPM" start "$FIXTURES/ordinary_server.js" --name together -i 2 --socket-mode shared \
  --env PORT="$(free_port)" --env WARMUP_MS=0 >/dev/null
"$CXPM" describe together | grep_all "connection steering *off: shared socket mode" ||
  fail "describe does not say steering is off"
