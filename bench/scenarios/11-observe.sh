#!/usr/bin/env bash
# title: Observing: the web server's scrape, and what monit costs the daemon
# about: Fork-mode apps, each `/bin/sleep infinity` (interpreter none), from ecosystem files both managers load. cxpm serves `cxpm web --address 127.0.0.1:<a free port>` throughout; pm2 has no built-in web server, so its rows are its daemon without one, and its scrape is what its Prometheus exporters read. With 4 apps: the daemon's RSS after a first scrape (cxpm `GET /metrics`, pm2 `jlist`) and a settle; the daemon's CPU (user+system from /proc/<pid>/stat, clock ticks of 10 ms) over the idle window with nobody connected; then over the same window with `cxpm monit` / `pm2 monit` open in a detached 200×50 tmux session (a private tmux server), and that monit client's own CPU. Then with the run's number of apps (BENCH_SCALE_PROCS: 200, 20 in --quick): both windows again, and the scrape latency: cxpm `GET /metrics` and `GET /api/processes` (curl's time_total, median of the latency runs) against the whole `pm2 jlist` command and against `list()` through pm2's API from a client kept connected (what pm2's Prometheus exporters do), serialised; and the bytes of one scrape.
source "$(dirname "$0")/../lib.sh"
scenario_begin "$@"
[ "$MANAGER" != ceiling ] || die "no ceiling here"

count=$BENCH_SCALE_PROCS
hz=$(getconf CLK_TCK)
have_tmux=0
command -v tmux >/dev/null && have_tmux=1
[ "$have_tmux" = 1 ] || log "  tmux not found (Debian package tmux): the monit rows are skipped"

# A tmux server of this scenario's own (its socket in the scenario's home), stopped however
# the scenario ends; it carries the private homes in its environment, so run.sh's sweep would
# also find it after a kill -9.
TMUX_SOCKET=$SCRATCH/tmux.sock
tm() { tmux -S "$TMUX_SOCKET" "$@"; }
observe_end() {
  local status=$?
  set +e # clean up everything, even past a failing step
  [ "$have_tmux" = 0 ] || tm kill-server 2>/dev/null
  (exit "$status") # scenario_end reads the status from $?
  scenario_end
}
trap observe_end EXIT

# cpu_ms TICKS: clock ticks as milliseconds of CPU.
cpu_ms() { awk -v t="$1" -v hz="$hz" 'BEGIN { printf "%.0f", t * 1000 / hz }'; }

# --- the apps, and cxpm's web server ------------------------------------------------------------

ecosystem_json obs 4 /bin/sleep infinity >"$SCRATCH/first.json"
mgr_quiet ping
mgr_quiet start "$SCRATCH/first.json"
wait_until "$BENCH_WAIT_SECONDS" "4 apps online" has_online 4
base=""
if [ "$MANAGER" = cxpm ]; then
  port=$(free_port)
  base=http://127.0.0.1:$port
  mgr_quiet web --address "127.0.0.1:$port"
  wait_until 30 "cxpm web on port $port" curl -sf -m 2 -o /dev/null "$base/metrics"
fi

# scrape_once: what a monitoring system reads from the manager, once.
scrape_once() {
  case $MANAGER in
    cxpm) curl -sf -m 10 -o /dev/null "$base/metrics" ;;
    pm2) mgr jlist >/dev/null ;;
  esac
}

# --- 4 apps: memory and idle CPU ----------------------------------------------------------------

scrape_once
sleep "$BENCH_SETTLE_SECONDS"
daemon=$(daemon_pid)
record daemon_rss_web "$(rss_mib "$daemon")" MiB lower \
  "daemon RSS, 4 apps, after one scrape (cxpm: web on; pm2: no built-in web server)"


# --- monit in a terminal ------------------------------------------------------------------------

pane_has() { tm capture-pane -p -t monit | grep -qE -- "$1"; }

# idle_window APPS SUFFIX: the daemon's CPU over the idle window, nobody connected.
idle_window() {
  local before
  before=$(cpu_ticks "$daemon")
  sleep "$BENCH_IDLE_SECONDS"
  record "idle_cpu_ms$2" "$(cpu_ms $(($(cpu_ticks "$daemon") - before)))" "ms of CPU" lower \
    "daemon CPU in ${BENCH_IDLE_SECONDS} s idle, $1 apps, nobody connected (cxpm: web on)"
}

