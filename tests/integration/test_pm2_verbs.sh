# pm2's verbs: env <id>, sendSignal, monit (refused without a terminal; test_monit.sh drives it
# in one), and an unknown command named as such with a did-you-mean instead of CLI11's "A
# subcommand is required".
source "$(dirname "$0")/lib.sh"

cat >"$WORK/trapper.sh" <<'SH'
#!/bin/bash
# Counts the SIGUSR2s it gets, in its own process and in a child of its process group.
trap 'echo parent >>"$SIGNAL_LOG"' USR2
bash -c 'trap "echo child >>\"$SIGNAL_LOG\"" USR2; while :; do sleep 0.1; done' &
while :; do sleep 0.1; done
SH
chmod +x "$WORK/trapper.sh"
SIGNAL_LOG="$WORK/signals" "$CXPM" start "$WORK/trapper.sh" --name trapper >/dev/null
"$CXPM" start sleep --name other -- 1000 >/dev/null
wait_for 10 has_status trapper online

step "env <id> prints the instance's environment"
id=$(jl '[.[] | select(.name == "trapper") | .id] | first')
"$CXPM" env "$id" >"$WORK/env"
grep_all "^NODE_APP_INSTANCE: 0$" "$WORK/env" || fail "env lacks NODE_APP_INSTANCE: $(head "$WORK/env")"
grep_all "^SIGNAL_LOG: $WORK/signals$" "$WORK/env" || fail "env lacks the app's variable"
expect_fail "env takes a process id" "$CXPM" env trapper
expect_fail "no process with id 99" "$CXPM" env 99

step "sendSignal to each process's group"
"$CXPM" sendSignal SIGUSR2 trapper | grep_all "sent SIGUSR2 to trapper" || fail "sendSignal's report"
wait_for 10 grep -qx parent "$WORK/signals"
wait_for 10 grep -qx child "$WORK/signals"
[ "$(status_of trapper)" = online ] || fail "sendSignal changed the status"
"$CXPM" sendSignal 12 "$id" >/dev/null
signalled_twice() { [ "$(grep -c parent "$WORK/signals")" = 2 ]; }  # counted on every try
wait_for 10 signalled_twice
[ "$(status_of other)" = online ] || fail "another app was signalled"
expect_fail "unknown signal 'SIGNOPE'" "$CXPM" sendSignal SIGNOPE trapper
expect_fail "no app named 'nope'" "$CXPM" sendSignal USR2 nope

step "monit without a terminal: refused, pointing at ls and jlist"
set +e
output=$("$CXPM" monit 2>&1 </dev/null)
code=$?
set -e
[ "$code" = 1 ] || fail "monit exited $code"
grep_all "monit needs a terminal; try .cxpm ls. or .cxpm jlist." <<<"$output" ||
  fail "monit said: $output"

step "an unknown command: named, a did-you-mean, --help, exit 2"
for typo in strat lsit sendsignal; do
  set +e
  output=$("$CXPM" "$typo" x 2>&1)
  code=$?
  set -e
  [ "$code" = 2 ] || fail "'$typo' exited $code: $output"
  grep_all "unknown command '$typo'; did you mean '.*'\? See .cxpm --help." <<<"$output" ||
    fail "'$typo' said: $output"
done
output=$("$CXPM" strat 2>&1) && fail "strat succeeded"
grep_all "did you mean 'start'" <<<"$output" || fail "strat → start: $output"
set +e
output=$("$CXPM" frobnicate 2>&1)
code=$?
set -e
[ "$code" = 2 ] && grep_all "^cxpm: unknown command 'frobnicate'. See .cxpm --help." <<<"$output" ||
  fail "frobnicate: $code $output"
echo "ok"
