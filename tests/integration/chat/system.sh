# shellcheck shell=bash
# The chat system's moving parts outside cxpm — redis-server and nginx on loopback, with
# configs in a private directory, never the system's — and the packages they come from.
# Sourced by tests/integration/test_chat.sh and bench/scenarios/8-chat.sh; the caller has
# strict mode on and calls chat_stop_services from its EXIT trap.

CHAT_HELPERS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CHAT_REPO=$(cd "$CHAT_HELPERS/../../.." && pwd)
CHAT_EXAMPLE=$CHAT_REPO/examples/chat
CHAT_NGINX_SITE=$CHAT_REPO/packaging/nginx/cxpm-chat.conf
CHAT_PIDS=() # what chat_start_* started, stopped by chat_stop_services

chat_say() { echo "[chat] $*" >&2; }

# chat_need_debian COMMAND PACKAGE: installs PACKAGE (as root) when COMMAND is missing.
# apt-get never starts the packaged nginx or redis service where invoke-rc.d is told not to
# (containers: /usr/sbin/policy-rc.d); elsewhere they would run on their default ports, which
# the chat system here never uses.
chat_need_debian() {
  local command=$1 package=$2
  command -v "$command" >/dev/null && return 0
  [ "$(id -u)" = 0 ] || { chat_say "$command is missing: apt-get install $package"; return 1; }
  chat_say "installing $package"
  if ! apt-cache policy "$package" 2>/dev/null | grep 'Candidate: [0-9]' >/dev/null; then
    apt-get update -qq
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$package" \
    >/dev/null
}

# chat_install [browser]: installs everything the chat system needs (a full benchmark run does;
# "browser" adds Chromium). The npm packages come from scripts/install-node-modules.sh, the
# one place that installs them.
chat_install() {
  chat_need_debian nginx nginx
  chat_need_debian redis-server redis-server
  chat_need_debian npm npm
  [ "${1:-}" != browser ] || chat_need_debian chromium chromium
  "$CHAT_REPO/scripts/install-node-modules.sh"
}

