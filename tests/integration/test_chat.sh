# The seed's system end to end (issue 7): examples/chat clustered by cxpm on two "servers"
# (a CXPM_HOME each, one on 127.0.0.2 and one on 127.0.0.3, 2 workers each), nginx in front
# with packaging/nginx/cxpm-chat.conf, Redis carrying each room across all four workers.
# 50 Socket.IO clients and a headless Chromium talk to it through nginx, before and after a
# worker is killed with SIGKILL and the other server is reloaded.
#
# Installs nothing: scripts/install-deps.sh installs what it needs (Debian: nginx redis-server
# chromium nodejs; the npm packages of examples/chat and tests/integration/chat from their
# lockfiles), and the test fails at once, naming what is missing, without them.
# CHAT_KEEP_SCREENSHOT=FILE keeps the browser's screenshot (docs/chat-screenshot.png comes
# from here).
# ctest-timeout: 200
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/chat/system.sh"

HOME_A=$CXPM_HOME # lib.sh's home, which its cleanup removes
HOME_B=$(mktemp -d /tmp/cxpm-test.XXXXXX)
clients_pid=""

chat_cleanup() {
  local status=$?
  set +e # clean up everything, even past a failing step
  if [ -n "$clients_pid" ]; then
    kill -9 "$clients_pid"
    wait "$clients_pid"
  fi 2>/dev/null
  if [ "$status" -ne 0 ]; then
    for log in "$HOME_A"/logs/chat-*.log "$HOME_B"/logs/chat-*.log "$HOME_B/daemon.log" \
      "$WORK"/nginx/error.log "$WORK"/clients.log; do
      [ -s "$log" ] && echo "--- $log" >&2 && tail -n 15 "$log" >&2
    done
  fi
  # The servers first, while Redis is there for their goodbyes; then nginx and Redis.
  stop_server "$HOME_A"
  stop_server "$HOME_B"
  rm -rf "$HOME_B"
  chat_stop_services
  (exit "$status") # lib.sh's cleanup reads the test's status from $?
  cleanup
}
stop_server() {
  [ -f "$1/daemon.pid" ] || return 0
  CXPM_HOME=$1 timeout 15 "$CXPM" kill >/dev/null 2>&1
  kill -9 "$(cat "$1/daemon.pid")" 2>/dev/null
}
trap chat_cleanup EXIT

# on A|B COMMAND...: COMMAND with that server's CXPM_HOME (cxpm, or a lib.sh helper).
on() {
  local server=$1
  shift
  if [ "$server" = A ]; then CXPM_HOME=$HOME_A "$@"; else CXPM_HOME=$HOME_B "$@"; fi
}
chat_pids() { jl '[.[] | select(.name == "chat") | .pid] | sort | .[]'; }
instance_pid() { jl --argjson i "$1" '.[] | select(.name == "chat" and .instance == $i) | .pid'; }
replaced() { local now; now=$(instance_pid "$1"); [ -n "$now" ] && [ "$now" != 0 ] && [ "$now" != "$2" ]; }

# round_report N: waits for the clients' report of round N (failing early if they died).
round_report() {
  local file=$WORK/clients/round-$1.json deadline=$((SECONDS + 90))
  until [ -s "$file" ]; do
    alive "$clients_pid" || { cat "$WORK/clients.log" >&2; fail "the clients exited before round $1"; }
    [ "$SECONDS" -lt "$deadline" ] || fail "no report of round $1 after 90s"
    sleep 0.1
  done
  echo "$file"
}

step "nginx, redis-server, chromium and the npm packages are installed"
chat_require browser || fail "the chat system's packages are missing: run scripts/install-deps.sh"

step "redis, two cxpm servers with the chat example (-i 2 each), nginx in front"
port=$(chat_free_port 127.0.0.2 127.0.0.3) || fail "no free port on 127.0.0.2/3"
redis_port=$(chat_free_port 127.0.0.1) || fail "no free port for redis"
nginx_port=$(chat_free_port 127.0.0.1) || fail "no free port for nginx"
[ "$redis_port" != "$nginx_port" ] || nginx_port=$(chat_free_port 127.0.0.1)
chat_start_redis "$WORK/redis" "$redis_port" || fail "redis did not start"

# The example's ecosystem file, as shipped but for two workers on any machine (`instances:
# max` is 2 only on 2 CPUs) and its cwd made absolute, since the copy lives elsewhere.
sed -e 's/^\(\s*instances:\).*/\1 2/' -e "s|^\(\s*cwd:\).*|\1 $CHAT_EXAMPLE|" \
  "$CHAT_EXAMPLE/ecosystem.config.yaml" >"$WORK/chat.yaml"
for server in A B; do
  address=127.0.0.2
  [ "$server" = A ] || address=127.0.0.3
  on "$server" env PORT="$port" HOST="$address" SERVER_NAME="server-$server" \
    REDIS_URL="redis://127.0.0.1:$redis_port" "$CXPM" start "$WORK/chat.yaml" >/dev/null
