#!/usr/bin/env bash
# title: Scale
# about: The run's number of fork-mode apps, each `/bin/sleep infinity` (interpreter none), as separate apps of one ecosystem JSON file that both managers load. Time until all are online; then, after settling, the daemon's CPU use over an idle window (user+system ticks from /proc/<pid>/stat) and its RSS; then `ls` and `jlist` latency as in scenario 2.
source "$(dirname "$0")/../lib.sh"
scenario_begin "$@"

count=$BENCH_SCALE_PROCS
seconds=$(start_sleepers_file sleeper "$count")
record start_all_s "$seconds" s lower "start $count apps until all are online"

# Idle first: the latency runs below make the daemon work.
sleep "$BENCH_SETTLE_SECONDS"
daemon=$(daemon_pid)
ticks_before=$(cpu_ticks "$daemon")
sleep "$BENCH_IDLE_SECONDS"
ticks=$(($(cpu_ticks "$daemon") - ticks_before))
record idle_cpu_pct "$(awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" -v s="$BENCH_IDLE_SECONDS" \
  'BEGIN { printf "%.2f", t / hz / s * 100 }')" "% of a CPU" lower "daemon CPU while idle for ${BENCH_IDLE_SECONDS} s"
record daemon_rss "$(rss_mib "$daemon")" MiB lower "daemon RSS, $count apps"

record ls_ms "$(latency_ms "$BENCH_LATENCY_RUNS" "$(mgr_bin)" ls)" ms lower '`ls`'
record jlist_ms "$(latency_ms "$BENCH_LATENCY_RUNS" "$(mgr_bin)" jlist)" ms lower '`jlist`'