# chat_require [browser]: succeeds when everything the chat system needs is installed (the
# npm packages from the lockfiles as they are now); otherwise says what is missing and how
# to install it, and fails. What a test calls: a test installs nothing.
chat_require() {
  local missing=() command dir
  local commands=(node nginx redis-server redis-cli)
  [ "${1:-}" != browser ] || commands+=(chromium)
  for command in "${commands[@]}"; do
    command -v "$command" >/dev/null || missing+=("$command")
  done
  for dir in "$CHAT_EXAMPLE" "$CHAT_HELPERS"; do
    [ "$(cat "$dir/node_modules/.cxpm-lock-sha256" 2>/dev/null)" = \
      "$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)" ] ||
      missing+=("the npm packages of ${dir#"$CHAT_REPO/"} (absent, or not from its lockfile)")
  done
  ((${#missing[@]} == 0)) && return 0
  chat_say "missing: $(printf '%s; ' "${missing[@]}")install them with scripts/install-deps.sh"
  return 1
}

# chat_port_free PORT ADDRESS...: nothing listens on PORT at any of the addresses (nor on the
# wildcard, which would collide with each).
chat_port_free() {
  local port=$1 address
  shift
  for address in "$@"; do
    python3 -c 'import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], int(sys.argv[2])))' "$address" "$port" 2>/dev/null || return 1
  done
}

# chat_free_port ADDRESS...: a port free on all of them.
chat_free_port() {
  local port
  for _ in $(seq 50); do
    port=$((20000 + RANDOM % 30000))
    chat_port_free "$port" "$@" && echo "$port" && return 0
  done
  return 1
}

# chat_wait SECONDS WHAT COMMAND...: COMMAND until it succeeds, or fail at the deadline.
chat_wait() {
  local seconds=$1 what=$2
  shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      chat_say "timed out after ${seconds}s waiting for $what"
      return 1
    fi
    sleep 0.05
  done
}

# chat_start_redis DIR PORT: a throw-away redis-server on 127.0.0.1:PORT (no persistence).
chat_start_redis() {
  local dir=$1 port=$2
  mkdir -p "$dir"
  redis-server --bind 127.0.0.1 --port "$port" --dir "$dir" --save '' --appendonly no \
    --daemonize no --logfile "$dir/redis.log" &
  CHAT_PIDS+=($!)
  chat_wait 15 "redis on port $port" redis-cli -p "$port" ping
}

# chat_start_nginx DIR LISTEN_PORT UPSTREAM_ADDRESS... : nginx on 127.0.0.1:LISTEN_PORT with
# packaging/nginx/cxpm-chat.conf, its two example servers replaced by the given
# host:port addresses. Everything nginx writes stays in DIR. CHAT_NGINX_CONNECTIONS (1024) and
# CHAT_NGINX_WORKERS (1) size it: each client holds two connections, its own and upstream.
chat_start_nginx() {
  local dir=$1 port=$2
  shift 2
  [ $# = 2 ] || { chat_say "chat_start_nginx wants two upstream addresses"; return 1; }
  mkdir -p "$dir/temp"
  # The shipped site file, with only its addresses changed: what is tested is what ships.
  sed -e "s/chat1\.example\.com:3000/$1/; s/chat2\.example\.com:3000/$2/" \
    -e "s/^\(\s*\)listen 80;/\1listen 127.0.0.1:$port;/" \
    -e "s/^\(\s*\)server_name .*/\1server_name localhost;/" \
    "$CHAT_NGINX_SITE" >"$dir/site.conf"
  if grep -v '^\s*#' "$dir/site.conf" | grep 'example\.com' >/dev/null || ! grep -q "listen 127.0.0.1:$port;" "$dir/site.conf"; then
    chat_say "$CHAT_NGINX_SITE changed shape: cannot point it at the test servers"
    return 1
  fi
  local connections=${CHAT_NGINX_CONNECTIONS:-1024}
  # `user` only means something to a root master; as another user nginx warns and goes on.
  cat >"$dir/nginx.conf" <<EOF
daemon off;
master_process on;
worker_processes ${CHAT_NGINX_WORKERS:-1};
worker_rlimit_nofile $((connections * 2 + 64));
user $(id -un);
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections $connections; }
http {
  access_log off;
  client_body_temp_path $dir/temp/body;
  proxy_temp_path $dir/temp/proxy;
  fastcgi_temp_path $dir/temp/fastcgi;
  uwsgi_temp_path $dir/temp/uwsgi;
  scgi_temp_path $dir/temp/scgi;
  include $dir/site.conf;
}
EOF
  nginx -t -q -e "$dir/error.log" -p "$dir" -c "$dir/nginx.conf"
  nginx -e "$dir/error.log" -p "$dir" -c "$dir/nginx.conf" &
  CHAT_PIDS+=($!)
  chat_wait 15 "nginx on port $port" curl -sf -m 2 -o /dev/null "http://127.0.0.1:$port/healthz"
}

# chat_alive PID...: one of them still runs (a zombie does not count).
chat_alive() {
  local pid state
  for pid in "$@"; do
    state=$(ps -o stat= -p "$pid" 2>/dev/null) || continue
    [[ $state == Z* ]] || return 0
  done
  return 1
}

# chat_stop_services: SIGTERM to what chat_start_* started (nginx's master stops its workers),
# then SIGKILL to whatever of them, or of their children, is left after 5 seconds.
chat_stop_services() {
  [ ${#CHAT_PIDS[@]} -gt 0 ] || return 0
  local pid all=("${CHAT_PIDS[@]}")
  for pid in "${CHAT_PIDS[@]}"; do
    mapfile -t -O "${#all[@]}" all < <(pgrep -P "$pid" || true) # nginx's workers
    kill -TERM "$pid" 2>/dev/null || true
  done
  local deadline=$((SECONDS + 5))
  while chat_alive "${all[@]}" && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.05; done
  kill -KILL "${all[@]}" 2>/dev/null || true
  wait "${CHAT_PIDS[@]}" 2>/dev/null || true
  CHAT_PIDS=()
}
