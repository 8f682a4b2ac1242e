# kill -9 of the daemon costs the apps nothing: the keeper holds their pipes and sockets, the
# next daemon adopts every process with its id, pid, restart count and uptime, no request
# fails, no log line is lost or doubled, and the adopted processes are supervised in full.
# ctest-timeout: 240
source "$(dirname "$0")/lib.sh"

port=$(free_port)
url="http://127.0.0.1:$port/"
"$CXPM" start "$FIXTURES/graceful_server.js" --name web -i 2 --env PORT="$port" >/dev/null
"$CXPM" start "$FIXTURES/numbered_lines.js" --name numbered \
  --env STOP_FILE="$WORK/stop-lines" --env COUNT_FILE="$WORK/count" >/dev/null
wait_for 10 has_status web online,online
wait_for 10 has_status numbered online
table() { jl -c '[.[] | {name, id, pid, restarts, created_at}] | sort_by(.id)'; }
# uptime_ms grows; the start time it implies (ms since the epoch) must not move.
started() { jl -c '[sort_by(.id) | .[] | (now * 1000 - .uptime_ms | floor)]'; }
# same_starts A B: each start time of A within 1 s of B's.
same_starts() {
  jq -n --argjson a "$1" --argjson b "$2" \
    '[$a, $b] | transpose | all(.[0] - .[1] | fabs < 1000)' | grep_all true
}

step "kill -9 of the daemon under load: every app adopted, nothing refused or failed"
node "$FIXTURES/load.js" "$url" 4 "$WORK/stop" 120000 keepalive >"$WORK/keepalive.json" &
keepalive=$!
node "$FIXTURES/load.js" "$url" 4 "$WORK/stop" 120000 >"$WORK/close.json" &
close=$!
wait_for 10 test -e "$WORK/stop.started"
before=$(table)
before_starts=$(started)
keeper=$(cat "$CXPM_HOME/keeper.pid")
daemon=$(cat "$CXPM_HOME/daemon.pid")
kill -9 "$daemon"
t0=$EPOCHREALTIME
after=$(table)
t1=$EPOCHREALTIME
echo "the first command after the kill answered in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", (b - a) * 1000 }') ms"
[ "$after" = "$before" ] || fail "the table changed across the kill: before $before, after $after"
same_starts "$before_starts" "$(started)" || fail "uptimes moved: $before_starts, then $(started)"
[ "$(cat "$CXPM_HOME/daemon.pid")" != "$daemon" ] || fail "no new daemon"
[ "$(cat "$CXPM_HOME/keeper.pid")" = "$keeper" ] || fail "the keeper changed"
sleep 1 # the load runs on past the kill
touch "$WORK/stop"
wait "$keepalive" "$close"
for result in keepalive close; do
  jq -e '.failed == 0 and .ok > 50' "$WORK/$result.json" >/dev/null ||
    fail "$result: requests failed across the kill: $(cat "$WORK/$result.json")"
done

step "no log line lost or doubled"
touch "$WORK/stop-lines"
wait_for 10 test -s "$WORK/count"
count=$(cat "$WORK/count")
log=$(jl '.[] | select(.name == "numbered") | .out_log')
wait_for 10 lines_in "$log" "$count"
seq 1 "$count" | cmp - "$log" || fail "the log is not exactly the lines 1..$count"

step "an adopted worker that crashes is restarted"
victim=$(jl '.[] | select(.name == "web" and .instance == 0) | .pid')
kill -9 "$victim"
# A function, so the count is read on every try: read once, before the daemon saw the exit, it
# would never change.
restarted_once() { [ "$(jl '.[] | select(.name == "web" and .instance == 0) | .restarts')" = 1 ]; }
wait_for 10 restarted_once
wait_for 10 has_status web online,online

step "stop and reload reach the adopted processes"
other=$(jl '.[] | select(.name == "web" and .instance == 1) | .pid')
"$CXPM" reload web >/dev/null
dead "$other" || fail "reload left the adopted worker $other running"
"$CXPM" stop numbered >/dev/null
numbered_pid=$(echo "$before" | jq '.[] | select(.name == "numbered") | .pid')
wait_for 10 dead "$numbered_pid"

step "a recorded pid that another program has now is neither adopted nor signalled"
"$CXPM" start sleep --name quiet -- 1000 >/dev/null
wait_for 10 has_status quiet online
quiet=$(pid_of quiet)
sleep 1000 &
stranger=$!
# As if quiet's pid had been reused: state.json names the stranger's pid with quiet's start
# time. Nothing changes the table meanwhile, so the daemon does not write it again.
wait_for 10 grep_all "\"pid\":$quiet" "$CXPM_HOME/state.json"
jq -c --argjson q "$quiet" --argjson s "$stranger" \
  '(.apps[].instances[] | select(.pid == $q) | .pid) = $s' "$CXPM_HOME/state.json" >"$WORK/state"
mv "$WORK/state" "$CXPM_HOME/state.json"
kill -9 "$(cat "$CXPM_HOME/daemon.pid")"
wait_for 10 has_status quiet online
"$CXPM" describe quiet | grep_all "pid $stranger now belongs to another program; not adopted" ||
  fail "describe does not say why the pid was not adopted: $("$CXPM" describe quiet)"
alive "$stranger" || fail "the stranger $stranger was signalled"
now=$(pid_of quiet)
[ "$now" != "$stranger" ] && [ "$now" != "$quiet" ] || fail "quiet was not started again ($now)"
kill -9 "$stranger" "$quiet" 2>/dev/null || true
