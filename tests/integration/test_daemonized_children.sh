# ctest-timeout: 120
# A daemonized grandchild (fork, setsid, fork: re-parented to the daemon) is the app's:
# stop, restart, delete, a crash of its parent, a stop after the daemon's own crash (the
# helper re-parented to the keeper then) and `kill` leave none running and its port
# free, so the next start never meets EADDRINUSE. Run with cgroups (where the machine lets
# root create them) and with the environment fallback (CXPM_NO_CGROUPS=1).
source "$(dirname "$0")/lib.sh"

port_free() { python3 -c 'import socket, sys; s = socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1])))' "$1"; }
helper() { cat "$WORK/helper.pid"; }
helper_listens() { [ -s "$WORK/helper.pid" ] && ! port_free "$port"; }

start_app() {
  rm -f "$WORK/helper.pid"
  "$CXPM" start "$FIXTURES/daemonizer.py" --name dz --env PORT="$port" \
    --env PID_FILE="$WORK/helper.pid" >/dev/null
  wait_for 10 helper_listens
}

# The helper is gone (not even a zombie) and nobody holds the port, at once: the command
# returned only once the app's processes were gone.
gone_now() {
  local pid=$1 what=$2
  dead "$pid" || fail "$what: the daemonized helper $pid still runs"
  port_free "$port" || fail "$what: port $port is still taken"
}

scenario() {
  local mode=$1
  port=$(free_port)

  step "$mode: describe says how processes are tracked"
  start_app
  local tracking
  tracking=$("$CXPM" describe dz --json | jq -r '.[0].process_tracking')
  if [ "$tracking" != "$mode" ]; then
    [ "$mode" = cgroup ] || fail "tracking is '$tracking', expected $mode"
    echo "no writable cgroup v2 here ($tracking): the cgroup half is skipped"
    "$CXPM" delete dz >/dev/null
    return 0
  fi
  "$CXPM" describe dz | grep_all "process tracking *$mode" || fail "describe does not show $mode"
  # Memory comes from the app's cgroup only where its leaf has the memory controller (not where
  # the machine keeps that controller on cgroup v1); otherwise from the main process's RSS.
  local source want=rss
  source=$("$CXPM" describe dz --json | jq -r '.[0].memory_source')
  if [ "$mode" = cgroup ]; then
    local leaf
    leaf=$(awk -F'::' '/^0::/ { print $2 }' "/proc/$(pid_of dz)/cgroup")
    [ -f "$(findmnt -n -o TARGET -t cgroup2 | head -n 1)$leaf/memory.current" ] && want=cgroup
  fi
  [ "$source" = "$want" ] || fail "memory_source is '$source', expected $want"
  "$CXPM" describe dz | grep_all "memory from *$want" || fail "describe does not say memory from $want"
  [ "$(ps -o ppid= -p "$(helper)" | tr -d ' ')" = "$(cat "$CXPM_HOME/daemon.pid")" ] ||
    fail "the helper was not re-parented to the daemon: the test proves nothing"

  step "$mode: stop"
  local old
  old=$(helper)
  "$CXPM" stop dz >/dev/null
  gone_now "$old" stop

  step "$mode: start and restart find the port free"
  "$CXPM" start dz >/dev/null
  rm -f "$WORK/helper.pid"
  wait_for 10 helper_listens
  old=$(helper)
  rm -f "$WORK/helper.pid"
  "$CXPM" restart dz >/dev/null
  wait_for 10 helper_listens
  dead "$old" || fail "restart: the old helper $old still runs"
  [ "$(helper)" != "$old" ] || fail "restart: no new helper"
  has_status dz online || fail "restart: dz is $(status_of dz)"

  step "$mode: a crash of the app kills its helper before the restart"
  old=$(helper)
  local leader
  leader=$(pid_of dz)
  rm -f "$WORK/helper.pid"
  kill -9 "$leader"
  wait_for 10 helper_listens
  dead "$old" || fail "crash: the old helper $old still runs"
  "$CXPM" describe dz --json | jq -e '[.[0].events[].message] | any(test("EADDRINUSE|Address already in use")) | not' >/dev/null ||
    fail "crash: a restart met EADDRINUSE"
  grep -q "Address already in use" "$CXPM_HOME/logs/dz-error.log" 2>/dev/null &&
    fail "crash: the new helper met EADDRINUSE"

  step "$mode: delete"
  old=$(helper)
  "$CXPM" delete dz >/dev/null
  gone_now "$old" delete

  step "$mode: stop after the daemon's crash (the helper is the keeper's child now)"
  start_app
  old=$(helper)
  local crashed
  crashed=$(cat "$CXPM_HOME/daemon.pid")
  kill -9 "$crashed"
  wait_for 10 bash -c "[ \"\$(cat '$CXPM_HOME/daemon.pid')\" != $crashed ] && '$CXPM' ping"
  "$CXPM" stop dz >/dev/null
  gone_now "$old" "stop after a crash"
  "$CXPM" delete dz >/dev/null

  step "$mode: kill (the daemon's exit)"
  start_app
  old=$(helper)
  local daemon
  daemon=$(cat "$CXPM_HOME/daemon.pid")
  "$CXPM" kill >/dev/null
  gone_now "$old" kill
  if [ "$mode" = cgroup ]; then
    local left
    left=$(find /sys/fs/cgroup -maxdepth 6 -type d -name "cxpm-$daemon" 2>/dev/null)
    [ -z "$left" ] || fail "kill left its cgroup behind: $left"
  fi
}

scenario cgroup
export CXPM_NO_CGROUPS=1
scenario environ
echo "ok"
