#!/usr/bin/env bash
# title: Log throughput
# ceiling: yes
# about: bench/apps/logbench.c writes the run's line count of 80-byte lines to stdout in 4000-byte writes, then `END`, and exits (started with `--no-autorestart`, log path given with `-o`). Time: from the app's first instruction to `END` being in the log file; the ceiling is the same app with stdout redirected straight to a file. Lines lost: lines written minus intact lines in the log. The daemon's RSS afterwards and the CPU time it spent are recorded too.
source "$(dirname "$0")/../lib.sh"
scenario_begin "$@"

lines=$BENCH_LOG_LINES
out=$SCRATCH/lines-out.log
stamp=$SCRATCH/start.ns
timeout_ms=$((BENCH_WAIT_SECONDS * 1000))

case $MANAGER in
  ceiling)
    "$BENCH_LOGBENCH" write "$lines" "$stamp" >"$out" &
    ;;
  cxpm | pm2)
    mgr_quiet ping # the daemon is up before the clock starts
    daemon=$(daemon_pid)
    ticks_before=$(cpu_ticks "$daemon")
    extra=()
    [ "$MANAGER" = pm2 ] && extra=(--interpreter none) # pm2 would run it with node
    mgr_quiet start "$BENCH_LOGBENCH" --name lines --no-autorestart -o "$out" \
      -e "$SCRATCH/lines-err.log" "${extra[@]}" -- write "$lines" "$stamp"
    ;;
esac

if end_ns=$("$BENCH_LOGBENCH" wait "$out" "$timeout_ms"); then
  start_ns=$(cat "$stamp")
  record time_ms "$(divide $((end_ns - start_ns)) 1000000)" ms lower "time until every line is in the log"
else
  log "  $MANAGER: END never reached the log; no time recorded"
fi
wait # the ceiling's writer
intact=$(grep -c ' x\{69\}$' "$out" || true)
record lines_lost "$((lines - intact))" lines lower "lines lost"

if [ "$MANAGER" != ceiling ]; then
  ticks=$(($(cpu_ticks "$daemon") - ticks_before))
  record daemon_cpu_ms "$((ticks * 1000 / $(getconf CLK_TCK)))" ms lower "daemon CPU time spent"
  sleep "$BENCH_SETTLE_SECONDS"
  record daemon_rss_after "$(rss_mib "$daemon")" MiB lower "daemon RSS afterwards"
fi
