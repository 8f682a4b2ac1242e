#!/usr/bin/env bash
# title: Cluster throughput
# ceiling: yes
# about: The Node hello server `bench/apps/hello.js` (it listens on PORT itself and answers with its pid), 2 workers: cxpm `-i 2` in its default socket mode (reuseport: a socket per worker) and again with `--socket-mode shared`; pm2 `-i 2` (its cluster mode: the daemon accepts every connection and hands it to a worker). The ceiling is the same 2 workers with no manager: `bench/apps/launch.py` opens the port as cxpm's daemon does (a socket per worker for the reuseport rows, one socket that both accept from for the shared rows), passes it as fd 3, and only waits. Load: `wrk -t1 -c32` on the same machine, a 1 s warm-up then a 3 s window (`--quick`: no warm-up, 1 s, reuseport only), once with `Connection: close` (a new connection per request) and once with keep-alive. Spread: the requests each worker answered in the window (each counts its own); the busiest worker's share, 50 % when even, 100 % when one did all (with 2 workers, max/min = share/(100 − share)). Without wrk (a `--quick` run installs nothing) `bench/apps/load.js` drives the load instead, a slower client: those figures are not comparable.
source "$(dirname "$0")/../lib.sh"
source "$BENCH_DIR/cluster.sh"
cluster_begin "$@"

seconds=${BENCH_CLUSTER_SECONDS:-3} # one measurement's window
warmup=1                            # JIT and connection set-up, before each window
[ "${BENCH_QUICK:-0}" = 0 ] || warmup=0 # a smoke run wants numbers, fast
connections=32

# drive KIND SECONDS: KIND (close or keepalive) load for SECONDS; prints requests per second.
drive() {
  local kind=$1 s=$2 out=$SCRATCH/drive.out
  if command -v wrk >/dev/null; then
    local header=()
    [ "$kind" = keepalive ] || header=(-H 'Connection: close')
    timeout $((s + 30)) wrk -t1 -c"$connections" -d"${s}s" "${header[@]}" \
      "http://127.0.0.1:$PORT/" >"$out" 2>&1 || die "wrk failed: $(cat "$out")"
    cat "$out" >>"$MGR_LOG"
    # wrk counts a server's close after `Connection: close` as no error; anything it does
    # count is worth seeing (but a throughput run is not the place to count failures: 4 is).
    if grep -q -e '^ *Socket errors' -e '^ *Non-2xx' "$out"; then
      log "  $kind: $(grep -e '^ *Socket errors' -e '^ *Non-2xx' "$out" | tr -s ' \n' ' ')"
    fi
    awk '/^Requests\/sec:/ { printf "%.0f\n", $2 }' "$out"
  else
    local loops=(0 "$connections")
    [ "$kind" = close ] || loops=("$connections" 0)
    timeout $((s + 30)) node "$BENCH_DIR/apps/load.js" "http://127.0.0.1:$PORT/" \
      "$SCRATCH/no-stop" $((s * 1000)) "${loops[@]}" >"$out" 2>>"$MGR_LOG" ||
      die "the load client failed"
    jq -r --arg k "$kind" '.[$k].ok / .seconds | floor' "$out"
  fi
}

# counts: "<pid> <requests answered so far>" for each worker, from the files they keep.
counts() {
  local pid
  for pid in $(worker_pids); do
    echo "$pid $(cat "$SCRATCH/counts/$pid" 2>/dev/null || echo 0)"
  done
}

# spread BEFORE AFTER: the busiest worker's share of the requests answered between the two
# counts, in %. Not max/min: in shared mode one worker may accept every keep-alive connection
# and the other answer none, which max/min cannot express (nor a median of rounds digest).
spread() {
  awk 'NR == FNR { before[$1] = $2; next }
    { n = $2 - before[$1]; total += n; if (n > max) max = n }
    END { printf "%.1f\n", total ? 100 * max / total : 100 }' "$1" "$2"
}

# measure MODE SUFFIX WHAT: both loads against the server in socket mode MODE; records the
# figures with SUFFIX appended to their names and WHAT to their labels.
measure() {
  local mode=$1 suffix=$2 what=$3 kind
  local -A rps spreads
  cluster_start "$mode"
  command -v wrk >/dev/null || log "  wrk not found: bench/apps/load.js drives the load (not comparable)"
  for kind in close keepalive; do
    [ "$warmup" = 0 ] || drive "$kind" "$warmup" >/dev/null
    sleep 0.5 # the workers write their counts every 100 ms
    counts >"$SCRATCH/counts.before"
    rps[$kind]=$(drive "$kind" "$seconds")
    sleep 0.5
    counts >"$SCRATCH/counts.after"
    spreads[$kind]=$(spread "$SCRATCH/counts.before" "$SCRATCH/counts.after")
    log "  $mode $kind: $(paste -d' ' "$SCRATCH/counts.before" "$SCRATCH/counts.after" |
      awk '{ printf "pid %s: %d requests; ", $1, $4 - $2 }')"
  done
  cluster_stop
  record "new_conns_per_s$suffix" "${rps[close]}" "req/s" higher \
    "new connections per second (\`Connection: close\`: a request each)$what"
  record "keepalive_rps$suffix" "${rps[keepalive]}" "req/s" higher "keep-alive requests per second$what"
  record "spread_new_conns$suffix" "${spreads[close]}" "%" lower \
    "busiest worker's share of the new connections (50 % is even)$what"
  record "spread_keepalive$suffix" "${spreads[keepalive]}" "%" lower \
    "busiest worker's share of the keep-alive requests$what"
}

# reuseport is cxpm's default, so its rows are where pm2 (one mode) stands too.
measure reuseport "" ""
# pm2 has one mode; a smoke run measures one.
if [ "$MANAGER" != pm2 ] && [ "${BENCH_QUICK:-0}" = 0 ]; then
  measure shared _shared ", one shared socket"
fi
