# Helpers shared by bench/run.sh, the scenarios and bench/report.sh. Source it; it sets
# strict mode. A scenario runs as `bash scenarios/N-name.sh MANAGER`, where MANAGER is
# cxpm, pm2 or ceiling, with the BENCH_* variables run.sh exports.
set -euo pipefail
export LC_ALL=C # EPOCHREALTIME and printf must use '.' as the decimal point
shopt -s inherit_errexit # a failing $(command) fails the script too

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export BENCH_DIR

log() { echo "[bench] $*" >&2; }
die() {
  echo "[bench] error: $*" >&2
  exit 1
}

# now_us: wall clock in microseconds, without forking (bash 5's EPOCHREALTIME).
now_us() { echo "${EPOCHREALTIME/./}"; }

# wait_until SECONDS WHAT COMMAND...: runs COMMAND until it succeeds; dies at the deadline
# so a stuck manager fails the run instead of hanging it.
wait_until() {
  local seconds=$1 what=$2
  shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || die "timed out after ${seconds}s waiting for $what"
    sleep "${WAIT_POLL:-0.1}"
  done
}

# divide A B: A / B with three decimals (bash has integers only).
divide() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f\n", a / b }'; }

# median: the median of the numbers on stdin, one a line.
median() {
  sort -g | awk '{ v[NR] = $1 } END {
    if (NR == 0) exit 1
    if (NR % 2) printf "%.6g\n", v[(NR + 1) / 2]
    else printf "%.6g\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# --- /proc readers -------------------------------------------------------------------------

rss_mib() { awk '/^VmRSS:/ { printf "%.2f\n", $2 / 1024 }' "/proc/$1/status"; }

# cpu_ticks PID: user + system time in clock ticks (fields 14 and 15 of /proc/PID/stat;
# the command name in field 2 may hold spaces, so count from the closing parenthesis).
cpu_ticks() { sed 's/.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'; }

# free_port: a TCP port nothing listens on, below the ephemeral range (32768 and up), so the
# clients' own connections never take it and no fixed port collides with another run.
free_port() {
  local port
  for _ in $(seq 100); do
    port=$((20000 + RANDOM % 12000))
    if [ -z "$(ss -Htan "( sport = :$port or dport = :$port )")" ]; then
      echo "$port"
      return 0
    fi
  done
  die "no free port found"
}

# --- results -------------------------------------------------------------------------------

# record METRIC VALUE UNIT BETTER LABEL: appends one row to the results table.
# BETTER is "lower" or "higher"; LABEL is what the report prints for the metric.
record() {
  local metric=$1 value=$2 unit=$3 better=$4 label=$5
  [[ $value =~ ^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$ ]] || die "$metric: not a number: '$value'"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$BENCH_ROUND" "$SCENARIO" "$metric" "$MANAGER" \
    "$value" "$unit" "$better" "$label" >>"$BENCH_RESULTS"
  log "  $SCENARIO $MANAGER $metric = $value $unit"
}

# --- the managers behind one interface -----------------------------------------------------

# scenario_begin: checks the arguments and gives the scenario a private home for its
# manager, which scenario_end (on any exit) shuts down.
scenario_begin() {
  MANAGER=${1:?usage: $0 cxpm|pm2|ceiling}
  SCENARIO=$(basename "$0" .sh)
  : "${BENCH_RESULTS:?run scenarios through bench/run.sh}"
  case $MANAGER in
    cxpm | pm2 | ceiling) ;;
    *) die "unknown manager '$MANAGER'" ;;
  esac
  HOME_DIR=$(mktemp -d "$BENCH_WORK/homes/$MANAGER.XXXXXX")
  SCRATCH=$HOME_DIR/scratch
  mkdir -p "$SCRATCH"
  MGR_LOG=$BENCH_WORK/logs/$SCENARIO-$MANAGER-r$BENCH_ROUND.log
  export CXPM_HOME=$HOME_DIR PM2_HOME=$HOME_DIR
  trap scenario_end EXIT
  trap 'exit 143' TERM INT # so the EXIT trap also runs when run.sh's timeout fires
}

scenario_end() {
  local status=$?
  stop_manager "$MANAGER" "$HOME_DIR" >>"$MGR_LOG" 2>&1 || true
  [ "$status" -eq 0 ] || log "$SCENARIO $MANAGER failed; its manager output: $MGR_LOG"
  rm -rf "$HOME_DIR"
}

