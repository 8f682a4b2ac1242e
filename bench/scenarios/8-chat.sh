#!/usr/bin/env bash
# title: Socket.IO chat: 2 servers × 2 workers behind nginx, one room
# about: The seed's system (examples/chat, packaging/nginx/cxpm-chat.conf, Redis adapter): two "servers" (a manager home each, on 127.0.0.2 and 127.0.0.3) run the chat with `-i 2` under the manager being measured; nginx and redis-server on loopback; `bench/scenarios/chat/load.js` connects the clients (WebSocket only, for both managers: neither can be sticky across workers) into one room. Paced: messages at a fixed rate, each delivered to every client; the delivery latency. Burst: messages sent at once; deliveries per second from the first send to the last delivery.
source "$(dirname "$0")/../lib.sh"
source "$BENCH_DIR/../tests/integration/chat/system.sh"
scenario_begin "$@"

# Sizes: the issue's 2,000 clients; run.sh may shrink them for a smoke run.
clients=${BENCH_CHAT_CLIENTS:-2000}
threads=${BENCH_CHAT_THREADS:-2}    # client event loops (worker threads of load.js)
rate=${BENCH_CHAT_RATE:-5}          # paced phase: messages per second…
seconds=${BENCH_CHAT_SECONDS:-10}   # …for this long
burst=${BENCH_CHAT_BURST:-50}       # burst phase: messages sent at once

# The second server's manager gets a home of its own beside the first, where run.sh's sweep
# finds it too if this scenario is killed.
HOME_B=$(mktemp -d "$BENCH_WORK/homes/$MANAGER.XXXXXX")
chat_end() {
  local status=$?
  set +e # clean up everything, even past a failing step
  stop_manager "$MANAGER" "$HOME_B" >>"$MGR_LOG" 2>&1 || true
  rm -rf "$HOME_B"
  chat_stop_services
  (exit "$status") # scenario_end reads the status from $?
  scenario_end
}
trap chat_end EXIT

# A smoke run (bench/run.sh --quick, also run by ctest) installs nothing.
if [ "${BENCH_QUICK:-0}" = 1 ]; then
  chat_require 2>>"$MGR_LOG" || die "nginx, redis-server or the npm packages are missing: run scripts/install-deps.sh"
else
  chat_install >>"$MGR_LOG" 2>&1 || die "cannot install nginx, redis-server or the npm packages"
fi

port=$(chat_free_port 127.0.0.2 127.0.0.3)
redis_port=$(chat_free_port 127.0.0.1)
nginx_port=$(chat_free_port 127.0.0.1)
chat_start_redis "$SCRATCH/redis" "$redis_port" || die "redis did not start"

# start_server HOME ADDRESS NAME: the chat, 2 workers, the same command for both managers.
start_server() {
  CXPM_HOME=$1 PM2_HOME=$1 PORT=$port HOST=$2 SERVER_NAME=$3 \
    REDIS_URL=redis://127.0.0.1:$redis_port \
    mgr_quiet start "$CHAT_EXAMPLE/server.js" --name chat -i 2 --wait-ready \
    --listen-timeout 10000 --kill-timeout 5000
}
start_server "$HOME_DIR" 127.0.0.2 server-a
start_server "$HOME_B" 127.0.0.3 server-b
for home in "$HOME_DIR" "$HOME_B"; do
  CXPM_HOME=$home PM2_HOME=$home wait_until 60 "2 chat workers online" has_online 2
done
for address in 127.0.0.2 127.0.0.3; do
  wait_until 30 "the chat on $address" curl -sf -m 2 -o /dev/null "http://$address:$port/healthz"
done

CHAT_NGINX_CONNECTIONS=$((clients * 2 + 256)) CHAT_NGINX_WORKERS=auto \
  chat_start_nginx "$SCRATCH/nginx" "$nginx_port" "127.0.0.2:$port" "127.0.0.3:$port" \
  >>"$MGR_LOG" 2>&1 || die "nginx did not start"

log "  $clients clients, paced $rate msg/s for ${seconds}s, burst of $burst"
timeout 600 node "$BENCH_DIR/scenarios/chat/load.js" "http://127.0.0.1:$nginx_port" bench \
  "$clients" "$threads" "$rate" "$seconds" "$burst" >"$SCRATCH/load.json" 2>>"$MGR_LOG" ||
  die "the load failed: $(cat "$SCRATCH/load.json")"
# The raw figures stay beside results.tsv.
cp "$SCRATCH/load.json" "$(dirname "$BENCH_RESULTS")/$SCENARIO-$MANAGER-r$BENCH_ROUND.json"

figure() { jq -r "$1" "$SCRATCH/load.json" | awk '{ printf "%.1f\n", $1 }'; }
record burst_deliveries_per_s "$(figure .burst.deliveries_per_s)" "msg/s" higher \
  "burst: messages delivered per second ($burst messages × $clients clients)"
record burst_p99_ms "$(figure .burst.p99_ms)" ms lower "burst: p99 delivery latency"
record paced_p50_ms "$(figure .paced.p50_ms)" ms lower \
  "paced: p50 delivery latency ($rate msg/s × $clients clients)"
record paced_p99_ms "$(figure .paced.p99_ms)" ms lower "paced: p99 delivery latency"
record connect_s "$(jq -r '.connect_ms / 1000' "$SCRATCH/load.json" | awk '{ printf "%.2f\n", $1 }')" \
  s lower "$clients clients connected and joined"
