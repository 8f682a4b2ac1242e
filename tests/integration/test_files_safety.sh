# A root daemon is never turned against the machine through its files: a link an app's user
# plants at its out_file is refused by reloadLogs and flush (the file it points at is left
# alone, and the error says why); a writable CXPM_HOME is refused with the fix, not chmod-ed;
# links in CXPM_HOME (logs/, daemon.pid) are refused.
source "$(dirname "$0")/lib.sh"

step "a CXPM_HOME that others may write is refused with the fix, and left as it is"
open_home="$WORK/open-home"
mkdir "$open_home"
chmod 777 "$open_home"
CXPM_HOME="$open_home" expect_fail "may be written by other users \(mode 0777\).*chmod 700 $open_home" \
  "$CXPM" ping
CXPM_HOME="$open_home" expect_fail "chmod 700" "$CXPM" daemon
[ "$(stat -c %a "$open_home")" = 777 ] || fail "the home's mode was changed"
[ ! -e "$open_home/daemon.pid" ] || fail "a daemon wrote in the refused home"

step "a link for logs/ or daemon.pid in CXPM_HOME is refused; what it points at is untouched"
elsewhere="$WORK/elsewhere"
mkdir -m 755 "$elsewhere"
linked_logs="$WORK/linked-logs"
mkdir -m 700 "$linked_logs"
ln -s "$elsewhere" "$linked_logs/logs"
CXPM_HOME="$linked_logs" expect_fail "$linked_logs/logs is a symbolic link.*rm $linked_logs/logs" \
  "$CXPM" ping
[ "$(stat -c %a "$elsewhere")" = 755 ] || fail "the directory logs/ points at was changed"
linked_pid="$WORK/linked-pid"
mkdir -m 700 "$linked_pid"
echo "precious" >"$WORK/target"
ln -s "$WORK/target" "$linked_pid/daemon.pid"
CXPM_HOME="$linked_pid" expect_fail "daemon.pid is a symbolic link" "$CXPM" daemon
[ "$(cat "$WORK/target")" = precious ] || fail "daemon.pid was written through a link"

if [ "$(id -u)" != 0 ]; then
  echo "ok (not root: the checks of an app user's log directory need a root daemon)"
  exit 0
fi

step "an app user's out_file replaced by a link: reloadLogs and flush refuse, the target is kept"
chmod 711 "$WORK"  # the app's user may reach its own directory
probe_dir="$WORK/probe"
mkdir -m 755 "$probe_dir"
chown nobody "$probe_dir"
printf 'root only\n' >"$WORK/rootonly"
chmod 600 "$WORK/rootonly"
cat >"$WORK/probe.yaml" <<YAML
apps:
  - name: probe
    script: "i=0; while :; do i=\$((i + 1)); echo tick \$i; echo \$i >$probe_dir/count; sleep 0.05; done"
    uid: nobody
    cwd: /
    out_file: $probe_dir/out.log
YAML
"$CXPM" start "$WORK/probe.yaml" >/dev/null
wait_for 10 grep -q tick "$probe_dir/out.log"
[ "$(stat -c %U "$probe_dir/out.log")" = nobody ] ||
  fail "a log in the app user's directory was not opened as that user"
# What the app's user can do there: replace its log with a link to a file root alone reads.
rm "$probe_dir/out.log"
ln -s "$WORK/rootonly" "$probe_dir/out.log"
chown -h nobody "$probe_dir/out.log"
expect_fail "1 log file\(s\) not reopened: cannot open $probe_dir/out.log: it is a symbolic link" \
  "$CXPM" reloadLogs
expect_fail "not emptied: cannot open $probe_dir/out.log: it is a symbolic link" "$CXPM" flush probe
kill -USR1 "$(cat "$CXPM_HOME/daemon.pid")"
wait_for 10 grep -q "SIGUSR1: reopened 1 of 2" "$CXPM_HOME/daemon.log"
# Lines the app writes now have nowhere to go: they are counted.
ticks=$(cat "$probe_dir/count")
ticked_past() { [ "$(cat "$probe_dir/count")" -gt $((ticks + 3)) ]; }
wait_for 10 ticked_past
[ "$(cat "$WORK/rootonly")" = "root only" ] || fail "the link's target was written or emptied"
[ "$(stat -c %U:%a "$WORK/rootonly")" = root:600 ] || fail "the link's target changed owner or mode"
"$CXPM" ping >/dev/null

step "once the link is gone, the log opens again and says how many lines were lost"
rm "$probe_dir/out.log"
"$CXPM" reloadLogs | grep_all -x "reopened 2 log file(s)" || fail "reloadLogs did not reopen the log"
wait_for 10 grep -qE "^cxpm: [0-9,]+ lines? dropped while the file could not be opened" \
  "$probe_dir/out.log"
wait_for 10 grep -q tick "$probe_dir/out.log"

step "a root app writing in a directory another user may write is refused, with the fix"
cat >"$WORK/root-app.yaml" <<YAML
apps:
  - name: rooted
    script: "while :; do echo tock; sleep 0.05; done"
    cwd: /
    out_file: $probe_dir/root.log
YAML
# At start, before anything runs: not a line in daemon.log once it already does.
expect_fail "out_file $probe_dir/root.log: cannot write in $probe_dir: other users may change it" \
  "$CXPM" start "$WORK/root-app.yaml"
has_instances rooted 0 || fail "a refused start added the app: $(jl -c '.')"
[ ! -e "$probe_dir/root.log" ] || fail "the root app's log was created in another user's directory"
echo ok
