# ctest-timeout: 180
# A real Prometheus (Debian's `prometheus`) scrapes `cxpm web`'s /metrics every second; its
# HTTP API then shows the target up, the app's series, and a restart of the app as an
# increase of cxpm_process_restarts_total.
source "$(dirname "$0")/lib.sh"
command -v prometheus >/dev/null || fail "prometheus is not installed (scripts/install-deps.sh)"
prometheus_pid=""
trap 'rc=$?; set +e; [ -z "$prometheus_pid" ] || kill "$prometheus_pid" 2>/dev/null; (exit $rc); cleanup; exit $rc' EXIT

port=$(free_port)
"$CXPM" start sleep --name quiet -- 1000 >/dev/null
"$CXPM" web --address "127.0.0.1:$port" >/dev/null

step "prometheus scrapes cxpm every second"
prometheus_port=$(free_port)
cat >"$WORK/prometheus.yml" <<YAML
global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: cxpm
    static_configs:
      - targets: ["127.0.0.1:$port"]
YAML
prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/data" \
  --web.listen-address="127.0.0.1:$prometheus_port" >"$WORK/prometheus.log" 2>&1 &
prometheus_pid=$!
# The first value of an instant query, or nothing.
value_of() {
  curl -sf -m 5 --data-urlencode "query=$1" "http://127.0.0.1:$prometheus_port/api/v1/query" |
    jq -r '.data.result[0].value[1] // empty'
}
is_value() { [ "$(value_of "$1")" = "$2" ]; }
wait_for 60 is_value 'up{job="cxpm"}' 1 ||
  fail "prometheus never scraped cxpm: $(tail -5 "$WORK/prometheus.log")"
wait_for 20 is_value 'cxpm_process_up{app="quiet",namespace="default"}' 1
wait_for 20 is_value 'cxpm_process_restarts_total{app="quiet"}' 0

step "a restart shows as an increase of cxpm_process_restarts_total"
"$CXPM" restart quiet >/dev/null
restarted() {
  local value
  value=$(value_of 'increase(cxpm_process_restarts_total{app="quiet"}[1m])')
  [ -n "$value" ] && awk -v v="$value" 'BEGIN { exit !(v > 0) }'
}
wait_for 30 restarted
is_value 'cxpm_process_restarts_total{app="quiet"}' 1 || fail "the counter is not 1"
