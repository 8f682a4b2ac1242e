# The container runtime: `cxpm-runtime start ecosystem.yaml` and `cxpm start … --no-daemon`
# run the daemon in the foreground with the given apps. Their output is on the runtime's
# stdout/stderr (prefixed, raw or JSON); SIGTERM stops every app gracefully and exits 0, or 1
# when an app had ended errored; once the last app has ended for good the runtime exits with
# its status. As PID 1 of a new PID namespace it reaps every orphan.
# ctest-timeout: 120
source "$(dirname "$0")/lib.sh"

RUNTIME="$(dirname "$CXPM")/cxpm-runtime"
[ -L "$RUNTIME" ] || fail "$RUNTIME is not the build's symlink to cxpm"

# start_runtime NAME ARGS...: runs the runtime in the background; its pid in $rt_pid.
start_runtime() {
  local name=$1
  shift
  "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" &
  rt_pid=$!
}
# The runtime answers on its socket (before that, a CLI would start a daemon of its own).
runtime_listens() { [ -S "$CXPM_HOME/cxpm.sock" ]; }
# await_runtime: waits (bounded) for the background runtime; its exit status in $rt_status
# (not through $(...): only this shell may wait for its own child).
await_runtime() {
  local deadline=$((SECONDS + 30))
  while alive "$rt_pid"; do
    [ "$SECONDS" -lt "$deadline" ] || fail "the runtime did not exit"
    sleep 0.05
  done
  rt_status=0
  wait "$rt_pid" || rt_status=$?
}
# exits_with N: the runtime ends with status N.
exits_with() {
  await_runtime
  [ "$rt_status" = "$1" ]
}

cat >"$WORK/eco.yaml" <<YAML
apps:
  - name: talker
    script: bash
    args: ["-c", "echo hello out; echo hello err >&2; trap 'echo bye; exit 0' INT; while :; do sleep 0.1; done"]
  - name: other
    script: sleep
    args: "1000"
YAML

step "cxpm-runtime start: lines prefixed with id|name, stdout and stderr apart"
start_runtime prefixed "$RUNTIME" start "$WORK/eco.yaml"
wait_for 10 grep -q '^0|talker | hello out$' "$WORK/prefixed.out"
wait_for 10 grep -q '^0|talker | hello err$' "$WORK/prefixed.err"
"$CXPM" jlist | jq -e 'length == 2' >/dev/null || fail "cxpm jlist does not see the runtime's apps"
[ -f "$CXPM_HOME/logs/talker-out.log" ] || fail "the log files are not written too"
talker=$(pid_of talker)

step "SIGTERM: every app stops gracefully (kill_signal first), the runtime exits 0"
kill -TERM "$rt_pid"
exits_with 0 || fail "the runtime did not exit 0 on SIGTERM (got $rt_status)"
dead "$talker" || fail "talker survived the runtime"
wait_for 5 grep -q '^0|talker | bye$' "$WORK/prefixed.out"
[ ! -e "$CXPM_HOME/cxpm.sock" ] || fail "the control socket was left behind"

step "--raw and --json (pm2-runtime's keys), from cxpm start --no-daemon"
start_runtime raw "$CXPM" start "$WORK/eco.yaml" --no-daemon --raw
wait_for 10 grep -qx 'hello out' "$WORK/raw.out"
kill -INT "$rt_pid"
exits_with 0 || fail "the runtime did not exit 0 on SIGINT (got $rt_status)"
start_runtime json "$RUNTIME" "$WORK/eco.yaml" --json
wait_for 10 grep -q 'hello out' "$WORK/json.out"
grep 'hello out' "$WORK/json.out" | jq -e '.message == "hello out" and .type == "out" and
  .app_name == "talker" and .process_id == 0 and (.timestamp | length > 0)' >/dev/null ||
  fail "not pm2-runtime's JSON line: $(grep 'hello out' "$WORK/json.out")"
kill -TERM "$rt_pid"
exits_with 0 || fail "the runtime did not exit 0 (got $rt_status)"

step "the last app ends for good: the runtime exits with its status"
start_runtime last "$RUNTIME" start bash --no-autorestart -- -c 'echo done; exit 3'
exits_with 3 || fail "the runtime did not exit with the last app's status 3 (got $rt_status)"
grep -q '|bash | done' "$WORK/last.out" || fail "the app's line is missing"
start_runtime killed "$RUNTIME" start bash --no-autorestart -- -c 'kill -KILL $$'
exits_with 137 || fail "an app killed by SIGKILL: expected 137 (got $rt_status)"

step "an errored app: SIGTERM exits 1"
cat >"$WORK/errored.yaml" <<YAML
apps:
  - name: crasher
    script: bash
    args: ["-c", "exit 1"]
    max_restarts: 1
    min_uptime: 5s
  - name: steady
    script: sleep
    args: "1000"
YAML
start_runtime errored "$RUNTIME" start "$WORK/errored.yaml"
wait_for 10 runtime_listens
wait_for 15 has_status crasher errored
kill -TERM "$rt_pid"
exits_with 1 || fail "SIGTERM after an errored app: expected exit 1 (got $rt_status)"

step "--no-auto-exit keeps it running with no app left; a bad file starts nothing"
start_runtime stay "$RUNTIME" start bash --no-auto-exit --no-autorestart -- -c 'exit 0'
wait_for 10 runtime_listens
wait_for 10 has_status bash stopped
alive "$rt_pid" || fail "--no-auto-exit: the runtime exited"
kill -TERM "$rt_pid"
exits_with 0 || fail "the runtime did not exit 0 (got $rt_status)"
printf 'apps:\n  - script: sleep\n    kill_timeout: soon\n' >"$WORK/bad.yaml"
expect_fail 'bad\.yaml:3:.*kill_timeout' "$RUNTIME" start "$WORK/bad.yaml"
expect_fail 'name the apps' "$RUNTIME" start
expect_fail 'with --no-daemon' "$CXPM" start sleep --raw -- 1

step "PID 1 of a new PID namespace: orphans of double forks are reaped"
cat >"$WORK/forker.sh" <<SH
for i in \$(seq 20); do
  ( sh -c "sleep 0.2; touch $WORK/orphan-\$i" & )
done
exec sleep 1000
SH
start_runtime pid1 unshare --pid --fork --mount-proc "$RUNTIME" start "$WORK/forker.sh"
runtime_pid() { pgrep -P "$rt_pid" -x cxpm-runtime || pgrep -P "$rt_pid" cxpm; }
wait_for 10 runtime_pid
inner=$(runtime_pid | head -n 1)
grep -qE '^NSpid:\s+[0-9]+\s+1$' "/proc/$inner/status" || fail "the runtime is not PID 1 in its namespace"
all_orphans_done() { [ "$(ls "$WORK" | grep -c '^orphan-')" = 20 ]; }
wait_for 20 all_orphans_done
no_zombies() { ! ps -o stat= --ppid "$inner" | grep_all '^Z'; }
wait_for 10 no_zombies
kill -TERM "$inner"
exits_with 0 || fail "PID 1: SIGTERM did not end the runtime with 0 (got $rt_status)"
