# The benchmark harness in smoke mode, so it cannot rot: every scenario that is not pending
# runs once for cxpm at tiny sizes (no pm2, no npm registry, nothing installed), produces a
# number for each figure and loses no log line, and the report goes to a temporary place.
# ctest-timeout: 240
source "$(dirname "$0")/lib.sh"

doc=$CXPM_SOURCE_DIR/docs/benchmarks.md
doc_before=$(md5sum "$doc" 2>/dev/null || echo absent)

step "bench/run.sh --quick --no-pm2"
timeout 220 "$CXPM_SOURCE_DIR/bench/run.sh" --quick --no-pm2 --cxpm "$CXPM" --out "$WORK/bench" \
  >"$WORK/bench.log" 2>&1 || {
  tail -n 40 "$WORK/bench.log" >&2
  fail "bench/run.sh --quick failed"
}
results=$WORK/bench/results.tsv
[ -s "$results" ] || fail "no results file"

step "every scenario that is not pending has numbers for cxpm"
for file in "$CXPM_SOURCE_DIR"/bench/scenarios/*.sh; do
  grep -q '^# pending:' "$file" && continue
  scenario=$(basename "$file" .sh)
  numbers=$(awk -F'\t' -v s="$scenario" \
    '$2 == s && $4 == "cxpm" && $5 ~ /^-?[0-9]+(\.[0-9]+)?$/' "$results" | wc -l)
  [ "$numbers" -gt 0 ] || fail "no numbers for $scenario in $results"
done
for figure in "1-idle-rss daemon_rss" "2-cli-latency jlist_ms" "3-cluster-throughput new_conns_per_s" \
  "3-cluster-throughput keepalive_rps" "4-reload-failures failed_requests" \
  "5-crash-recovery recovery_ms" "6-log-throughput time_ms" "7-scale idle_cpu_pct" \
  "11-observe scrape_metrics_ms" "11-observe daemon_rss_web" "11-observe monit_daemon_cpu_ms_all"; do
  read -r scenario metric <<<"$figure"
  awk -F'\t' -v s="$scenario" -v m="$metric" '$2 == s && $3 == m && $4 == "cxpm"' "$results" |
    grep -q . || fail "no $metric for $scenario"
done

step "no request failed during the reloads"
failed=$(awk -F'\t' '$2 == "4-reload-failures" && $3 == "failed_requests" { print $5 }' "$results")
[ "$failed" = 0 ] || fail "requests failed during reloads: $failed"

step "no log line lost, by cxpm or by the file it is compared with"
lost=$(awk -F'\t' '$2 == "6-log-throughput" && $3 == "lines_lost" { print $4 "=" $5 }' "$results")
[ "$(echo "$lost" | sort | tr '\n' ' ')" = "ceiling=0 cxpm=0 " ] || fail "lines lost: $lost"

step "the report went to the results directory, not docs/"
grep -q '^# Benchmarks' "$WORK/bench/benchmarks.md" || fail "no quick report"
grep -q 'Cluster throughput' "$WORK/bench/benchmarks.md" || fail "the report lacks a scenario"
[ "$(md5sum "$doc" 2>/dev/null || echo absent)" = "$doc_before" ] || fail "docs/benchmarks.md changed"

step "no process of the benchmark outlived it"
# Daemons and apps inherit the run's private CXPM_HOME, under its work directory.
bench_work=$(sed -n 's/^\[bench\] work directory: //p' "$WORK/bench.log")
[ -n "$bench_work" ] || fail "run.sh did not name its work directory"
[ ! -e "$bench_work" ] || fail "run.sh left $bench_work behind"
left=$(grep -lsz "^CXPM_HOME=$bench_work/" /proc/[0-9]*/environ || true)
[ -z "$left" ] || fail "processes outlived the benchmark: $left"
echo "bench smoke: ok"
