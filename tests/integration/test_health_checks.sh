# Health checks: an http check restarts a server that turned unhealthy after failures x
# interval, with the reason in describe; a tcp check; an exec check; health_wait_ready.
# ctest-timeout: 120
source "$(dirname "$0")/lib.sh"

health_of() { jl --arg n "$1" '[.[] | select(.name == $n) | .health // ""] | first'; }
restarted_once() { [ "$(restarts_of "$1")" -ge 1 ]; }
says_health() { "$CXPM" describe "$1" | grep_all "$2"; }

step "http: a passing check shows in describe; a sick server is unhealthy, then restarted"
port=$(free_port)
cat >"$WORK/eco.yaml" <<YAML
apps:
  - name: web
    script: $FIXTURES/health_server.py
    env:
      PORT: "$port"
      UNHEALTHY_FILE: $WORK/sick
    health_check:
      http: http://127.0.0.1:\$PORT/health
      interval: 500ms
      timeout: 1s
      failures: 3
      wait_ready: true
YAML
"$CXPM" start "$WORK/eco.yaml" >/dev/null
# wait_ready: launching until the first check passes (the server takes a moment to listen).
wait_for 10 has_status web online
says_health web "health .*passing" || fail "describe does not show a passing check"
"$CXPM" describe web | grep_all "ready (its first health check passed)" ||
  fail "readiness did not come from the health check"
old=$(pid_of web)
touch "$WORK/sick"
# Between the first failure and the third (the restart), about two intervals.
wait_for 10 says_health web "failing (.* of 3 in a row): status 503"
wait_for 10 has_status web unhealthy
begun=$(date +%s%N)
wait_for 15 pid_changed web "$old"
elapsed_ms=$(((($(date +%s%N) - begun)) / 1000000))
echo "restarted ${elapsed_ms} ms after the first unhealthy listing (3 x 500 ms interval)"
"$CXPM" describe web | grep_all "unhealthy: 3 health checks failed in a row (last: status 503" ||
  fail "the restart reason is not in the events"
"$CXPM" events --json | jq -se 'any(.[]; .event == "unhealthy" and .app == "web")' >/dev/null ||
  fail "cxpm events has no unhealthy event for web"
rm -f "$WORK/sick"
wait_for 10 says_health web "health .*passing"
has_status web online || fail "web is not online again"

"$CXPM" delete web >/dev/null

step "tcp: a refused port fails the check; the app is restarted with restarts + 1"
tcp_port=$(free_port)
"$CXPM" start "$FIXTURES/crash_after.sh" --name deaf --health-tcp "127.0.0.1:$tcp_port" \
  --health-interval 200ms --health-failures 2 -- 1000 >/dev/null
wait_for 10 says_health deaf "connect 127.0.0.1:$tcp_port: connection refused"
wait_for 10 restarted_once deaf
"$CXPM" describe deaf | grep_all "unhealthy: 2 health checks failed" || fail "no tcp reason"
"$CXPM" delete deaf >/dev/null

step "exec: a command's exit status is the check; a hung command is killed at the timeout"
"$CXPM" start "$FIXTURES/crash_after.sh" --name checked \
  --health-exec "test ! -e $WORK/broken" --health-interval 200ms --health-failures 2 \
  -- 1000 >/dev/null
wait_for 10 says_health checked "health .*passing"
old=$(pid_of checked)
touch "$WORK/broken"
wait_for 10 pid_changed checked "$old"
"$CXPM" describe checked | grep_all "health_exec: exited with code 1" || fail "no exec reason"
"$CXPM" delete checked >/dev/null
"$CXPM" start "$FIXTURES/crash_after.sh" --name hung --health-exec "sleep 600" \
  --health-timeout 300ms --health-interval 200ms --health-failures 100 -- 1000 >/dev/null
wait_for 10 says_health hung "killed after health_timeout 300 ms"
# The killed command's process group is gone: no sleep 600 is left behind.
wait_for 5 bash -c '! pgrep -f "^sleep 600$" >/dev/null'
"$CXPM" delete hung >/dev/null

step "a bad health check is refused with file:line:column and nothing starts"
cat >"$WORK/bad.yaml" <<YAML
apps:
  - name: bad
    script: $FIXTURES/crash_after.sh
    health_check:
      http: https://example.com/
YAML
expect_fail "bad.yaml:5:13: health_http: expected an http:// URL" "$CXPM" start "$WORK/bad.yaml"
has_instances bad 0 || fail "a refused app started"
cat >"$WORK/bad2.yaml" <<YAML
apps:
  - name: bad
    script: $FIXTURES/crash_after.sh
    health_check:
      htp: http://127.0.0.1:1/
YAML
expect_fail "bad2.yaml:5:7: unknown health_check option 'htp'" "$CXPM" start "$WORK/bad2.yaml"
