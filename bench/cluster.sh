# shellcheck shell=bash
# Helpers of the cluster scenarios (3, 4, 5): the hello server with 2 workers under cxpm, pm2
# or the ceiling's launcher, on a port picked at run time, and a load client beside it.
# Source it after lib.sh, then call cluster_begin "$@" instead of scenario_begin.

HELLO=$BENCH_DIR/apps/hello.js
WORKERS=2
LOAD_PID="" LAUNCHER_PID="" PORT=""

# cluster_begin MANAGER: scenario_begin, and an exit that also stops the load and the launcher.
cluster_begin() {
  scenario_begin "$@"
  trap cluster_end EXIT
}

cluster_end() {
  local status=$?
  set +e # clean up everything, even past a failing step
  [ -z "$LOAD_PID" ] || kill "$LOAD_PID" 2>/dev/null
  # The managers' apps go with their daemons (scenario_end); the launcher is ours to stop.
  [ "$MANAGER" != ceiling ] || cluster_stop >>"$MGR_LOG" 2>&1
  (exit "$status") # scenario_end reads the status from $?
  scenario_end
}

# cluster_start [MODE]: the hello server, $WORKERS workers, on a fresh $PORT; returns once both
# workers are online and it answers. MODE is the socket mode, `reuseport` (cxpm's default) or
# `shared`: cxpm's --socket-mode, and the launcher's sockets for the ceiling; pm2 has one mode
# (its daemon accepts and hands each connection to a worker). Both managers get the same
# flags: --wait-ready (the app says ready once it listens) and a listen timeout that a slow,
# loaded machine cannot hit.
cluster_start() {
  local mode=${1:-reuseport}
  PORT=$(free_port)
  mkdir -p "$SCRATCH/counts"
  export BENCH_COUNT_DIR=$SCRATCH/counts # the workers write their request counts there
  case $MANAGER in
    cxpm)
      PORT=$PORT mgr_quiet start "$HELLO" --name hello -i "$WORKERS" --wait-ready \
        --listen-timeout 10000 --socket-mode "$mode" ;;
    pm2)
      [ "$mode" = reuseport ] || die "pm2 has no socket mode $mode"
      PORT=$PORT mgr_quiet start "$HELLO" --name hello -i "$WORKERS" --wait-ready \
        --listen-timeout 10000 ;;
    ceiling)
      python3 "$BENCH_DIR/apps/launch.py" "$mode" "$PORT" "$WORKERS" node "$HELLO" \
        >"$SCRATCH/launcher.pids" 2>>"$MGR_LOG" &
      LAUNCHER_PID=$! ;;
  esac
  wait_until 60 "$WORKERS workers online" has_workers "$WORKERS"
  wait_until 30 "the hello server on port $PORT" curl -sf -m 2 -o /dev/null "http://127.0.0.1:$PORT/"
}

# cluster_stop: the app goes (its sockets with it), the manager's daemon stays.
cluster_stop() {
  case $MANAGER in
    cxpm | pm2) mgr_quiet delete hello ;;
    ceiling)
      if [ -n "$LAUNCHER_PID" ]; then
        kill "$LAUNCHER_PID" 2>/dev/null || true
        wait "$LAUNCHER_PID" 2>/dev/null || true # it stops its workers first
        LAUNCHER_PID=""
      fi ;;
  esac
}

# worker_pids [INSTANCE]: the pids of the online workers (of that instance), one a line.
# shellcheck disable=SC2120 # scenario 5 passes an instance
worker_pids() {
  local instance=${1:-}
  case $MANAGER in
    cxpm) mgr jlist | jq --arg i "$instance" '.[] | select(.name == "hello" and
            .status == "online" and ($i == "" or .instance == ($i | tonumber))) | .pid' ;;
    pm2) mgr jlist | jq --arg i "$instance" '.[] | select(.name == "hello" and
            .pm2_env.status == "online" and
            ($i == "" or (.pm2_env.NODE_APP_INSTANCE | tostring) == $i)) | .pid' ;;
    ceiling)
      if [ -z "$instance" ]; then cat "$SCRATCH/launcher.pids"
      else sed -n "$((instance + 1))p" "$SCRATCH/launcher.pids"; fi ;;
  esac
}
has_workers() { [ "$(worker_pids | grep -c .)" = "$1" ]; }

# --- load -----------------------------------------------------------------------------------

# load_start KEEPALIVE_LOOPS CLOSE_LOOPS MAX_SECONDS: bench/apps/load.js in the background
# against the server; returns once it has its first answer. load_stop: ends it and leaves
# its JSON in $SCRATCH/load.json. $SCRATCH/load.workers: "<pid> <epoch ms>" per worker, when
# that worker first answered.
load_start() {
  rm -f "$SCRATCH"/load.stop*
  node "$BENCH_DIR/apps/load.js" "http://127.0.0.1:$PORT/" "$SCRATCH/load.stop" "$(($3 * 1000))" \
    "$1" "$2" >"$SCRATCH/load.json" 2>>"$MGR_LOG" &
  LOAD_PID=$!
  wait_until 30 "the load's first answer" test -e "$SCRATCH/load.stop.started"
}
load_stop() {
  touch "$SCRATCH/load.stop"
  local deadline=$((SECONDS + 15)) # a request in flight ends within its 5 s timeout
  while kill -0 "$LOAD_PID" 2>/dev/null; do
    [ "$SECONDS" -lt "$deadline" ] || die "the load client did not stop"
    sleep 0.1
  done
  wait "$LOAD_PID" || die "the load client failed; see $MGR_LOG"
  LOAD_PID=""
  cp "$SCRATCH/load.json" "$(dirname "$BENCH_RESULTS")/$SCENARIO-$MANAGER-r$BENCH_ROUND.json"
  log "  load: $(jq -c '{keepalive, close, workers: (.workers | length)}' "$SCRATCH/load.json")"
}
# load_figure JQ: a figure of the load's JSON.
load_figure() { jq -r "$1" "$SCRATCH/load.json"; }
