# start, list, jlist, describe, pid, stop, restart, delete: the everyday verbs end to end.
source "$(dirname "$0")/lib.sh"

step "the first command starts the daemon; CXPM_HOME is private"
"$CXPM" ping | grep_all "pong" || fail "ping did not answer"
[ "$(stat -c %a "$CXPM_HOME")" = 700 ] || fail "CXPM_HOME is not 0700"
[ "$(stat -c %a "$CXPM_HOME/cxpm.sock")" = 600 ] || fail "cxpm.sock is not 0600"
[ -s "$CXPM_HOME/daemon.pid" ] || fail "no daemon.pid"

step "start a node script, a python script and a program from PATH"
"$CXPM" start "$FIXTURES/hello.js" >/dev/null
"$CXPM" start "$FIXTURES/stubborn.py" --name py --kill-timeout 300 >/dev/null
"$CXPM" start sleep --name napper -- 1000 >/dev/null
wait_for 10 has_status hello online
wait_for 10 grep -q "hello from" "$CXPM_HOME/logs/hello-out.log"
# Only once its handlers are installed does SIGINT prove anything about kill_timeout.
wait_for 10 grep -q "stubborn started" "$CXPM_HOME/logs/py-out.log"
grep -q "instance=0" "$CXPM_HOME/logs/hello-out.log" || fail "NODE_APP_INSTANCE not set"

step "jlist has every documented field"
jl '.[0] | has("id") and has("name") and has("instance") and has("pid") and has("status")
     and has("restarts") and has("uptime_ms") and has("exec_mode") and has("cpu")
     and has("memory") and has("exit_code")' | grep_all -x true || fail "jlist lacks fields"
[ "$(jl 'length')" = 3 ] || fail "expected 3 processes"
[ "$(jl '.[] | select(.name=="napper") | .memory > 0')" = true ] || fail "memory not read"
"$CXPM" ls --json | jq -e 'length == 3' >/dev/null || fail "ls --json differs from jlist"

step "the table lists the apps; piped output has no colour codes"
table=$("$CXPM" ls)
grep -q "napper" <<<"$table" || fail "ls lacks napper"
! grep -q $'\e\[' <<<"$table" || fail "colour codes in piped output"

step "pid and describe"
napper=$("$CXPM" pid napper)
alive "$napper" || fail "pid $napper is not alive"
"$CXPM" describe napper | grep_all "started (pid $napper)" || fail "describe lacks the event"
"$CXPM" describe napper --json | jq -e '.[0].spec.args == ["1000"]' >/dev/null ||
  fail "args did not travel as argv"

step "stop sends SIGINT, then SIGKILL after kill_timeout to a process that ignores it"
py=$(pid_of py)
"$CXPM" stop py >/dev/null
dead "$py" || fail "stubborn app survived stop"
[ "$(status_of py)" = stopped ] || fail "py not stopped"
"$CXPM" describe py | grep_all "sending SIGKILL" || fail "describe does not say SIGKILL was sent"

step "restart gives a new pid and counts"
old=$(pid_of hello)
"$CXPM" restart hello >/dev/null
wait_for 5 pid_changed hello "$old"
[ "$(restarts_of hello)" = 1 ] || fail "restart not counted"
"$CXPM" reset hello >/dev/null
[ "$(restarts_of hello)" = 0 ] || fail "reset did not clear the count"

step "start by name starts a stopped app again"
"$CXPM" start py >/dev/null
[ "$(status_of py)" = online ] || fail "start py did not start it"

step "delete forgets the app and stops it"
napper=$(pid_of napper)
"$CXPM" delete napper >/dev/null
dead "$napper" || fail "napper survived delete"
[ "$(jl '[.[] | select(.name=="napper")] | length')" = 0 ] || fail "napper still listed"

step "kill stops every app and the daemon"
hello=$(pid_of hello)
daemon=$(cat "$CXPM_HOME/daemon.pid")
"$CXPM" kill | grep_all "stopped 2" || fail "kill did not report"
dead "$hello" || fail "app survived kill"
dead "$daemon" || fail "daemon survived kill"
[ ! -e "$CXPM_HOME/cxpm.sock" ] || fail "socket left behind"
"$CXPM" kill | grep_all "no daemon is running" || fail "second kill not graceful"
echo "ok"
