# A restart that fails for a passing shortage (here: the daemon out of file descriptors, so
# pipe2/open fail with EMFILE) waits and tries again with backoff instead of leaving the app
# errored for good; once descriptors are free again the app is back online by itself.
source "$(dirname "$0")/lib.sh"

command -v prlimit >/dev/null || { echo "ok (skipped: no prlimit)"; exit 0; }

"$CXPM" start sleep --name flaky -- 1000 >/dev/null
wait_for 10 has_status flaky online
daemon=$(cat "$CXPM_HOME/daemon.pid")
leader=$(pid_of flaky)
saved=$(prlimit --pid "$daemon" --nofile --noheadings --output SOFT | tr -d ' ')
hard=$(prlimit --pid "$daemon" --nofile --noheadings --output HARD | tr -d ' ')
# Only the soft limit moves: raising a hard limit again may need more than root here.
set_limit() { prlimit --pid "$daemon" --nofile="$1:$hard"; }

step "out of descriptors: the crashed app's restart fails, and is retried"
# A limit that leaves the daemon two free descriptors: a spawn needs more (two pipes), so it
# fails with EMFILE, while a sanitizer's own checks (a pipe) still work in the ASan build.
fd_limit=0 free_slots=0
while [ "$free_slots" -lt 2 ]; do
  [ -e "/proc/$daemon/fd/$fd_limit" ] || free_slots=$((free_slots + 1))
  fd_limit=$((fd_limit + 1))
done
set_limit "$fd_limit"
kill -9 "$leader"
log="$CXPM_HOME/daemon.log"
wait_for 10 grep -q "flaky\[0\] failed to start: .*Too many open files (a passing shortage; retrying in 100 ms)" "$log"
wait_for 10 grep -q "flaky\[0\] failed to start: .*Too many open files (a passing shortage; retrying in 400 ms)" "$log"
grep -q "flaky\[0\] errored" "$log" && fail "the app was left errored"

step "descriptors free again: the next retry starts it"
set_limit "$saved"
wait_for 20 has_status flaky online
[ "$(pid_of flaky)" != "$leader" ] || fail "the app was not restarted"
"$CXPM" describe flaky --json |
  jq -e '[.[0].events[].message] | any(test("passing shortage; retrying"))' >/dev/null ||
  fail "describe does not say why the restart waited"

step "a stop ends the retries"
leader=$(pid_of flaky)
set_limit "$fd_limit"
kill -9 "$leader"
first_retries() { grep -c "flaky\[0\] failed to start: .*(a passing shortage; retrying in 100 ms)" "$log"; }
second_wait_began() { [ "$(first_retries)" -ge 2 ]; }
wait_for 10 second_wait_began
# Still short of descriptors (the two left serve a command's connection): the stop ends the
# wait, and nothing starts once they are plentiful again.
"$CXPM" stop flaky >/dev/null
set_limit "$saved"
has_status flaky stopped || fail "flaky is $(status_of flaky) after stop"
grep "flaky\[0\]" "$log" | tail -n1 | grep_all "stopped (was waiting to restart)" ||
  fail "the stop did not end the wait: $(grep "flaky\[0\]" "$log" | tail -n1)"
echo "ok"