# monit_window APPS SUFFIX: the daemon's CPU and the monit client's over the idle window
# while the manager's monit runs in a 200×50 terminal, showing the apps. SUFFIX keeps
# the metric names apart (4 apps, the run's number).
monit_window() {
  local apps=$1 suffix=$2 client daemon_before client_before
  [ "$have_tmux" = 1 ] || return 0
  # The command as separate words: tmux runs it without a shell, so the pane's process is
  # the monit client itself (pm2's is its Node process).
  tm new-session -d -s monit -x 200 -y 50 -e LANG=C.UTF-8 \
    -e "CXPM_HOME=$CXPM_HOME" -e "PM2_HOME=$PM2_HOME" "$(mgr_bin)" monit
  # Any app's row: pm2's list is sorted by name, so obs-0 may be below its rows.
  wait_until 30 "$MANAGER monit showing the apps" pane_has '(obs|more)-[0-9]'
  client=$(tm display-message -p -t monit '#{pane_pid}')
  sleep "$BENCH_SETTLE_SECONDS" # past its start-up
  daemon_before=$(cpu_ticks "$daemon")
  client_before=$(cpu_ticks "$client")
  sleep "$BENCH_IDLE_SECONDS"
  record "monit_daemon_cpu_ms$suffix" "$(cpu_ms $(($(cpu_ticks "$daemon") - daemon_before)))" \
    "ms of CPU" lower "daemon CPU in ${BENCH_IDLE_SECONDS} s, $apps apps, one \`monit\` open"
  record "monit_client_cpu_ms$suffix" "$(cpu_ms $(($(cpu_ticks "$client") - client_before)))" \
    "ms of CPU" lower "the \`monit\` client's own CPU in ${BENCH_IDLE_SECONDS} s, $apps apps"
  tm kill-session -t monit
}
idle_window 4 ""
monit_window 4 ""

# --- the run's number of apps: monit again, and the scrape -----------------------------------

if [ "$count" -gt 4 ]; then
  ecosystem_json more $((count - 4)) /bin/sleep infinity >"$SCRATCH/more.json"
  mgr_quiet start "$SCRATCH/more.json"
  WAIT_POLL=0.5 wait_until "$BENCH_WAIT_SECONDS" "$count apps online" has_online "$count"
  sleep "$BENCH_SETTLE_SECONDS"
  idle_window "$count" _all
  monit_window "$count" _all
fi

# curl_ms URL: the median of curl's time_total for URL over the latency runs, in ms, after a
# warm-up; curl's own start-up is not in it.
curl_ms() {
  local i
  for ((i = 0; i <= BENCH_LATENCY_RUNS; i++)); do
    curl -sf -m 10 -o /dev/null -w '%{time_total}\n' "$1"
  done | tail -n +2 | median | awk '{ printf "%.3f\n", $1 * 1000 }'
}

pm2_dir=""
[ "$MANAGER" = pm2 ] && pm2_dir=$(dirname "$(realpath "$PM2")")/..
case $MANAGER in
  cxpm)
    metrics=$(curl_ms "$base/metrics")
    api=$(curl_ms "$base/api/processes")
    bytes=$(curl -sf -m 10 "$base/metrics" | wc -c) ;;
  pm2)
    metrics=$(latency_ms "$BENCH_LATENCY_RUNS" "$PM2" jlist)
    listed=$(timeout 120 node "$BENCH_DIR/apps/pm2-list.js" "$pm2_dir" "$BENCH_LATENCY_RUNS" \
      2>>"$MGR_LOG") || die "pm2's API client failed; see $MGR_LOG"
    read -r api bytes <<<"$listed" ;;
esac
record scrape_metrics_ms "$metrics" ms lower \
  "a scrape of $count processes: cxpm \`GET /metrics\` (curl's time_total) against the whole \`pm2 jlist\` command"
record scrape_api_ms "$api" ms lower \
  "the process list, $count processes: cxpm \`GET /api/processes\` (curl's time_total) against \`list()\` through pm2's API from a connected client, serialised (as pm2's Prometheus exporters scrape)"
record scrape_bytes "$bytes" bytes lower \
  "one scrape's size, $count processes: cxpm's \`/metrics\` text against pm2's list as JSON"
