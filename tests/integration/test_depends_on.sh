# depends_on (docs/dependencies.md): a chain of three apps starts in order, each waiting for
# its dependency's condition while commands on other apps run; a cycle, a missing app and a bad
# condition are refused with file:line:column and nothing starts; an errored dependency (or a
# timeout) stops the start of its dependents, transitively, while an unrelated app starts; stop
# of the file stops dependents first.
# ctest-timeout: 120
source "$(dirname "$0")/lib.sh"

order="$WORK/order"
export ORDER_FILE="$order"
says() { "$CXPM" describe "$1" | grep_all "$2"; }
order_is() { [ "$(grep "$1" "$order" | tr '\n' ' ')" = "$2" ]; }

step "a chain starts in order: b waits for a to be healthy, c for b to be ready"
cat >"$WORK/chain.yaml" <<YAML
apps:
  - name: c
    script: $FIXTURES/dependency_app.sh
    args: [c]
    kill_signal: SIGTERM
    depends_on: [b]
  - name: b
    script: $FIXTURES/dependency_app.sh
    args: [b]
    kill_signal: SIGTERM
    depends_on: [{app: a, condition: healthy}]
    # Ready (for c) once it has written its line: its first check passing is its readiness.
    health_check: {exec: "grep -q start-b $order", interval: 200ms, wait_ready: true}
  - name: a
    script: $FIXTURES/dependency_app.sh
    args: [a]
    kill_signal: SIGTERM
    # Failing until the test says so; not restarted for it meanwhile.
    health_check: {exec: "test -e $WORK/a-healthy", interval: 200ms, failures: 1000}
YAML
"$CXPM" ls >/dev/null  # the daemon first: the start below runs beside other commands
"$CXPM" start "$WORK/chain.yaml" >"$WORK/start.out" 2>&1 &
starter=$!
wait_for 10 says b "waiting to start for a (healthy), at most 60.0 s"
wait_for 10 says c "waiting to start for b (ready)"
[ "$(pid_of a)" -gt 0 ] || fail "a did not start at once"
has_status b stopped || fail "b started before a was healthy"
# The start holds only its own apps: a command on another app runs meanwhile.
timeout 10 "$CXPM" start --name loner sleep -- 600 >/dev/null || fail "loner waited for the start"
alive "$starter" || fail "the start answered before b could start"
echo "a-healthy" >>"$order"
touch "$WORK/a-healthy"
wait_for 20 dead "$starter"
wait "$starter" || fail "the start failed: $(cat "$WORK/start.out")"
order_is "start-\|healthy" "start-a a-healthy start-b start-c " || fail "order: $(cat "$order")"
grep_all "b waits for a to be healthy" "$WORK/start.out" || fail "no wait said: $(cat "$WORK/start.out")"
grep_all "c waited [0-9.]* s for b (ready)" "$WORK/start.out" || fail "no note: $(cat "$WORK/start.out")"
says b "started: a (healthy) met after" || fail "b's describe does not say what it waited for"
grep_all "waiting to start for a (healthy)" "$CXPM_HOME/daemon.log" || fail "not in daemon.log"

step "stop of the file stops dependents first: c, then b, then a"
"$CXPM" stop "$WORK/chain.yaml" >/dev/null
order_is "stop-" "stop-c-begin stop-c-end stop-b-begin stop-b-end stop-a-begin stop-a-end " ||
  fail "stop order: $(cat "$order")"
has_status loner online || fail "stop of the file touched loner"
"$CXPM" delete "$WORK/chain.yaml" >/dev/null

step "a cycle is refused with file:line:column, naming it, and nothing starts"
cat >"$WORK/cycle.yaml" <<YAML
apps:
  - {name: fine, script: sleep, args: ["600"]}
  - name: x
    script: sleep
    depends_on: [y]
  - name: y
    script: sleep
    depends_on: [{app: x, condition: started}]
YAML
expect_fail "cycle.yaml:5:18: depends_on: a cycle: x → y → x" "$CXPM" start "$WORK/cycle.yaml"
[ "$(jl '[.[] | select(.name == "fine" or .name == "x" or .name == "y")] | length')" = 0 ] ||
  fail "something of the refused file started"

step "a missing app and a bad condition are refused too"
printf 'apps:\n  - {name: p, script: sleep, depends_on: [ghost]}\n' >"$WORK/missing.yaml"
expect_fail "missing.yaml:2:43: depends_on: no app named 'ghost' in this file" \
  "$CXPM" start "$WORK/missing.yaml"
printf 'apps:\n  - {name: q, script: sleep}\n  - {name: r, script: sleep, depends_on: [{app: q, condition: later}]}\n' >"$WORK/bad.yaml"
expect_fail 'bad.yaml:3:[0-9]+: depends_on: expected started, ready, healthy or completed, got "later"' \
  "$CXPM" start "$WORK/bad.yaml"
[ "$(jl '[.[] | select(.name == "p" or .name == "q" or .name == "r")] | length')" = 0 ] ||
  fail "something of a refused file started"

step "an errored dependency stops its dependents, transitively; a timeout too; others start"
cat >"$WORK/broken.yaml" <<YAML
apps:
  - name: broken
    script: "exit 3"
    wait_ready: true
    listen_timeout: 30s
    max_restarts: 1
  - name: needs-broken
    script: sleep
    args: ["600"]
    depends_on: [broken]
  - name: deeper
    script: sleep
    args: ["600"]
    depends_on: [{app: needs-broken, condition: started}]
  - name: slow
    script: sleep
    args: ["600"]
    wait_ready: true
    listen_timeout: 60s
  - name: impatient
    script: sleep
    args: ["600"]
    depends_on: [slow]
    depends_timeout: 1s
  - name: unrelated
    script: sleep
    args: ["600"]
YAML
if timeout 30 "$CXPM" start "$WORK/broken.yaml" >"$WORK/broken.out" 2>&1; then
  fail "the start succeeded though apps were not started: $(cat "$WORK/broken.out")"
fi
grep_all "needs-broken was not started: its dependency 'broken' errored" "$WORK/broken.out" ||
  fail "no reason for needs-broken: $(cat "$WORK/broken.out")"
grep_all "deeper was not started: its dependency 'needs-broken' was not started" \
  "$WORK/broken.out" || fail "no reason for deeper: $(cat "$WORK/broken.out")"
grep_all "impatient was not started: waited 1.0 s (depends_timeout) for 'slow' to be ready \
(now launching)" "$WORK/broken.out" || fail "no timeout for impatient: $(cat "$WORK/broken.out")"
has_status broken errored || fail "broken is $(status_of broken)"
has_status needs-broken stopped || fail "needs-broken is $(status_of needs-broken)"
has_status deeper stopped || fail "deeper is $(status_of deeper)"
has_status impatient stopped || fail "impatient is $(status_of impatient)"
has_status unrelated online || fail "unrelated is $(status_of unrelated)"
says needs-broken "not started: its dependency 'broken' errored" ||
  fail "describe needs-broken does not say why"
"$CXPM" delete "$WORK/broken.yaml" >/dev/null
"$CXPM" delete loner >/dev/null
echo "ok"
