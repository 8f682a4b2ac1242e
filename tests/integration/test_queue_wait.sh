# --wait[=SECONDS] and --no-wait on the lifecycle commands: how long a command waits for an
# app another command holds (args.queue_wait_ms). --no-wait and --wait 0 refuse at once, a
# short --wait refuses after it, a bare --wait waits the default 30 s, and each refusal says
# what would help.
# ctest-timeout: 120
source "$(dirname "$0")/lib.sh"

# Stopping it takes its whole kill_timeout once it ignores SIGINT (it says so when it does).
stub_ready() { [ "$(grep -c "stubborn started" "$CXPM_HOME/logs/stub-out.log")" = "$1" ]; }
"$CXPM" start "$FIXTURES/stubborn.py" --name stub --kill-timeout 8s >/dev/null
wait_for 10 stub_ready 1

# Milliseconds since the epoch, to time a refusal.
now_ms() { date +%s%3N; }

"$CXPM" stop stub >"$WORK/stop.out" 2>&1 &
stop=$!
wait_for 5 has_status stub stopping

for flag in --no-wait "--wait 0" --wait=0; do
  step "restart $flag while a stop holds the app: refused at once, saying what helps"
  started=$(now_ms)
  # shellcheck disable=SC2086 # "--wait 0" is two words on purpose
  if "$CXPM" restart stub $flag >"$WORK/refused.out" 2>&1; then
    fail "restart $flag ran while stop held the app: $(cat "$WORK/refused.out")"
  fi
  took=$(($(now_ms) - started))
  [ "$took" -lt 2000 ] || fail "restart $flag took $took ms to be refused"
  grep -qE 'busy: a stop of stub is in progress \(started [0-9]+ s ago\); retry now, or add --wait to wait for it$' \
    "$WORK/refused.out" || fail "refusal for $flag: $(cat "$WORK/refused.out")"
done

step "restart --wait=1 waits a second, then is refused, saying how to wait longer"
started=$(now_ms)
if "$CXPM" restart stub --wait=1 >"$WORK/short.out" 2>&1; then
  fail "restart --wait=1 ran while stop held the app"
fi
took=$(($(now_ms) - started))
[ "$took" -ge 900 ] || fail "restart --wait=1 was refused after $took ms, before its second"
grep -qE 'busy: a stop of stub is in progress .*; retry, or wait longer than 1 s with --wait=SECONDS \(at most 600\)$' \
  "$WORK/short.out" || fail "refusal for --wait=1: $(cat "$WORK/short.out")"

step "a bad --wait is refused before anything is sent"
for bad in --wait=-1 --wait=601 --wait=soon; do
  if "$CXPM" restart stub $bad >"$WORK/bad.out" 2>&1; then fail "restart $bad was accepted"; fi
  grep -q -- "--wait takes seconds from 0 to 600" "$WORK/bad.out" || fail "$bad: $(cat "$WORK/bad.out")"
done
if "$CXPM" restart stub --wait=5 --no-wait >/dev/null 2>&1; then fail "--wait with --no-wait was accepted"; fi

step "a bare --wait waits (30 s by default) for the stop, then runs"
"$CXPM" start stub --wait >"$WORK/start.out" 2>&1 || fail "start --wait failed: $(cat "$WORK/start.out")"
wait "$stop" || fail "stop failed: $(cat "$WORK/stop.out")"
[ "$(status_of stub)" = online ] || fail "stop then start --wait should leave stub online: $(status_of stub)"
wait_for 10 stub_ready 2

step "--wait is not an app setting: start on a known app accepts it, and so do the other verbs"
"$CXPM" start sleep --name k -- 1000 >/dev/null
"$CXPM" start k --wait=5 >/dev/null || fail "start k --wait=5 failed"
"$CXPM" reload k --no-wait >/dev/null || fail "reload --no-wait on an idle app failed"
"$CXPM" scale k 2 --wait=5 >/dev/null || fail "scale --wait=5 failed"
"$CXPM" stop k --wait >/dev/null || fail "stop --wait failed"
"$CXPM" reset k --no-wait >/dev/null || fail "reset --no-wait failed"
"$CXPM" delete k --wait=5 >/dev/null || fail "delete --wait=5 failed"
has_instances k 0 || fail "k is still listed: $(jl -c '.')"
