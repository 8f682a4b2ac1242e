#!/usr/bin/env bash
# title: A thousand apps from one file
# about: 1,000 fork-mode apps, each `/bin/sleep infinity` (interpreter none), as separate apps of one ecosystem JSON file that both managers load with one `start`. Time from that command until all 1,000 are online; the daemon's RSS once they have settled, and that RSS per app; then the median `jlist` latency with 1,000 apps listed. BENCH_SCALE_FILE_APPS changes the count (20 in --quick).
source "$(dirname "$0")/../lib.sh"
scenario_begin "$@"

count=${BENCH_SCALE_FILE_APPS:-1000}
[ "$BENCH_QUICK" = 1 ] && count=${BENCH_SCALE_FILE_APPS:-20}
seconds=$(start_sleepers_file thousand "$count")
record start_file_s "$seconds" s lower "one \`start\` of a $count-app file until all are online"

sleep "$BENCH_SETTLE_SECONDS"
rss=$(rss_mib "$(daemon_pid)")
record daemon_rss "$rss" MiB lower "daemon RSS, $count apps"
record rss_per_app "$(awk -v r="$rss" -v n="$count" 'BEGIN { printf "%.1f", r * 1024 / n }')" KiB lower "daemon RSS / apps"
record jlist_ms "$(latency_ms "$BENCH_LATENCY_RUNS" "$(mgr_bin)" jlist)" ms lower "\`jlist\`, $count apps"
