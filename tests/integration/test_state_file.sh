# ctest-timeout: 90
# $CXPM_HOME/state.json follows the app table: rewritten (0600, whole) after start, scale and
# stop, with each instance's id, pid and its /proc start time; gone once the daemon ends with
# its apps (`kill`), so the next daemon starts empty.
source "$(dirname "$0")/lib.sh"
state="$CXPM_HOME/state.json"

# state_is JQ: the file exists and the filter holds for it.
state_is() { [ -f "$state" ] && jq -e "$1" "$state" >/dev/null 2>&1; }

step "start: the app and its instance's pid are recorded"
"$CXPM" start sleep --name nap -- 1000 >/dev/null
pid=$(pid_of nap)
wait_for 10 state_is ".apps[0].spec.name == \"nap\" and .apps[0].instances[0].pid == $pid"
[ "$(stat -c %a "$state")" = 600 ] || fail "state.json is mode $(stat -c %a "$state"), not 600"
jq -e '.format == "cxpm-state" and .version == 1' "$state" >/dev/null || fail "no format/version"
ticks=$(awk '{ sub(/.*\) /, ""); print $20 }' "/proc/$pid/stat")
jq -e ".apps[0].instances[0].start_ticks == $ticks" "$state" >/dev/null ||
  fail "start_ticks is $(jq '.apps[0].instances[0].start_ticks' "$state"), /proc says $ticks"
jq -e '.apps[0].instances[0].status == "online" and .apps[0].instances[0].id == 0' "$state" \
  >/dev/null || fail "instance recorded as $(jq -c '.apps[0].instances[0]' "$state")"

step "scale: every instance is recorded"
"$CXPM" scale nap 3 >/dev/null
wait_for 10 has_instances nap 3
pids=$(jl '[.[] | select(.name == "nap") | .pid] | sort | join(",")')
wait_for 10 state_is "([.apps[0].instances[].pid] | sort | map(tostring) | join(\",\")) == \"$pids\""
wait_for 10 state_is '[.apps[0].instances[].index] | sort == [0, 1, 2]'

step "stop: the instances are recorded stopped, without pids"
"$CXPM" stop nap >/dev/null
wait_for 10 state_is '[.apps[0].instances[] | select(.status == "stopped" and .pid == 0)] | length == 3'

step "no temporary file is left beside it"
leftovers=$(ls -a "$CXPM_HOME" | grep 'state.json.tmp' || true)
[ -z "$leftovers" ] || fail "temporary files left: $leftovers"

step "kill: the daemon ends with its apps, and leaves nothing to adopt"
"$CXPM" kill >/dev/null
[ ! -e "$state" ] || fail "state.json outlived a daemon that stopped its apps"
"$CXPM" ls >/dev/null
has_instances nap 0 || fail "the next daemon brought back a killed app"

step "a daemon that died mid-write left a temporary file: the next one removes it"
"$CXPM" kill >/dev/null
echo partial >"$CXPM_HOME/state.json.tmp-99999-0"
echo partial >"$CXPM_HOME/dump.json.tmp-99999-3"
"$CXPM" ping >/dev/null
[ ! -e "$CXPM_HOME/state.json.tmp-99999-0" ] || fail "stale state.json.tmp left"
[ ! -e "$CXPM_HOME/dump.json.tmp-99999-3" ] || fail "stale dump.json.tmp left"
echo ok
