# Unplanned exits: restart with a new pid, count, back off, give up on a crash loop.
source "$(dirname "$0")/lib.sh"

step "kill -9 the app: a new pid, restarts + 1, the last line before the kill is logged"
"$CXPM" start "$FIXTURES/crash_after.sh" --name victim -- 1000 >/dev/null
wait_for 5 grep -q "started" "$CXPM_HOME/logs/victim-out.log"
old=$(pid_of victim)
kill -9 "$old"
wait_for 5 pid_changed victim "$old"
[ "$(restarts_of victim)" = 1 ] || fail "restart not counted"
[ "$(status_of victim)" = online ] || fail "not online after restart"
jl '.[] | select(.name=="victim") | .exit_signal' | grep_all -x 9 || fail "exit signal not recorded"

step "what an app writes right before it crashes is in its log"
"$CXPM" start "$FIXTURES/crash_after.sh" --name quick --no-autorestart -- 0 3 >/dev/null
wait_for 5 has_status quick stopped
grep -q "last words before exit 3" "$CXPM_HOME/logs/quick-out.log" || fail "last line lost"
jl '.[] | select(.name=="quick") | .exit_code' | grep_all -x 3 || fail "exit code not recorded"
"$CXPM" describe quick | grep_all "autorestart is off" || fail "describe does not say why"

step "a crash loop ends errored after max_restarts unstable runs"
"$CXPM" start "$FIXTURES/crash_after.sh" --name loop --max-restarts 3 -- 0 1 >/dev/null
wait_for 10 has_status loop errored
[ "$(restarts_of loop)" = 2 ] || fail "expected 2 restarts before giving up, got $(restarts_of loop)"
"$CXPM" describe loop | grep_all "3 unstable restarts in a row" || fail "no reason given"

step "stop_exit_codes are not restarted"
"$CXPM" start "$FIXTURES/crash_after.sh" --name done --stop-exit-codes 0 -- 0 0 >/dev/null
wait_for 5 has_status done stopped
[ "$(restarts_of done)" = 0 ] || fail "a stop exit code was restarted"

step "restart_delay: waiting-restart, then online again"
# The delay is long enough for a poll to see the waiting state even on a loaded machine
# under the sanitizers, where one `cxpm jlist` can take most of a second.
"$CXPM" start "$FIXTURES/crash_after.sh" --name slow --restart-delay 3s -- 1000 >/dev/null
old=$(pid_of slow)
killed_at=$SECONDS
kill -9 "$old"
wait_for 5 has_status slow waiting-restart
wait_for 10 pid_changed slow "$old"
[ $((SECONDS - killed_at)) -ge 2 ] || fail "restarted before restart_delay"
[ "$(status_of slow)" = online ] || fail "not back online after restart_delay"

step "stop during waiting-restart cancels the restart"
"$CXPM" start "$FIXTURES/crash_after.sh" --name slower --restart-delay 1h -- 1000 >/dev/null
kill -9 "$(pid_of slower)"
wait_for 5 has_status slower waiting-restart
"$CXPM" stop slower >/dev/null
[ "$(status_of slower)" = stopped ] || fail "stop did not cancel the pending restart"
echo "ok"
