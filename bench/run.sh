#!/usr/bin/env bash
# Benchmarks cxpm against pm2 on the same apps in the same run, and regenerates
# docs/benchmarks.md with its plots. See bench/README.md.
#
#   bench/run.sh [--rounds N] [--quick] [--no-pm2] [--cxpm PATH] [--pm2 PATH]
#                [--only 1,2,...] [--out DIR] [--doc FILE]
source "$(dirname "$0")/lib.sh"
REPO_DIR=$(cd "$BENCH_DIR/.." && pwd)

usage() {
  cat <<'EOF'
usage: bench/run.sh [options]
  --rounds N     rounds; each runs every scenario for each manager, order alternating (5)
  --quick        smoke mode: 1 round, tiny sizes, no tools installed, report off docs/
  --no-pm2       measure cxpm only (no npm registry needed)
  --cxpm PATH    use this cxpm binary instead of building a Release one
  --pm2 PATH     use this pm2 CLI instead of installing pm2@latest in a temporary prefix
  --only LIST    scenario numbers to run, e.g. 1,2 (default: all that are not pending)
  --out DIR      results directory (default: bench/results/<UTC time>)
  --doc FILE     report to write (default: docs/benchmarks.md; with --quick: DIR/benchmarks.md)
EOF
}

rounds=5 quick=0 with_pm2=1 only="" out="" doc=""
CXPM="" PM2=""
while [ $# -gt 0 ]; do
  case $1 in
    --rounds) rounds=$2 && shift ;;
    --quick) quick=1 rounds=1 ;;
    --no-pm2) with_pm2=0 ;;
    --cxpm) CXPM=$(realpath "$2") && shift ;;
    --pm2) PM2=$(realpath "$2") && shift ;;
    --only) only=$2 && shift ;;
    --out) out=$2 && shift ;;
    --doc) doc=$2 && shift ;;
    -h | --help) usage && exit 0 ;;
    *) usage >&2 && die "unknown option '$1'" ;;
  esac
  shift
done
[[ $rounds =~ ^[1-9][0-9]*$ ]] || die "--rounds wants a positive number"
export BENCH_QUICK=$quick # scenarios with sizes of their own shrink them when it is 1

# Sizes: the issue's in a full run; small enough in --quick to finish in seconds.
if [ "$quick" = 1 ]; then
  export BENCH_LOG_LINES=10000 BENCH_EXIT_LINES=1000 BENCH_SCALE_PROCS=20 BENCH_IDLE_SECONDS=1 \
    BENCH_LATENCY_RUNS=5 BENCH_START_STOP_RUNS=3 BENCH_SETTLE_SECONDS=0.2 BENCH_WAIT_SECONDS=30 \
    BENCH_CHAT_CLIENTS=50 BENCH_CHAT_SECONDS=2 BENCH_CHAT_BURST=5 \
    BENCH_CLUSTER_SECONDS=1 BENCH_RELOADS=3
  scenario_timeout=60
else
  export BENCH_LOG_LINES=1000000 BENCH_EXIT_LINES=10000 BENCH_SCALE_PROCS=200 BENCH_IDLE_SECONDS=10 \
    BENCH_LATENCY_RUNS=20 BENCH_START_STOP_RUNS=10 BENCH_SETTLE_SECONDS=2 BENCH_WAIT_SECONDS=180 \
    BENCH_CLUSTER_SECONDS=3 BENCH_RELOADS=20
  scenario_timeout=900
fi

# --- tools ------------------------------------------------------------------------------------

# need_debian_package COMMAND PACKAGE: installs PACKAGE when COMMAND is missing. A smoke run
# installs nothing: it falls back (a timing loop, no plots) or fails with what to install.
need_debian_package() {
  local command=$1 package=$2
  command -v "$command" >/dev/null && return 0
  if [ "$quick" = 1 ]; then
    log "$command not found (Debian package $package); the smoke run goes on without it"
    return 1
  fi
  [ "$(id -u)" = 0 ] || die "$command is missing: apt-get install $package (as root)"
  if ! apt-cache policy "$package" | grep -q 'Candidate: [0-9]'; then
    apt-get update -qq
  fi
  apt-cache policy "$package" | grep -q 'Candidate: [0-9]' || die "no Debian package $package"
  log "installing $package"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null
}

