# Cluster mode: workers in any language share the daemon's listening sockets.
source "$(dirname "$0")/lib.sh"
EXAMPLES="$CXPM_SOURCE_DIR/examples"
HELLO_FD3="$(dirname "$CXPM")/examples/hello-fd3"

# expect_both_workers APP URL: 2 instances online and both answer requests.
expect_both_workers() {
  local app=$1 url=$2
  wait_for 10 answers "$url"
  [ "$(status_of "$app")" = online,online ] || fail "$app: not 2 online workers"
  local expected answering
  expected=$(jl --arg n "$app" '[.[] | select(.name == $n) | .pid] | sort | .[]' | sort)
  for _ in 1 2 3; do
    answering=$(worker_pids_answering "$url" 40)
    [ "$answering" = "$expected" ] && return 0
  done
  fail "$app: answering pids [$answering] are not the workers [$expected]"
}

step "C server on fd 3 (LISTEN_FDS), --port"
port=$(free_port)
"$CXPM" start "$HELLO_FD3" --name c -i 2 --port "$port" >/dev/null
expect_both_workers c "http://127.0.0.1:$port/"

step "Node server on listen({fd: 3}), --port, shared socket mode"
port=$(free_port)
"$CXPM" start "$EXAMPLES/hello-node-fd/server.js" --name nodefd -i 2 --port "$port" \
  --socket-mode shared >/dev/null
expect_both_workers nodefd "http://127.0.0.1:$port/"

step "unmodified Node server calling listen(PORT), no --port"
port=$(free_port)
"$CXPM" start "$EXAMPLES/hello-node/server.js" --name node -i 2 --env PORT="$port" >/dev/null
expect_both_workers node "http://127.0.0.1:$port/"

step "unmodified Node server with --port too (binds PORT itself, gets the same socket)"
port=$(free_port)
"$CXPM" start "$EXAMPLES/hello-node/server.js" --name node2 -i 2 --port "$port" >/dev/null
expect_both_workers node2 "http://127.0.0.1:$port/"

step "unmodified Python server binding PORT itself"
port=$(free_port)
"$CXPM" start "$EXAMPLES/hello-python/server.py" --name py -i 2 --env PORT="$port" >/dev/null
expect_both_workers py "http://127.0.0.1:$port/"

step "instance variables"
jl '[.[] | select(.name == "node") | .instance] | sort == [0, 1]' | grep_all -x true ||
  fail "instances are not 0 and 1"

step "another app cannot take a port an app holds"
expect_fail "already listens there" "$CXPM" start "$HELLO_FD3" --name thief -i 1 --port "$port"
[ "$(jl '[.[] | select(.name == "thief")] | length')" = 0 ] || fail "thief was left behind"

step "kill -9 one worker under continuous load: no refused connection, same instance back"
url="http://127.0.0.1:$port/"
node "$FIXTURES/load.js" "$url" 4 "$WORK/stop-load" 20000 >"$WORK/load.json" &
load=$!
wait_for 10 test -e "$WORK/stop-load.started"
victim=$(jl '.[] | select(.name == "py" and .instance == 1) | .pid')
kill -9 "$victim"
wait_for 10 has_status py online,online
new=$(jl '.[] | select(.name == "py" and .instance == 1) | .pid')
[ "$new" != "$victim" ] || fail "worker 1 was not replaced"
wait_for 10 grep -q "listening on $port (pid $new)" "$CXPM_HOME/logs/py-out-1.log"
# The replacement must serve too, while the load goes on.
wait_for 10 serves_pid "$url" "$new"
touch "$WORK/stop-load"
wait "$load"
cat "$WORK/load.json"
jq -e '.ok > 20' "$WORK/load.json" >/dev/null || fail "too few requests served"
jq -e '(.errors.ECONNREFUSED // 0) == 0' "$WORK/load.json" >/dev/null ||
  fail "connections were refused while a worker restarted"
# Only requests the killed worker had already accepted can fail (at most one per client loop).
jq -e '.failed <= 4' "$WORK/load.json" >/dev/null || fail "more failures than in-flight requests"

step "scale up and down keeps serving; instance indexes stay dense"
rm -f "$WORK/stop-load" "$WORK/stop-load.started"
node "$FIXTURES/load.js" "$url" 2 "$WORK/stop-load" 20000 >"$WORK/load.json" &
load=$!
wait_for 10 test -e "$WORK/stop-load.started"
"$CXPM" scale py 4 >/dev/null
[ "$(jl '[.[] | select(.name == "py") | .instance] | sort | map(tostring) | join(",")')" = 0,1,2,3 ] ||
  fail "scale up: instances are not 0-3"
wait_for 10 has_status py online,online,online,online
"$CXPM" scale py -2 >/dev/null
[ "$(jl '[.[] | select(.name == "py") | .instance] | sort | map(tostring) | join(",")')" = 0,1 ] ||
  fail "scale down: instances are not 0,1"
"$CXPM" scale py +1 >/dev/null
[ "$(jl '[.[] | select(.name == "py") | .instance] | sort | map(tostring) | join(",")')" = 0,1,2 ] ||
  fail "scale +1: the new instance is not 2"
expect_fail "leaving 1 to 4096" "$CXPM" scale py -3
touch "$WORK/stop-load"
wait "$load"
cat "$WORK/load.json"
# Scaling down closes the removed slot's reuseport socket: connections queued there at that
# moment are reset unless net.ipv4.tcp_migrate_req=1 (see docs/cluster.md). None is refused.
jq -e '.ok > 20 and (.errors.ECONNREFUSED // 0) == 0 and .failed <= 4' "$WORK/load.json" \
  >/dev/null || fail "requests failed while scaling"
echo "ok"
