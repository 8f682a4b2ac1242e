# ctest-timeout: 240
# `cxpm web`: off by default; serves metrics (checked by promtool), the API (jlist's objects,
# describe, POST actions behind the bearer token) and server-sent event and log streams on
# loopback; refuses an address beyond loopback without --public, and then asks every request
# for the token; the request limits answer 413/400/404/405; the setting outlives a kill -9
# of the daemon and goes with --stop.
source "$(dirname "$0")/lib.sh"
streams=""
trap 'rc=$?; set +e; for p in $streams; do kill "$p" 2>/dev/null; done; (exit $rc); cleanup; exit $rc' EXIT

port=$(free_port)
base="http://127.0.0.1:$port"
code_of() { curl -s -m 5 -o /dev/null -w '%{http_code}' "$@"; }
serves() { [ "$(code_of "$1/metrics")" = 200 ]; }
daemon_pid() { cat "$CXPM_HOME/daemon.pid"; }
new_daemon_answers() {
  "$CXPM" ping | grep_all pong && [ "$(daemon_pid)" != "$1" ] && ! flock -n "$CXPM_HOME/daemon.pid" true
}

step "off by default"
"$CXPM" start sleep --name quiet -- 1000 >/dev/null
"$CXPM" start bash --name talker -- -c 'while :; do echo "talking \"loud\""; sleep 0.05; done' >/dev/null
wait_for 10 has_status talker online
"$CXPM" web | grep_all "web: off" || fail "web is not off by default: $("$CXPM" web)"
[ "$(code_of "$base/metrics")" = 000 ] || fail "something answers on $port before web is on"

step "cxpm web serves on loopback, with a 0600 token made for it"
"$CXPM" web --address "127.0.0.1:$port" | grep_all "serving http://127.0.0.1:$port/" ||
  fail "web did not say where it serves"
[ "$(stat -c %a "$CXPM_HOME/web.token")" = 600 ] || fail "web.token is not 0600"
token=$(cat "$CXPM_HOME/web.token")
[ "${#token}" -ge 32 ] || fail "the token made is short: $token"
wait_for 10 serves "$base"
"$CXPM" web --json | jq -e --arg a "127.0.0.1:$port" '.serving and .address == $a' >/dev/null ||
  fail "web --json: $("$CXPM" web --json)"

step "/metrics is valid exposition text with the process, log and daemon metrics"
curl -sf -m 5 -D "$WORK/metrics.head" "$base/metrics" >"$WORK/metrics" || fail "GET /metrics failed"
grep_all -i '^content-type: text/plain; version=0.0.4' "$WORK/metrics.head" || fail "content type"
promtool check metrics <"$WORK/metrics" || fail "promtool finds fault with /metrics"
for name in cxpm_process_resident_memory_bytes cxpm_process_cpu_seconds_total \
  cxpm_process_restarts_total cxpm_process_up cxpm_process_start_time_seconds cxpm_app_instances \
  cxpm_log_lines_total cxpm_log_bytes_total cxpm_log_lines_dropped_total cxpm_process_reloads_total \
  cxpm_process_reload_failures_total cxpm_daemon_resident_memory_bytes cxpm_daemon_cpu_seconds_total; do
  grep_all "^# TYPE $name " "$WORK/metrics" || fail "no $name in /metrics"
done
grep_all '^cxpm_process_up{app="quiet",instance="0",namespace="default"} 1$' "$WORK/metrics" ||
  fail "quiet is not up in /metrics: $(grep cxpm_process_up "$WORK/metrics")"
grep_all '^cxpm_app_instances{app="talker",namespace="default"} 1$' "$WORK/metrics" || fail "instances"
lines_logged() {
  curl -sf -m 5 "$base/metrics" |
    sed -n 's/^cxpm_log_lines_total{app="talker",instance="0",stream="out"} //p'
}
first=$(lines_logged)
[ "${first:-0}" -gt 0 ] || fail "talker's lines are not counted: $first"
more_lines_logged() { [ "$(lines_logged)" -gt "$first" ]; }
wait_for 10 more_lines_logged
daemon_rss=$(sed -n 's/^cxpm_daemon_resident_memory_bytes //p' "$WORK/metrics")
[ "$daemon_rss" -gt 0 ] || fail "the daemon's memory is missing"

step "/api/processes is jlist's objects"
curl -sf -m 5 "$base/api/processes" >"$WORK/api.json" || fail "GET /api/processes failed"
"$CXPM" jlist >"$WORK/jlist.json"
projection='map({name, pm_id, pid, status: .pm2_env.status, restarts: .pm2_env.restart_time, namespace: .pm2_env.namespace}) | sort_by(.pm_id)'
[ "$(jq -c "$projection" "$WORK/api.json")" = "$(jq -c "$projection" "$WORK/jlist.json")" ] ||
  fail "/api/processes differs from jlist: $(jq -c "$projection" "$WORK/api.json") vs $(jq -c "$projection" "$WORK/jlist.json")"
[ "$(jq -r '.[0] | keys | join(",")' "$WORK/api.json")" = "$(jq -r '.[0] | keys | join(",")' "$WORK/jlist.json")" ] ||
  fail "/api/processes objects have other keys than jlist's"

step "/api/processes/<name> describes the app; an unknown one is 404"
curl -sf -m 5 "$base/api/processes/quiet" | jq -e '.processes[0].name == "quiet" and (.processes[0].events | length) > 0' >/dev/null ||
  fail "describe of quiet: $(curl -s -m 5 "$base/api/processes/quiet")"