# curl: the cluster scenarios wait on their servers with it, 11 times the web server's scrape.
for tool in jq:jq cc:gcc node:nodejs curl:curl ss:iproute2; do
  need_debian_package "${tool%%:*}" "${tool#*:}" || die "${tool%%:*} is required"
done
need_debian_package hyperfine hyperfine || true
need_debian_package gnuplot gnuplot-nox || true
need_debian_package wrk wrk || true  # the cluster throughput scenario's load
need_debian_package nginx nginx || true  # the chat scenario's front
need_debian_package redis-server redis-server || true  # the chat scenario's adapter
need_debian_package tmux tmux || true  # the terminal monit runs in (scenario 11)

# --- a private work area, cleaned up however the run ends -------------------------------------

BENCH_WORK=$(mktemp -d /tmp/cxpm-bench.XXXXXX)
mkdir -p "$BENCH_WORK/homes" "$BENCH_WORK/logs" "$BENCH_WORK/bin"
export BENCH_WORK
log "work directory: $BENCH_WORK"

cleanup() {
  local status=$? home pids
  # A scenario stops its own managers; this catches one that was killed by its timeout.
  for home in "$BENCH_WORK"/homes/*/; do
    [ -d "$home" ] || continue
    stop_manager "$(basename "$home" | cut -d. -f1)" "$home" >/dev/null 2>&1 || true
  done
  # Last resort: whatever still runs with a home of this run (daemons, apps) inherited it.
  pids=$(grep -lsz "^CXPM_HOME=$BENCH_WORK/homes/" /proc/[0-9]*/environ | cut -d/ -f3 || true)
  # shellcheck disable=SC2086 # one pid per word
  [ -z "$pids" ] || kill -9 $pids 2>/dev/null || true
  if [ "$status" -ne 0 ]; then
    log "failed; manager output kept in $BENCH_WORK/logs"
    rm -rf "$BENCH_WORK/homes" "$BENCH_WORK/pm2"
  else
    rm -rf "$BENCH_WORK"
  fi
}
trap cleanup EXIT

# run_scenario FILE MANAGER: runs it under a deadline, in the background so that an
# interrupt here reaches it: `timeout` gives it a process group of its own, which the
# terminal's Ctrl-C would miss.
scenario_pid=""
run_scenario() {
  timeout --kill-after=10 "$scenario_timeout" bash "$1" "$2" &
  scenario_pid=$!
  wait "$scenario_pid"
}
interrupted() {
  if [ -n "$scenario_pid" ]; then
    kill -TERM -- "-$scenario_pid" 2>/dev/null || true
    wait "$scenario_pid" || true # its EXIT trap stops its manager
  fi
  exit 130
}
trap interrupted INT TERM

# --- the two managers --------------------------------------------------------------------------

cxpm_build="binary given with --cxpm"
if [ -z "$CXPM" ]; then
  log "building cxpm (Release) into build-release/"
  (cd "$REPO_DIR" && BUILD_DIR=build-release BUILD_TYPE=Release ./scripts/build.sh) >&2
  CXPM=$REPO_DIR/build-release/cxpm
  cxpm_build="Release build"
fi
[ -x "$CXPM" ] || die "no cxpm binary at $CXPM"
export CXPM

managers=(cxpm)
if [ "$with_pm2" = 1 ]; then
  if [ -z "$PM2" ]; then
    need_debian_package npm npm || die "npm is required to install pm2 (or pass --no-pm2)"
    log "installing pm2@latest from npm into a temporary prefix"
    npm install --prefix "$BENCH_WORK/pm2" --no-audit --no-fund --silent pm2@latest >&2
    PM2=$BENCH_WORK/pm2/node_modules/.bin/pm2
  fi
  [ -x "$PM2" ] || die "no pm2 CLI at $PM2"
  managers+=(pm2)
fi
export PM2
# No pm2 command runs without a private PM2_HOME: even `pm2 --version` starts a daemon.
export PM2_HOME=$BENCH_WORK/homes/no-pm2-here

cc -O2 -Wall -Wextra -o "$BENCH_WORK/bin/logbench" "$BENCH_DIR/apps/logbench.c"
export BENCH_LOGBENCH=$BENCH_WORK/bin/logbench