# stop_manager MANAGER HOME: stops every app and the daemon of that home, forcefully if
# the polite way does not finish. Also used by run.sh's sweep after a crashed scenario.
stop_manager() {
  local manager=$1 home=$2 pidfile pid
  case $manager in
    cxpm) pidfile=$home/daemon.pid ;;
    pm2) pidfile=$home/pm2.pid ;;
    *) return 0 ;;
  esac
  [ -f "$pidfile" ] || return 0
  pid=$(cat "$pidfile" 2>/dev/null || true)
  # pm2's CLI starts a daemon just to kill it, so ask only a daemon that is alive.
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    if [ "$manager" = cxpm ]; then
      CXPM_HOME=$home timeout 30 "$CXPM" kill || true
      # The keeper first: it would start a new daemon in place of one killed below.
      kill -9 "$(cat "$home/keeper.pid" 2>/dev/null)" 2>/dev/null || true
    else
      PM2_HOME=$home timeout 60 "$PM2" kill || true
    fi
    kill -9 "$pid" 2>/dev/null || true
  fi
}

# mgr_bin: the manager's CLI executable; mgr ARGS...: runs it.
mgr_bin() {
  case $MANAGER in
    cxpm) echo "$CXPM" ;;
    pm2) echo "$PM2" ;;
    *) die "no CLI for $MANAGER" ;;
  esac
}
mgr() { "$(mgr_bin)" "$@"; }

# mgr_quiet ARGS...: the CLI with its output kept in the scenario's log, not the terminal.
mgr_quiet() { mgr "$@" >>"$MGR_LOG" 2>&1; }

daemon_pid() {
  case $MANAGER in
    cxpm) cat "$CXPM_HOME/daemon.pid" ;;
    pm2) cat "$PM2_HOME/pm2.pid" ;;
  esac
}

# online_count: processes the manager reports online (the jlist formats differ).
online_count() {
  case $MANAGER in
    cxpm) mgr jlist | jq '[.[] | select(.status == "online")] | length' ;;
    pm2) mgr jlist | jq '[.[] | select(.pm2_env.status == "online")] | length' ;;
  esac
}
has_online() { [ "$(online_count)" = "$1" ]; }

# ecosystem_json PREFIX COUNT SCRIPT [ARG...]: pm2's ecosystem format, which cxpm loads
# too, so both managers start exactly the same apps: COUNT separate fork-mode apps.
ecosystem_json() {
  local prefix=$1 count=$2 script=$3
  shift 3
  jq -n --arg prefix "$prefix" --argjson count "$count" --arg script "$script" \
    --args '{apps: [range($count) | {
      name: "\($prefix)-\(.)", script: $script, args: $ARGS.positional,
      exec_mode: "fork", autorestart: true,
      interpreter: (if ($script | endswith(".js")) then "node" else "none" end) }]}' "$@"
}

# start_sleepers_file PREFIX COUNT: one `start` of an ecosystem file of COUNT fork-mode apps,
# each `/bin/sleep infinity`; waits until all are online and prints the seconds that took.
start_sleepers_file() {
  local prefix=$1 count=$2 t0 t1
  ecosystem_json "$prefix" "$count" /bin/sleep infinity >"$SCRATCH/$prefix.json"
  mgr_quiet ping
  t0=$(now_us)
  mgr_quiet start "$SCRATCH/$prefix.json"
  WAIT_POLL=0.5 wait_until "$BENCH_WAIT_SECONDS" "$count apps online" has_online "$count"
  t1=$(now_us)
  divide $((t1 - t0)) 1000000
}

# --- timing a command ------------------------------------------------------------------------

# latency_ms RUNS COMMAND...: the median wall time of COMMAND in milliseconds. hyperfine
# (no shell in between, warm-up runs) when installed; otherwise a loop timing each run.
latency_ms() {
  local runs=$1
  shift
  local warmup=$((runs / 5 + 1))
  if command -v hyperfine >/dev/null; then
    local json=$SCRATCH/hyperfine.json
    hyperfine --shell=none --style none --warmup "$warmup" --runs "$runs" \
      --export-json "$json" "$(printf '%q ' "$@")" >>"$MGR_LOG" 2>&1
    divide "$(jq '.results[0].median' "$json")" 0.001
  else
    local i t0 t1
    for ((i = 0; i < warmup; i++)); do "$@" >/dev/null 2>&1; done
    for ((i = 0; i < runs; i++)); do
      t0=$(now_us)
      "$@" >/dev/null 2>&1
      t1=$(now_us)
      echo $((t1 - t0)) # microseconds
    done | median | awk '{ printf "%.3f\n", $1 / 1000 }'
  fi
}
