#!/usr/bin/env bash
# title: Failed requests during reloads
# about: The hello server of scenario 3 (`bench/apps/hello.js`), 2 workers (`-i 2 --wait-ready --listen-timeout 10000`, the same flags for both managers; cxpm in its default socket mode), under continuous load from `bench/apps/load.js`: 8 keep-alive loops and 8 loops opening a new connection per request, on the same machine. Meanwhile `reload` runs 20 times in a row (3 with `--quick`), each command waiting for the previous to return. A failed request is a connection error, a request without an answer after 5 s, or a status other than 200. The app does its part: it says ready once it listens (`process.send('ready')`) and on SIGINT stops accepting, answers what is in flight with `Connection: close` and exits once its connections are gone. Also the wall time of one `reload` command (median). Then the same with the ordinary server people usually write (`BENCH_ORDINARY=1`: no signal handler, so SIGINT ends it at once with whatever it had accepted; it listens after a 700 ms warm-up), where only the manager can keep requests from failing: cxpm drains a retiring worker before it signals it (docs/cluster.md, "Steering and draining").
source "$(dirname "$0")/../lib.sh"
source "$BENCH_DIR/cluster.sh"
cluster_begin "$@"

reloads=${BENCH_RELOADS:-20}

cluster_start reuseport # cxpm's default socket mode; pm2 has one
before=$(worker_pids | sort | tr '\n' ' ')
load_start 8 8 600
sleep 0.5 # every loop is running before the first reload

for ((i = 0; i < reloads; i++)); do
  t0=$(now_us)
  timeout 120 "$(mgr_bin)" reload hello >>"$MGR_LOG" 2>&1 || die "reload $((i + 1)) failed"
  t1=$(now_us)
  echo $((t1 - t0))
done >"$SCRATCH/reload.us"
wait_until 60 "$WORKERS workers online" has_workers "$WORKERS"
sleep 0.5 # the last replacements serve a moment under load too
load_stop

after=$(worker_pids | sort | tr '\n' ' ')
[ "$before" != "$after" ] || die "reload did not replace the workers (pids $before)"
# How many requests the failures are among: logged, not a figure (it grows with the time
# the reloads take, so more is not better).
log "  workers: $before-> $after; $(load_figure '.workers | length') answered during the load;" \
  "$(load_figure '.keepalive.ok + .close.ok') requests answered"


record failed_requests "$(load_figure '.keepalive.failed + .close.failed')" requests lower \
  "failed requests during $reloads reloads, in all"
record failed_keepalive "$(load_figure .keepalive.failed)" requests lower "… of them keep-alive"
record failed_new_conns "$(load_figure .close.failed)" requests lower "… of them on new connections"
record reload_ms "$(divide "$(median <"$SCRATCH/reload.us")" 1000)" ms lower \
  "one \`reload\` of 2 workers, median"

# The ordinary server: nothing done on SIGINT, so what a reload loses is the manager's doing.
cluster_stop
BENCH_ORDINARY=1 cluster_start reuseport
load_start 8 8 600
sleep 0.5
for ((i = 0; i < reloads; i++)); do
  timeout 120 "$(mgr_bin)" reload hello >>"$MGR_LOG" 2>&1 || die "reload $((i + 1)) failed"
done
wait_until 60 "$WORKERS workers online" has_workers "$WORKERS"
sleep 0.5
load_stop
record failed_ordinary "$(load_figure '.keepalive.failed + .close.failed')" requests lower \
  "ordinary server (no signal handler): failed requests during $reloads reloads"
record failed_ordinary_keepalive "$(load_figure .keepalive.failed)" requests lower \
  "… of them keep-alive"
record failed_ordinary_new_conns "$(load_figure .close.failed)" requests lower \
  "… of them on new connections"
