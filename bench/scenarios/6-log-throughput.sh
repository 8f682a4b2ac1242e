#!/usr/bin/env bash
# title: Log throughput
# ceiling: yes
# about: bench/apps/logbench.c writes the run's line count of 80-byte lines to stdout in 4000-byte writes, then `END`, and stays alive. Time: from the app's first instruction to `END` being in the log file; the ceiling is the same app with stdout redirected straight to a file. Lines lost: lines written minus intact lines in the log (and its rotated files: cxpm rotates at 10 MiB by default; the app's `retain` is raised so that none is deleted, a key pm2 ignores). Then the daemon's CPU time and RSS. Last, lines lost at exit: a second app writes 10,000 lines (1,000 with `--quick`) and exits at once, as a crashing app would. Both managers start the apps from the same ecosystem JSON.
source "$(dirname "$0")/../lib.sh"
scenario_begin "$@"

timeout_ms=$((BENCH_WAIT_SECONDS * 1000))
stall_ms=5000 # a log that has not grown for this long has lost its end

# lines_app NAME COUNT [stay]: an ecosystem file with one app writing COUNT lines.
lines_app() {
  local name=$1 count=$2
  shift 2
  jq -n --arg name "$name" --arg bin "$BENCH_LOGBENCH" --arg dir "$SCRATCH" \
    --arg count "$count" --args '{apps: [{
      name: $name, script: $bin, interpreter: "none", autorestart: false,
      args: (["write", $count, "\($dir)/\($name).start"] + $ARGS.positional),
      out_file: "\($dir)/\($name)-out.log", error_file: "\($dir)/\($name)-err.log",
      retain: 1000 }]}' "$@" >"$SCRATCH/$name.json"
}

# intact_lines NAME: lines with their whole filler in NAME's log and its rotated files.
intact_lines() { cat "$SCRATCH/$1"-out*.log 2>/dev/null | grep -c ' x\{69\}$' || true; }

# --- the throughput run ------------------------------------------------------------------------

if [ "$MANAGER" = ceiling ]; then
  "$BENCH_LOGBENCH" write "$BENCH_LOG_LINES" "$SCRATCH/lines.start" stay >"$SCRATCH/lines-out.log" &
  writer=$!
else
  mgr_quiet ping # the daemon is up before the clock starts
  daemon=$(daemon_pid)
  ticks_before=$(cpu_ticks "$daemon")
  lines_app lines "$BENCH_LOG_LINES" stay
  mgr_quiet start "$SCRATCH/lines.json"
fi

if end_ns=$("$BENCH_LOGBENCH" wait "$SCRATCH/lines-out.log" "$timeout_ms" "$stall_ms"); then
  record time_ms "$(divide $((end_ns - $(cat "$SCRATCH/lines.start"))) 1000000)" ms lower \
    "time until every line is in the log"
else
  log "  $MANAGER: END never reached the log; no time recorded"
fi
record lines_lost "$((BENCH_LOG_LINES - $(intact_lines lines)))" lines lower "lines lost"

if [ "$MANAGER" = ceiling ]; then
  kill "$writer"
  exit 0
fi
record daemon_cpu_ms "$((($(cpu_ticks "$daemon") - ticks_before) * 1000 / $(getconf CLK_TCK)))" \
  ms lower "daemon CPU time spent"
sleep "$BENCH_SETTLE_SECONDS"
record daemon_rss_after "$(rss_mib "$daemon")" MiB lower "daemon RSS afterwards"

# --- lines lost when the app exits right after writing -----------------------------------------

lines_app exit "$BENCH_EXIT_LINES"
mgr_quiet start "$SCRATCH/exit.json"
"$BENCH_LOGBENCH" wait "$SCRATCH/exit-out.log" "$timeout_ms" 2000 >/dev/null 2>&1 || true
record lines_lost_at_exit "$((BENCH_EXIT_LINES - $(intact_lines exit)))" lines lower \
  "lines lost when the app exits at once"
