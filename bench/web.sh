#!/usr/bin/env bash
# bench/web.sh [--cxpm PATH] [--apps N]: the figures of `cxpm web` (docs/web.md), outside the
# pm2 comparison (pm2 has no such server): the idle daemon's CPU with web on and nobody
# connected (clock ticks over 10 s of /proc/<pid>/stat), how long a scrape of /metrics and a
# GET of /api/processes take with N processes (200; curl's time_total, median of 20), and the
# daemon's RSS with web on and 4 apps. Runs in a private CXPM_HOME under /tmp, on a free port.
set -euo pipefail
cxpm=${CXPM:-$(dirname "$0")/../build/cxpm}
apps=200
while [ $# -gt 0 ]; do
  case $1 in
    --cxpm) cxpm=$2; shift 2 ;;
    --apps) apps=$2; shift 2 ;;
    *) echo "usage: $0 [--cxpm PATH] [--apps N]" >&2; exit 2 ;;
  esac
done
CXPM_HOME=$(mktemp -d /tmp/cxpm-bench.XXXXXX)
export CXPM_HOME
trap 'timeout 30 "$cxpm" kill >/dev/null 2>&1 || true; rm -rf "$CXPM_HOME"' EXIT
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
daemon_ticks() { awk '{ print $14 + $15 }' "/proc/$(cat "$CXPM_HOME/daemon.pid")/stat"; }
daemon_rss_kib() { awk '/^VmRSS/ { print $2 }' "/proc/$(cat "$CXPM_HOME/daemon.pid")/status"; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
timed() { for _ in $(seq 20); do curl -sf -o /dev/null -w '%{time_total}\n' "$1"; done | median; }
settled() { [ "$("$cxpm" ls --json | jq '[.[] | select(.status == "online")] | length')" = "$1" ]; }
wait_settled() {
  for _ in $(seq 600); do settled "$1" && return 0; sleep 0.1; done
  echo "timed out waiting for $1 online processes" >&2
  exit 1
}

for i in 1 2 3 4; do "$cxpm" start sleep --name "app$i" -- 100000 >/dev/null; done
"$cxpm" web --address "127.0.0.1:$port" >/dev/null
wait_settled 4
curl -sf -o /dev/null "$base/metrics"
sleep 1
echo "daemon RSS, web on, 4 apps, after a scrape: $(daemon_rss_kib) KiB"
before=$(daemon_ticks)
sleep 10
echo "daemon CPU over 10 s idle with web on, nobody connected: $(($(daemon_ticks) - before)) clock ticks ($(getconf CLK_TCK)/s)"
for i in $(seq 5 "$apps"); do "$cxpm" start sleep --name "app$i" -- 100000 >/dev/null; done
wait_settled "$apps"
echo "GET /metrics with $apps processes: median $(timed "$base/metrics") s of 20"
echo "GET /api/processes with $apps processes: median $(timed "$base/api/processes") s of 20"
echo "/metrics size with $apps processes: $(curl -sf "$base/metrics" | wc -c) bytes"
