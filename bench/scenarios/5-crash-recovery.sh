#!/usr/bin/env bash
# title: Crash recovery
# about: The hello server of scenarios 3 and 4, 2 workers, under the load of scenario 4 (8 keep-alive loops, 8 loops opening a new connection per request). Once the load runs, `kill -9` of instance 0's worker. Failed requests from the kill until 1 s after the app is whole again (connection errors, 5 s timeouts, statuses other than 200; the requests the killed worker had accepted die with it under any manager). Recovery: from the kill to the first answer from the replacement worker (a pid the load has not seen before), as seen by the load client; by then the manager also lists 2 online workers. Latency: the p99 answer time of requests on new connections sent in the second after the kill, beside the steady p99 before it (a manager that leaves new connections queued on the dead worker's socket shows a step there).
source "$(dirname "$0")/../lib.sh"
source "$BENCH_DIR/cluster.sh"
cluster_begin "$@"

cluster_start reuseport # cxpm's default socket mode; pm2 has one
before=$(worker_pids | tr '\n' ' ')
victim=$(worker_pids 0)
[ -n "$victim" ] || die "no worker with instance 0"
load_start 8 8 600
sleep 2 # steady state: every loop running, both workers answering; its p99 is measured

# p99 FROM TO: the 99th percentile of the answer times (ms) of the requests on new
# connections sent in [FROM, TO) epoch ms.
p99() {
  awk -v from="$1" -v to="$2" '$1 >= from && $1 < to { print $2 }' "$SCRATCH/load.stop.latency" |
    sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR * 99 + 99) / 100)]; else print 0 }'
}

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
kill_ms=$((kill_us / 1000))
# Steady: until 200 ms before the kill (a request sent just before may be queued on the killed
# worker's socket, for its replacement).
steady_p99=$(p99 $((kill_ms - 1800)) $((kill_ms - 200)))
after_p99=$(p99 "$kill_ms" $((kill_ms + 1000)))
record steady_p99_ms "$steady_p99" ms lower "p99 of new connections, steady (1.6 s before the kill)"
record after_kill_p99_ms "$after_p99" ms lower "p99 of new connections in the second after the kill"
record failed_requests "$(load_figure '.keepalive.failed + .close.failed')" requests lower \
  "failed requests, in all"
record failed_keepalive "$(load_figure .keepalive.failed)" requests lower "… of them keep-alive"
record failed_new_conns "$(load_figure .close.failed)" requests lower "… of them on new connections"
