# ctest-timeout: 120
# A state.json write on a full disk keeps the last good file whole (no temporary file left),
# and `cxpm ls` shows a warning line until a write works again. A process started after the
# last table that reached the disk is killed by the next daemon: no app there owns it.
source "$(dirname "$0")/lib.sh"

disk=$(mktemp -d /tmp/cxpm-disk.XXXXXX)
if ! mount -t tmpfs -o size=1m,mode=0700 tmpfs "$disk" 2>/dev/null; then
  rmdir "$disk"
  echo "skipped: cannot mount a small tmpfs here (needs root and mount permission)"
  exit 0
fi
trap 'rc=$?; set +e; (exit $rc); cleanup; umount -l "$disk"; rmdir "$disk"; exit $rc' EXIT
rm -rf "$CXPM_HOME"
export CXPM_HOME="$disk/home"
mkdir -m 700 "$CXPM_HOME"
state="$CXPM_HOME/state.json"
state_is() { [ -f "$state" ] && jq -e "$1" "$state" >/dev/null 2>&1; }
warned() { "$CXPM" ls | grep_all "warning: the app table could not be saved"; }

step "a first table is on disk"
"$CXPM" start sleep --name first -- 1000 >/dev/null
wait_for 10 state_is '[.apps[].spec.name] == ["first"] and .apps[0].instances[0].pid > 0'
cp "$state" "$WORK/state.good"
! warned || fail "a warning with a healthy disk"

step "the disk fills up: the change is not written, the old file stays whole, ls warns"
dd if=/dev/zero of="$disk/filler" bs=4k status=none 2>/dev/null || true
"$CXPM" start sleep --name second --env BIG="$(head -c 20000 /dev/zero | tr '\0' x)" -- 1000 \
  >/dev/null
wait_for 10 warned
"$CXPM" ls | grep_all "No space left on device" || fail "the warning does not say why"
cmp -s "$state" "$WORK/state.good" || fail "the failed write changed state.json"
leftovers=$(ls -a "$CXPM_HOME" | grep 'state.json.tmp' || true)
[ -z "$leftovers" ] || fail "temporary files left: $leftovers"
"$CXPM" ping >/dev/null || fail "the daemon does not answer on a full disk"

step "space returns: the table is written again and the warning goes"
rm "$disk/filler"
wait_for 15 state_is '([.apps[].spec.name] | sort) == ["first", "second"]'
wait_for 10 bash -c "! \"$CXPM\" ls | grep -q 'warning:'"

step "the daemon dies before a start reached the disk: the new one kills that process"
# Room for daemon.log's lines, not for a table that holds third's 100 KB of environment.
dd if=/dev/zero of="$disk/filler" bs=4k status=none 2>/dev/null || true
truncate -s -64K "$disk/filler"
"$CXPM" start sleep --name third --env BIG="$(head -c 100000 /dev/zero | tr '\0' x)" -- 1000 \
  >/dev/null
wait_for 10 warned
first=$(pid_of first) second=$(pid_of second) third=$(pid_of third)
crashed=$(cat "$CXPM_HOME/daemon.pid")
kill -9 "$crashed"
wait_for 10 bash -c "[ \"\$(cat '$CXPM_HOME/daemon.pid')\" != $crashed ] && '$CXPM' ping"
wait_for 10 dead "$third"
[ "$(pid_of first)" = "$first" ] && [ "$(pid_of second)" = "$second" ] ||
  fail "the recorded apps were not adopted"
[ "$(jl '[.[].name] | sort | join(",")')" = "first,second" ] || fail "third is listed"
grep_all "killed 1 process(es) an earlier daemon started after the last app table it saved.*pid $third" \
  <"$CXPM_HOME/daemon.log" || fail "daemon.log does not say why $third was killed"
echo ok
