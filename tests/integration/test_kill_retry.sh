# kill_retry_time: read from a file and a flag like every option; a stop that needs SIGKILL
# still ends with nothing of the app left, and the re-sending ends with the exit: the next run
# of the app is not touched by it.
source "$(dirname "$0")/lib.sh"

events_of() { "$CXPM" describe "$1" --json | jq -r '.[0].events[].message'; }
spec_of() { "$CXPM" describe "$1" --json | jq -r ".[0].spec.$2"; }

step "kill_retry_time from a flag and from a file; a bad value is refused"
"$CXPM" start "$FIXTURES/stubborn.py" --name py --kill-timeout 200 --kill-retry-time 50 >/dev/null
[ "$(spec_of py kill_retry_time)" = 50 ] || fail "--kill-retry-time 50 did not reach the daemon"
cat >"$WORK/eco.yaml" <<YAML
apps:
  - name: filed
    script: sleep
    args: "1000"
    kill_retry_time: 2s
YAML
"$CXPM" start "$WORK/eco.yaml" >/dev/null
[ "$(spec_of filed kill_retry_time)" = 2000 ] || fail "kill_retry_time: 2s not read"
printf 'apps:\n  - script: sleep\n    kill_retry_time: soon\n' >"$WORK/bad.yaml"
expect_fail 'bad\.yaml:3:22: kill_retry_time: expected a duration' "$CXPM" start "$WORK/bad.yaml"
expect_fail '--kill-retry-time: must not be negative' \
  "$CXPM" start sleep --name neg --kill-retry-time -5 -- 1000

step "a stop that needs SIGKILL leaves nothing of the app"
wait_for 10 grep -q "stubborn started" "$CXPM_HOME/logs/py-out.log"
first=$(pid_of py)
"$CXPM" stop py >/dev/null
dead "$first" || fail "the stubborn app survived stop"
[ "$(status_of py)" = stopped ] || fail "py is not stopped"
events_of py | grep_all "sending SIGKILL" || fail "no SIGKILL recorded: $(events_of py)"

step "the re-sending ends with the exit: the next run lives until its own stop"
"$CXPM" start py >/dev/null
wait_for 10 has_status py online
second=$(pid_of py)
[ "$second" != "$first" ] || fail "py was not started again"
started_twice() { [ "$(grep -c "stubborn started" "$CXPM_HOME/logs/py-out.log")" = 2 ]; }
wait_for 10 started_twice  # its handlers are installed: only SIGKILL ends it now
# Its own stop must again wait out kill_timeout: no retry left from the first stop killed it.
"$CXPM" stop py >/dev/null
dead "$second" || fail "the second run survived stop"
[ "$(events_of py | grep -c 'still running after kill_timeout')" = 2 ] ||
  fail "the second run did not live until its own kill_timeout: $(events_of py)"
echo "ok"
