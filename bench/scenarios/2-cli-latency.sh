#!/usr/bin/env bash
# title: CLI latency
# about: Median wall time of one CLI command against a daemon that manages 4 idle apps (as in scenario 1): `jlist` and `ls` timed by hyperfine (no shell, warm-up runs), and `start` of one more app followed by its `stop` (its `delete` afterwards is not timed).
source "$(dirname "$0")/../lib.sh"
scenario_begin "$@"

ecosystem_json idle 4 "$BENCH_DIR/apps/alive.js" >"$SCRATCH/idle.json"
mgr_quiet start "$SCRATCH/idle.json"
wait_until 60 "4 apps online" has_online 4

record jlist_ms "$(latency_ms "$BENCH_LATENCY_RUNS" "$(mgr_bin)" jlist)" ms lower '`jlist`'
record ls_ms "$(latency_ms "$BENCH_LATENCY_RUNS" "$(mgr_bin)" ls)" ms lower '`ls`'

# start + stop, timed as a user sees it: from typing `start` to `stop` returning.
app=$BENCH_DIR/apps/alive.js
for ((i = 0; i < BENCH_START_STOP_RUNS; i++)); do
  t0=$(now_us)
  mgr_quiet start "$app" --name one
  mgr_quiet stop one
  t1=$(now_us)
  echo $((t1 - t0))
  mgr_quiet delete one
done >"$SCRATCH/start-stop.us"
record start_stop_ms "$(divide "$(median <"$SCRATCH/start-stop.us")" 1000)" \
  ms lower '`start` + `stop` of one app'
