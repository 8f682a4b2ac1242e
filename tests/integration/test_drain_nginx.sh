# The seed's topology for an ordinary server: nginx in front with upstream keep-alive, cxpm
# behind it with an app that handles no signal (SIGINT ends it at once). Clients see no failed
# request through 20 reloads, a `scale -1` and the stop of one instance. nginx keeps its
# upstream connections open across requests, so every reload closes kept-alive connections
# under it; it retries a request whose reused connection closed before any answer
# (proxy_next_upstream's default), and the new connection it opens goes only to a worker that
# accepts (the daemon's steering). Needs nginx (scripts/install-deps.sh).
# ctest-timeout: 300
source "$(dirname "$0")/lib.sh"

command -v nginx >/dev/null || fail "nginx is not installed (scripts/install-deps.sh installs it)"

app_port=$(free_port)
nginx_port=$(free_port)
[ "$nginx_port" != "$app_port" ] || nginx_port=$(free_port)
nginx_pid=""
stop_nginx() {
  [ -n "$nginx_pid" ] || return 0
  kill "$nginx_pid" 2>/dev/null || true
  wait "$nginx_pid" 2>/dev/null || true
}
trap 'rc=$?; set +e; stop_nginx; [ "$rc" = 0 ] || tail -n 20 "$WORK/nginx/error.log" >&2; (exit $rc); cleanup' EXIT

mkdir -p "$WORK/nginx/temp"
cat >"$WORK/nginx/nginx.conf" <<EOF
daemon off;
master_process on;
worker_processes 1;
user $(id -un);
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx/temp/body;
  proxy_temp_path $WORK/nginx/temp/proxy;
  fastcgi_temp_path $WORK/nginx/temp/fastcgi;
  uwsgi_temp_path $WORK/nginx/temp/uwsgi;
  scgi_temp_path $WORK/nginx/temp/scgi;
  upstream app {
    server 127.0.0.1:$app_port;
    keepalive 16;
  }
  server {
    listen 127.0.0.1:$nginx_port;
    location / {
      proxy_pass http://app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
EOF

"$CXPM" start "$FIXTURES/ordinary_server.js" --name plain -i 2 --wait-ready \
  --env PORT="$app_port" >/dev/null
wait_for 15 has_status plain online,online
nginx -e "$WORK/nginx/error.log" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" &
nginx_pid=$!
wait_for 15 answers "http://127.0.0.1:$nginx_port/"

# load NAME: 4 clients through nginx, a new connection per request, until $WORK/NAME.stop
# exists; nginx reuses its own upstream connections throughout.
load() { start_load "$1" "http://127.0.0.1:$nginx_port/"; }
unload() {
  stop_load "$1"
  load_failed_none "$1" || fail "requests failed through nginx during $1: $(cat "$WORK/$1.json")"
}

step "20 reloads: no request through nginx fails"
load reloads
for round in $(seq 20); do
  "$CXPM" reload plain >"$WORK/reload.out" || { cat "$WORK/reload.out"; fail "reload $round failed"; }
done
unload reloads
# The test proves something only if nginx did lose kept-alive connections under its requests.
upstream_closes=$(grep -cE "upstream prematurely closed|reset by peer|Connection refused" \
  "$WORK/nginx/error.log" || true)
echo "nginx saw $upstream_closes closed or reset upstream connection(s), and retried them"

step "scale -1: no request through nginx fails"
"$CXPM" scale plain 3 >/dev/null
wait_for 15 has_status plain online,online,online
load scale
"$CXPM" scale plain -1 >/dev/null
unload scale

step "stop of one instance: no request through nginx fails"
load stop
"$CXPM" stop "$(jl '[.[] | select(.name == "plain")] | first | .id')" >/dev/null
unload stop

! grep -E "no live upstreams|connect\(\) failed" "$WORK/nginx/error.log" ||
  fail "nginx was refused a connection to the app"
