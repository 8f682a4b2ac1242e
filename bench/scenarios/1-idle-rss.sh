#!/usr/bin/env bash
# title: Daemon memory, idle with 4 apps
# about: Four fork-mode apps (bench/apps/alive.js, a Node process that does nothing) from one ecosystem file; the daemon's VmRSS once they are online and have settled. cxpm: $CXPM_HOME/daemon.pid; pm2: the God daemon in $PM2_HOME/pm2.pid.
source "$(dirname "$0")/../lib.sh"
scenario_begin "$@"

ecosystem_json idle 4 "$BENCH_DIR/apps/alive.js" >"$SCRATCH/idle.json"
mgr_quiet start "$SCRATCH/idle.json"
wait_until 60 "4 apps online" has_online 4
sleep "$BENCH_SETTLE_SECONDS" # let start-up garbage be collected, as on a real server
record daemon_rss "$(rss_mib "$(daemon_pid)")" MiB lower "daemon RSS, 4 idle apps"