# --- results directory and the machine's description -----------------------------------------

stamp=$(date -u +%Y%m%dT%H%M%SZ)
if [ -z "$out" ]; then
  out=$BENCH_DIR/results/$stamp
  mkdir -p "$out"
  ln -sfn "$stamp" "$BENCH_DIR/results/latest"
fi
mkdir -p "$out"
out=$(realpath "$out")
if [ -z "$doc" ]; then
  if [ "$quick" = 1 ]; then doc=$out/benchmarks.md; else doc=$REPO_DIR/docs/benchmarks.md; fi
fi
export BENCH_RESULTS=$out/results.tsv
printf 'round\tscenario\tmetric\tmanager\tvalue\tunit\tbetter\tlabel\n' >"$BENCH_RESULTS"

pm2_version="not measured (--no-pm2)"
if [ "$with_pm2" = 1 ]; then
  pm2_version="$(jq -r .version "$(dirname "$(realpath "$PM2")")/../package.json") (npm), fork mode (cluster mode in scenarios 3–5 and the chat)"
fi
jq -n \
  --arg date "$(date -u '+%Y-%m-%d %H:%M UTC')" \
  --arg cpu "$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)" \
  --arg nproc "$(nproc)" \
  --arg memory "$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)" \
  --arg kernel "$(uname -sr)" \
  --arg os "$(. /etc/os-release && echo "$PRETTY_NAME")" \
  --arg node "$(node --version)" \
  --arg pm2 "$pm2_version" \
  --arg cxpm "$(CXPM_HOME=$BENCH_WORK/homes/version "$CXPM" --version)" \
  --arg commit "$(git -C "$REPO_DIR" describe --always --dirty 2>/dev/null || echo unknown)" \
  --arg cxpm_build "$cxpm_build" \
  --argjson rounds "$rounds" --argjson quick "$quick" \
  --argjson log_lines "$BENCH_LOG_LINES" --argjson scale_procs "$BENCH_SCALE_PROCS" \
  --argjson idle_seconds "$BENCH_IDLE_SECONDS" \
  --arg load_before "$(cut -d' ' -f1-3 /proc/loadavg)" \
  '$ARGS.named' >"$out/machine.json"

# --- rounds ----------------------------------------------------------------------------------

# Scenarios run in file order; a file with a "# pending:" line is only reported.
scenarios=()
for file in $(ls "$BENCH_DIR"/scenarios/*.sh | sort -V); do
  grep -q '^# pending:' "$file" && continue
  number=$(basename "$file" | cut -d- -f1)
  [ -n "$only" ] && [[ ",$only," != *",$number,"* ]] && continue
  scenarios+=("$file")
done
[ ${#scenarios[@]} -gt 0 ] || die "no scenario selected"

failures=0
for ((round = 1; round <= rounds; round++)); do
  export BENCH_ROUND=$round
  for file in "${scenarios[@]}"; do
    order=("${managers[@]}")
    grep -q '^# ceiling: yes' "$file" && order+=(ceiling)
    # Alternate who goes first, so neither manager always runs on a warmer machine.
    if ((round % 2 == 0)); then
      for ((i = 0, j = ${#order[@]} - 1; i < j; i++, j--)); do
        tmp=${order[i]} order[i]=${order[j]} order[j]=$tmp
      done
    fi
    for manager in "${order[@]}"; do
      log "round $round/$rounds: $(basename "$file" .sh) with $manager"
      if ! run_scenario "$file" "$manager"; then
        log "$(basename "$file" .sh) failed for $manager (round $round)"
        failures=$((failures + 1))
      fi
    done
  done
done

# Other work on a shared machine shows in its load; the report prints both.
jq --arg load "$(cut -d' ' -f1-3 /proc/loadavg)" '.load_after = $load' "$out/machine.json" \
  >"$out/machine.json.new" && mv "$out/machine.json.new" "$out/machine.json"
"$BENCH_DIR/report.sh" "$out" "$doc"
log "results: $BENCH_RESULTS"
log "report:  $doc"
[ "$failures" -eq 0 ] || die "$failures scenario run(s) failed; see the messages above"