done
for server in A B; do
  on "$server" wait_for 30 has_status chat online,online
done
pids_a=$(on A chat_pids)
pids_b=$(on B chat_pids)
chat_start_nginx "$WORK/nginx" "$nginx_port" "127.0.0.2:$port" "127.0.0.3:$port" ||
  fail "nginx did not start"
url=http://127.0.0.1:$nginx_port

step "50 clients through nginx join one room; each sends one message; all receive all 50"
mkdir -p "$WORK/clients"
node "$CHAT_HELPERS/clients.js" "$url" lobby 50 2 "$WORK/clients" >"$WORK/clients.log" 2>&1 &
clients_pid=$!
report=$(round_report 1)
jq -c '{delivered, expected, duplicates, ms, workers}' "$report"
jq -e '.delivered == 2500 and .expected == 2500 and .duplicates == 0' "$report" >/dev/null ||
  fail "round 1: not every client received every message: $(jq -c .short "$report")"

step "the clients were spread over all 4 workers of both servers"
serving=$(jq -r '.workers | keys[] | sub(".* pid "; "")' "$report" | sort)
workers=$(printf '%s\n%s\n' "$pids_a" "$pids_b" | sort)
[ "$serving" = "$workers" ] ||
  fail "clients were served by pids [${serving//$'\n'/ }], the workers are [${workers//$'\n'/ }]"
jq -e '[.workers | keys[] | split("#")[0]] | unique == ["server-A", "server-B"]' "$report" \
  >/dev/null || fail "the clients did not name both servers"
on_victim=$(jq --arg p "$(on A instance_pid 0)" '[.workers | to_entries[] |
  select(.key | endswith(" pid " + $p)) | .value] | add' "$report")
on_survivor=$(jq --arg p "$(on A instance_pid 1)" '[.workers | to_entries[] |
  select(.key | endswith(" pid " + $p)) | .value] | add' "$report")

step "kill -9 worker 0 of server A: cxpm replaces it on the same socket"
victim=$(on A instance_pid 0)
kill -9 "$victim"
on A wait_for 30 replaced 0 "$victim"
on A wait_for 30 has_status chat online,online

step "reload server B while the clients stay connected or reconnect"
if ! on B timeout 60 "$CXPM" reload chat >"$WORK/reload.out" 2>&1; then
  cat "$WORK/reload.out" >&2
  fail "cxpm reload failed"
fi
cat "$WORK/reload.out"
on B wait_for 30 has_status chat online,online
new_b=$(on B chat_pids)
for pid in $pids_b; do
  grep -qx "$pid" <<<"$new_b" && fail "reload left old worker $pid of server B"
  wait_for 10 dead "$pid"
done

step "afterwards every client again receives every new message"
touch "$WORK/clients/go-2"
report=$(round_report 2)
jq -c '{delivered, expected, duplicates, ms, reconnected, workers}' "$report"
jq -e '.delivered == 2500 and .duplicates == 0' "$report" >/dev/null ||
  fail "round 2: not every client received every message: $(jq -c .short "$report")"
current=$({ on A chat_pids; echo "$new_b"; } | sort)
for pid in $(jq -r '.workers | keys[] | sub(".* pid "; "")' "$report"); do
  grep -qx "$pid" <<<"$current" || fail "a client is still counted on gone worker $pid"
done
# Only the clients of the killed worker and of server B had to reconnect; the others, on
# server A's surviving worker, kept their connections.
expected_reconnects=$((50 - on_survivor))
[ "$(jq .reconnected "$report")" = "$expected_reconnects" ] ||
  fail "$(jq .reconnected "$report") clients reconnected; expected $expected_reconnects" \
    "($on_victim on the killed worker, the rest on server B)"
wait "$clients_pid" || fail "the clients failed"
clients_pid=""

step "nginx was never refused a connection: the daemon held every socket throughout"
! grep -E 'connect\(\) failed|no live upstreams' "$WORK/nginx/error.log" ||
  fail "nginx could not reach a server during the kill or the reload"

step "a browser: two headless Chromium pages through nginx; a message typed in one shows in the other"
mkdir -p "$WORK/profile"
timeout 100 node "$CHAT_HELPERS/browser.js" "$url" browsers "$WORK/chat.png" "$WORK/profile" \
  >"$WORK/browser.out" || { cat "$WORK/browser.out"; fail "the browser check failed"; }
cat "$WORK/browser.out"
[ -s "$WORK/chat.png" ] || fail "no screenshot"
if [ -n "${CHAT_KEEP_SCREENSHOT:-}" ]; then cp "$WORK/chat.png" "$CHAT_KEEP_SCREENSHOT"; fi

echo "chat: ok"
