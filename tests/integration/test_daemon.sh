# The daemon's own life: one per CXPM_HOME, foreground mode, signals, clear messages.
source "$(dirname "$0")/lib.sh"

step "a second daemon on the same CXPM_HOME refuses with a clear message"
"$CXPM" ping >/dev/null
expect_fail "already running" "$CXPM" daemon
"$CXPM" ping | grep_all pong || fail "the first daemon was disturbed"

step "kill, then the next command starts a fresh daemon"
first=$(cat "$CXPM_HOME/daemon.pid")
"$CXPM" kill >/dev/null
"$CXPM" ping >/dev/null
second=$(cat "$CXPM_HOME/daemon.pid")
[ "$first" != "$second" ] || fail "no new daemon"

step "SIGTERM to the daemon stops the apps, then the daemon"
"$CXPM" start sleep --name napper -- 1000 >/dev/null
napper=$(pid_of napper)
kill -TERM "$second"
wait_for 10 dead "$second"
wait_for 5 dead "$napper"

step "cxpm daemon runs in the foreground"
"$CXPM" daemon >"$WORK/foreground.log" 2>&1 &
foreground=$!
wait_for 5 test -S "$CXPM_HOME/cxpm.sock"
"$CXPM" ping | grep_all "pid $foreground" || fail "ping did not reach the foreground daemon"
kill -INT "$foreground"
wait "$foreground" || fail "foreground daemon exited non-zero on SIGINT"
grep -q "started" "$WORK/foreground.log" || fail "foreground daemon did not log to stderr"

step "an idle daemon uses no CPU: under 1% of what a busy loop uses meanwhile"
# A ratio, not ticks per wall-clock second: on a loaded machine the window stretches for both.
"$CXPM" start sleep --name idle -- 1000 >/dev/null
wait_for 10 has_status idle online
daemon=$(cat "$CXPM_HOME/daemon.pid")
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
used_at_least() { [ "$(cpu_ticks "$1")" -ge "$2" ]; }
# It ends by itself after 70 s, whatever becomes of the test; $! is the loop itself.
bash -c 'end=$((SECONDS + 70)); while [ "$SECONDS" -lt "$end" ]; do :; done' &
busy=$!
busy_before=$(cpu_ticks "$busy") before=$(cpu_ticks "$daemon")
# Two seconds of CPU for the busy loop (CLK_TCK ticks a second).
wait_for 60 used_at_least "$busy" $((busy_before + 2 * $(getconf CLK_TCK)))
after=$(cpu_ticks "$daemon") busy_after=$(cpu_ticks "$busy")
kill "$busy"
wait "$busy" 2>/dev/null || true
[ $(((after - before) * 100)) -le $((busy_after - busy_before)) ] ||
  fail "the idle daemon used $((after - before)) ticks while a busy loop used $((busy_after - busy_before))"

step "a CXPM_HOME of another user is refused"
other=$(mktemp -d /tmp/cxpm-other.XXXXXX)
chown nobody "$other"
expect_fail "belongs to uid" env CXPM_HOME="$other" "$CXPM" ping
rm -rf "$other"
echo "ok"
