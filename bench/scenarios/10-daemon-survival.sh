#!/usr/bin/env bash
# title: The daemon's death and upgrade
# about: The hello server of scenarios 3–5 (2 workers) under the load of scenario 4 (8 keep-alive loops, 8 loops opening a new connection per request), beside `bench/apps/numbered.js`, a fork-mode app writing 2,000 numbered lines a second to stdout. Crash: `kill -9` of the manager's daemon, then at once its `jlist`, run until it answers and lists the apps again (at most 10 s: pm2's new daemon answers with an empty list). Upgrade, once the apps run again (restarted if the crash lost them): `cxpm update` / `pm2 update`. Figures per phase: failed requests (connection errors, 5 s timeouts, statuses other than 200), app processes of before the phase that are not running after it, and the time from the kill to the first `jlist` that lists every app. Lines lost: lines the app got into its pipe (it counts them) that are not in the manager's log file at the end.
source "$(dirname "$0")/../lib.sh"
source "$BENCH_DIR/cluster.sh"
cluster_begin "$@"

NUMBERED=$BENCH_DIR/apps/numbered.js

# app_pids: every app process the manager lists as online, one a line.
app_pids() {
  case $MANAGER in
    cxpm) mgr jlist | jq '.[] | select(.status == "online") | .pid' ;;
    pm2) mgr jlist | jq '.[] | select(.pm2_env.status == "online") | .pid' ;;
  esac
}
# died BEFORE: how many of the pids in BEFORE are no longer running.
died() {
  local count=0 pid
  for pid in $1; do kill -0 "$pid" 2>/dev/null || count=$((count + 1)); done
  echo "$count"
}
lists_every_app() { [ "$(app_pids | grep -c .)" = "$((WORKERS + 1))" ]; }
start_numbered() {
  BENCH_COUNT_DIR=$SCRATCH/counts mgr_quiet start "$NUMBERED" --name numbered
}

cluster_start reuseport
start_numbered
wait_until 30 "every app online" lists_every_app

# --- crash --------------------------------------------------------------------------------------
before=$(app_pids | tr '\n' ' ')
load_start 8 8 600
sleep 1
victim=$(daemon_pid)
kill_us=$(now_us)
kill -9 "$victim"
answered_us=""
deadline=$((SECONDS + 10))
while [ "$SECONDS" -lt "$deadline" ]; do
  if lists_every_app; then
    answered_us=$(now_us)
    break
  fi
done
sleep 1 # failures right after the answer count too
load_stop
record crash_failed_requests "$(load_figure '.keepalive.failed + .close.failed')" requests \
  lower "kill -9 of the daemon: failed requests"
record crash_apps_died "$(died "$before")" processes lower "… app processes that died"
if [ -n "$answered_us" ]; then
  record crash_answer_ms "$(divide "$((answered_us - kill_us))" 1000)" ms lower \
    "… from the kill to a jlist that lists every app"
else
  log "  $MANAGER never listed the apps again within 10 s of the kill"
fi

# --- upgrade ------------------------------------------------------------------------------------
if ! lists_every_app; then # what the crash lost comes back, so the upgrade has apps to keep
  mgr_quiet delete all || true
  cluster_start reuseport
  start_numbered
  wait_until 30 "every app online" lists_every_app
fi
before=$(app_pids | tr '\n' ' ')
load_start 8 8 600
sleep 1
timeout 120 "$(mgr_bin)" update >>"$MGR_LOG" 2>&1 || log "  $MANAGER update failed"
wait_until 60 "every app online after the update" lists_every_app
sleep 1
load_stop
record update_failed_requests "$(load_figure '.keepalive.failed + .close.failed')" requests \
  lower "update: failed requests"
record update_apps_died "$(died "$before")" processes lower "… app processes that died"

# --- lines ------------------------------------------------------------------------------------
# Each run of the app (a crash may have cost pm2 the first) counted its own lines.
numbered_pid=$(mgr jlist | jq '[.[] | select(.name == "numbered") | .pid] | first // 0')
touch "$SCRATCH/counts/numbered.stop"
if [ "$numbered_pid" != 0 ]; then
  wait_until 10 "the numbered app's last count" test -e "$SCRATCH/counts/numbered.$numbered_pid.done"
fi
case $MANAGER in
  cxpm) log_dir=$CXPM_HOME/logs ;;
  pm2) log_dir=$PM2_HOME/logs ;;
esac
shopt -s nullglob
logs=("$log_dir"/numbered-out*.log)
counts=("$SCRATCH"/counts/numbered.*.count)
[ ${#counts[@]} -gt 0 ] || die "the numbered app recorded no count in $SCRATCH/counts"
[ ${#logs[@]} -gt 0 ] || die "no log file of the numbered app in $log_dir"
written=0 lost=0
for count in "${counts[@]}"; do
  pid=$(basename "$count" .count)
  pid=${pid#numbered.}
  n=$(cat "$count")
  # A run still going (one the manager lost track of) may be rewriting its count right now.
  [[ $n =~ ^[0-9]+$ ]] || { log "  numbered pid $pid: count '$n' unreadable; not counted"; continue; }
  # (grep finds nothing when every line of that run was lost: that is a figure, not a failure)
  present=$(cat "${logs[@]}" | { grep -E "^$pid line [0-9]+\$" || true; } | sort -u |
    awk -v n="$n" '{ if ($3 <= n) c++ } END { print c + 0 }')
  log "  numbered pid $pid: $n lines written, $present of them in the log"
  written=$((written + n))
  lost=$((lost + n - present))
done
record lines_lost "$lost" lines lower "lines the app wrote that are not in the log (of $written)"
