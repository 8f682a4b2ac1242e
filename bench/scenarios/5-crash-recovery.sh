#!/usr/bin/env bash
# title: Crash recovery
# about: The hello server of scenarios 3 and 4, 2 workers, under the load of scenario 4 (8 keep-alive loops, 8 loops opening a new connection per request). Once the load runs, `kill -9` of instance 0's worker. Failed requests from the kill until 1 s after the app is whole again (connection errors, 5 s timeouts, statuses other than 200; the requests the killed worker had accepted die with it under any manager). Recovery: from the kill to the first answer from the replacement worker (a pid the load has not seen before), as seen by the load client; by then the manager also lists 2 online workers.
source "$(dirname "$0")/../lib.sh"
source "$BENCH_DIR/cluster.sh"
cluster_begin "$@"

cluster_start reuseport # cxpm's default socket mode; pm2 has one
before=$(worker_pids | tr '\n' ' ')
victim=$(worker_pids 0)
[ -n "$victim" ] || die "no worker with instance 0"
load_start 8 8 600
sleep 1 # steady state: every loop running, both workers answering

# replacement_ms: when the first worker that is not one of $before answered (epoch ms).
replacement_ms() {
  awk -v old=" $before" '{ if (index(old, " " $1 " ") == 0) { print $2; found = 1; exit } }
    END { exit !found }' "$SCRATCH/load.stop.workers"
}

kill_us=$(now_us)
kill -9 "$victim"
WAIT_POLL=0.02 wait_until 60 "a new worker answering" replacement_ms
answered_ms=$(replacement_ms)
wait_until 60 "$WORKERS workers online" has_workers "$WORKERS"
sleep 1 # failures right after the recovery count too
load_stop

record recovery_ms "$(divide "$((answered_ms * 1000 - kill_us))" 1000)" ms lower \
  "from kill -9 to the replacement's first answer"
record failed_requests "$(load_figure '.keepalive.failed + .close.failed')" requests lower \
  "failed requests, in all"
record failed_keepalive "$(load_figure .keepalive.failed)" requests lower "… of them keep-alive"
record failed_new_conns "$(load_figure .close.failed)" requests lower "… of them on new connections"