[ "$(code_of "$base/api/processes/nosuch")" = 404 ] || fail "an unknown app is not 404"

step "server-sent streams: events and an app's log lines"
curl -sN -m 60 "$base/api/events/stream" >"$WORK/events.sse" &
streams="$streams $!"
curl -sN -m 60 "$base/api/logs/stream?app=talker" >"$WORK/logs.sse" &
streams="$streams $!"
has_log_line() { grep_all '^data: .*talking \\"loud\\"' "$WORK/logs.sse"; }
wait_for 10 has_log_line
wait_for 10 grep_all '^data: {' "$WORK/events.sse"
events_before=$(grep -c '"app":"quiet"' "$WORK/events.sse" || true)

step "POST needs the token: 401 without or with a wrong one; with it, a restart"
[ "$(code_of -X POST "$base/api/processes/quiet/restart")" = 401 ] || fail "POST without a token is not 401"
[ "$(code_of -X POST -H "Authorization: Bearer wrong-token-wrong-token" "$base/api/processes/quiet/restart")" = 401 ] ||
  fail "POST with a wrong token is not 401"
[ "$(restarts_of quiet)" = 0 ] || fail "a refused POST restarted quiet"
[ "$(code_of "$base/api/processes/quiet/restart")" = 405 ] || fail "GET of an action is not 405"
curl -sf -m 30 -X POST -H "Authorization: Bearer $token" "$base/api/processes/quiet/restart" >"$WORK/restart.json" ||
  fail "POST restart with the token failed"
jq -e '.processes[0].name == "quiet"' "$WORK/restart.json" >/dev/null || fail "restart answer: $(cat "$WORK/restart.json")"
[ "$(restarts_of quiet)" = 1 ] || fail "quiet was not restarted: $(restarts_of quiet)"
more_quiet_events() { [ "$(grep -c '"app":"quiet"' "$WORK/events.sse")" -gt "$events_before" ]; }
wait_for 10 more_quiet_events
curl -sf -m 5 "$base/metrics" | grep_all '^cxpm_process_restarts_total{app="quiet",instance="0",namespace="default"} 1$' ||
  fail "the restart is not in /metrics"
curl -sf -m 30 -X POST -H "Authorization: Bearer $token" "$base/api/processes/quiet/stop" >/dev/null || fail "POST stop"
[ "$(status_of quiet)" = stopped ] || fail "quiet did not stop: $(status_of quiet)"
[ "$(code_of -X POST -H "Authorization: Bearer $token" "$base/api/processes/nosuch/stop")" = 404 ] ||
  fail "POST to an unknown app is not 404"

step "limits and bad requests"
[ "$(code_of -H "X-Big: $(head -c 20000 /dev/zero | tr '\0' a)" "$base/metrics")" = 413 ] ||
  fail "a 20 KB request is not 413"
printf 'NOT HTTP AT ALL\r\n\r\n' | timeout 5 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port; cat >&3; cat <&3" |
  head -1 | grep_all '^HTTP/1.1 400' || fail "garbage is not answered 400"
[ "$(code_of -X POST -H "Authorization: Bearer $token" "$base/metrics")" = 405 ] || fail "POST /metrics is not 405"
[ "$(code_of "$base/nothing-here")" = 404 ] || fail "an unknown file is not 404"
[ "$(code_of "$base/robots.txt")" = 200 ] || fail "web/robots.txt is not served"
# A client that sends half a request and waits is cut off (after 10 s), and others are served.
exec 4<>"/dev/tcp/127.0.0.1/$port"
printf 'GET /metrics HTTP/1.1\r\n' >&4
serves "$base" || fail "a half-sent request holds up the others"
exec 4>&-

step "an address beyond loopback needs --public, then the token for everything"
other=$(free_port)
expect_fail "--public" "$CXPM" web --address "0.0.0.0:$other"
serves "$base" || fail "a refused address changed what is served"
expect_fail "16 to 256" "$CXPM" web --address "127.0.0.1:$other" --token short
"$CXPM" web --address "0.0.0.0:$other" --public >/dev/null
public_refuses() { [ "$(code_of "http://127.0.0.1:$other/metrics")" = 401 ]; }
wait_for 10 public_refuses
[ "$(code_of -H "Authorization: Bearer $token" "http://127.0.0.1:$other/metrics")" = 200 ] ||
  fail "the public address refuses the token"
[ "$(code_of "$base/metrics")" = 000 ] || fail "the old address still answers"
"$CXPM" web --address "127.0.0.1:$port" >/dev/null
wait_for 10 serves "$base"

step "the setting outlives a kill -9 of the daemon"
daemon=$(daemon_pid)
kill -9 "$daemon"
wait_for 20 new_daemon_answers "$daemon"
wait_for 10 serves "$base"
curl -sf -m 5 "$base/api/processes" | jq -e 'map(.name) | index("talker") != null' >/dev/null ||
  fail "the new daemon's API does not list the adopted apps"

step "--stop ends it, for good"
"$CXPM" web --stop | grep_all "web: off" || fail "web --stop did not say it is off"
[ "$(code_of "$base/metrics")" = 000 ] || fail "still serving after --stop"
[ ! -e "$CXPM_HOME/web.json" ] || fail "web.json is still there"
daemon=$(daemon_pid)
kill -9 "$daemon"
wait_for 20 new_daemon_answers "$daemon"
[ "$(code_of "$base/metrics")" = 000 ] || fail "a new daemon serves after --stop"
"$CXPM" web | grep_all "web: off" || fail "web is not off after --stop and a new daemon"
