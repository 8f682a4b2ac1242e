# One lifecycle operation per app at a time: commands on one app at once run one after the
# other, in order, and the daemon neither crashes nor is left inconsistent; a command that
# would wait too long is answered `busy`; kill never waits behind an operation.
# ctest-timeout: 180
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/process_census.sh"

"$CXPM" start sleep --name k -i 2 -- 1000 >/dev/null
wait_for 10 has_status k online,online
daemon=$(daemon_pid)
awaiting_reply_or_done() { awaiting_reply "$1" || dead "$1"; }

step "reload k & restart k on a -i 2 app: both succeed, in turn"
for round in 1 2 3 4 5; do
  "$CXPM" reload k >"$WORK/reload.out" 2>&1 &
  reload=$!
  "$CXPM" restart k >"$WORK/restart.out" 2>&1 &
  restart=$!
  wait "$reload" || fail "round $round: reload failed: $(cat "$WORK/reload.out")"
  wait "$restart" || fail "round $round: restart failed: $(cat "$WORK/restart.out")"
done
alive "$daemon" || fail "the daemon died"
[ "$(daemon_pid)" = "$daemon" ] || fail "the daemon was replaced"
wait_for 10 has_status k online,online
check_census
# 5 reloads and 5 restarts, one restart each, none lost to a half-done neighbour.
[ "$(jl '[.[] | select(.name == "k") | .restarts] | join(",")')" = 10,10 ] ||
  fail "restarts: $(jl '[.[] | .restarts] | join(",")')"

step "restart k & scale k +1 & delete k, then delete k again: nothing hangs"
for round in 1 2 3; do
  "$CXPM" restart k >/dev/null 2>&1 &
  "$CXPM" scale k +1 >/dev/null 2>&1 &
  "$CXPM" delete k >/dev/null 2>&1 &
  wait
  set +e
  timeout 20 "$CXPM" delete k >"$WORK/delete.out" 2>&1
  status=$?
  set -e
  [ "$status" != 124 ] || fail "round $round: delete hung"
  grep -q "closed the connection" "$WORK/delete.out" && fail "round $round: $(cat "$WORK/delete.out")"
  alive "$daemon" || fail "round $round: the daemon died"
  has_instances k 0 || fail "round $round: k is still listed: $(jl -c '.')"
  check_census
  "$CXPM" start sleep --name k -i 2 -- 1000 >/dev/null
  wait_for 10 has_status k online,online
done

step "a command that waits past queue_wait_ms is answered busy, naming the holder"
# Stopping it takes its whole kill_timeout once it ignores SIGINT (it says so when it does):
# long enough for the request below to arrive while it stops, on a loaded machine too.
stub_ready() { [ "$(grep -c "stubborn started" "$CXPM_HOME/logs/stub-out.log")" = "$1" ]; }
"$CXPM" start "$FIXTURES/stubborn.py" --name stub --kill-timeout 8s >/dev/null
wait_for 10 stub_ready 1
"$CXPM" stop stub >"$WORK/stop.out" 2>&1 &
stop=$!
wait_for 5 has_status stub stopping
python3 - "$CXPM_HOME/cxpm.sock" >"$WORK/busy.json" <<'PY'
import json, socket, sys
s = socket.socket(socket.AF_UNIX)
s.settimeout(10)
s.connect(sys.argv[1])
s.sendall(json.dumps({"v": 1, "id": 1, "method": "restart",
                      "args": {"targets": ["stub"], "queue_wait_ms": 300}}).encode() + b"\n")
print(s.makefile().readline().strip())
PY
jq -e '.error.code == "busy"' "$WORK/busy.json" >/dev/null || fail "not busy: $(cat "$WORK/busy.json")"
jq -er '.error.message' "$WORK/busy.json" |
  grep -qE '^busy: a stop of stub is in progress \(started [0-9]+ s ago\); retry$' ||
  fail "busy message: $(cat "$WORK/busy.json")"
jq -e '.error.details.operation == "stop" and .error.details.running' "$WORK/busy.json" >/dev/null ||
  fail "busy details: $(cat "$WORK/busy.json")"

step "a command queued behind a slow one (the default wait) runs after it, in order"
"$CXPM" start stub >"$WORK/start.out" 2>&1 &
start=$!
wait "$stop" || fail "stop failed: $(cat "$WORK/stop.out")"
wait "$start" || fail "start queued behind stop failed: $(cat "$WORK/start.out")"
[ "$(status_of stub)" = online ] || fail "stop then start should leave stub online: $(status_of stub)"
wait_for 10 stub_ready 2

step "reads never wait: list answers while an operation holds the app"
"$CXPM" stop stub >/dev/null 2>&1 &
stop=$!
wait_for 5 has_status stub stopping
timeout 2 "$CXPM" jlist >/dev/null || fail "jlist waited behind an operation"
wait "$stop"

step "kill does not wait behind an operation: what waits is refused, nothing is left"
"$CXPM" start stub >/dev/null
wait_for 10 stub_ready 3
"$CXPM" stop stub >/dev/null 2>&1 &
wait_for 5 has_status stub stopping
"$CXPM" restart k >"$WORK/queued.out" 2>&1 &
queued=$!
"$CXPM" restart stub >"$WORK/behind.out" 2>&1 &
behind=$!
# Both restarts have reached the daemon (the one on stub waits behind the stop).
wait_for 10 awaiting_reply "$behind"
wait_for 10 awaiting_reply_or_done "$queued"
kill_and_check_nothing_left
# Refused, not run after the stop it waited for: kill went ahead of it.
if wait "$behind"; then fail "a restart queued behind the stop ran after kill"; fi
grep -q "shutting down" "$WORK/behind.out" || fail "queued restart: $(cat "$WORK/behind.out")"
wait "$queued" || true

step "SIGTERM during restart & scale & delete: the daemon exits and leaves nothing"
# A name of its own, to find its processes anywhere once the daemon is gone.
term_app="term-$$"
"$CXPM" start sleep --name "$term_app" -i 2 -- 1000 >/dev/null
wait_for 10 has_status "$term_app" online,online
daemon=$(daemon_pid)
operations=()
"$CXPM" restart "$term_app" >/dev/null 2>&1 &
operations+=($!)
"$CXPM" scale "$term_app" +2 >/dev/null 2>&1 &
operations+=($!)
"$CXPM" delete "$term_app" >/dev/null 2>&1 &
operations+=($!)
# Each has reached the daemon (or is already answered) before the daemon is told to stop.
for operation in "${operations[@]}"; do wait_for 10 awaiting_reply_or_done "$operation"; done
kill -TERM "$daemon"
wait_for 15 dead "$daemon"
wait
left=$(python3 "$FIXTURES/app_processes.py" --named "$term_app")
[ -z "$left" ] || fail "outlived SIGTERM: $left"
echo ok
