# cxpm events: the daemon's recent events across apps, with their kinds; --follow streams new
# ones as they happen; --json gives one object per line.
source "$(dirname "$0")/lib.sh"

step "a crash and a start of two apps are both in events, with kinds"
"$CXPM" start "$FIXTURES/crash_after.sh" --name steady -- 1000 >/dev/null
"$CXPM" start "$FIXTURES/crash_after.sh" --name flaky --max-restarts 2 -- 0 1 >/dev/null
wait_for 10 has_status flaky errored
out=$("$CXPM" events)
grep_all "steady\[0\] (id 0)  info  started" <<<"$out" || fail "no start of steady: $out"
grep_all "flaky\[0\] (id 1)  crash  exited with code 1; restarting" <<<"$out" ||
  fail "no crash of flaky: $out"
grep_all "flaky\[0\] (id 1)  errored  errored:" <<<"$out" || fail "no errored event: $out"

step "--json: the event's kind, app, pid, exit code and restart count"
"$CXPM" events --json | jq -se 'any(.[]; .event == "crash" and .app == "flaky"
  and .exit_code == 1 and .pid > 0 and (.restarts | type) == "number")' >/dev/null ||
  fail "no crash object in --json"
[ "$("$CXPM" events --json --lines 2 | wc -l)" = 2 ] || fail "--lines 2 did not give 2 events"

step "--follow streams an event that happens after it began"
"$CXPM" events --follow --lines 0 --json >"$WORK/follow.jsonl" &
follower=$!
wait_for 5 awaiting_reply "$follower"
kill -9 "$(pid_of steady)"
followed_crash() { jq -se 'any(.[]; .event == "crash" and .app == "steady")' "$WORK/follow.jsonl"; }
wait_for 10 followed_crash
kill "$follower"
wait "$follower" 2>/dev/null || true
