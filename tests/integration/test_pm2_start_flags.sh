# pm2's start flags that scripts pass every day: each is accepted and does what pm2 users
# expect (or, for pm2's Node internals, nothing, with one warning line).
# ctest-timeout: 90
source "$(dirname "$0")/lib.sh"

spec_of() { "$CXPM" describe "$1" --json | jq -r ".[0].spec.$2"; }
pids_of() { jl --arg n "$1" '.[] | select(.name == $n) | .pid'; }

step "--increment-var PORT with -i 3: 3000, 3001, 3002; --instance-var names the index"
PORT=3000 "$CXPM" start sleep --name web -i 3 --increment-var PORT --instance-var WORKER_ID \
  -- 1000 >/dev/null
wait_for 10 has_status web online,online,online
ports=$(for pid in $(pids_of web); do env_of "$pid" PORT; done | sort | tr '\n' ' ')
[ "$ports" = "3000 3001 3002 " ] || fail "PORT per instance: got '$ports'"
ids=$(for pid in $(pids_of web); do env_of "$pid" WORKER_ID; done | sort | tr '\n' ' ')
[ "$ids" = "0 1 2 " ] || fail "WORKER_ID per instance: got '$ids'"

step "-f starts another copy of a running app; without it the name is refused"
"$CXPM" start sleep --name once -- 1000 >/dev/null
expect_fail "already exists" "$CXPM" start sleep --name once -- 1000
"$CXPM" start sleep --name once -f -- 1000 >/dev/null
wait_for 10 has_status once online,online

step "--no-treekill, --no-autostart, --kill-retry-time, --merge-logs"
"$CXPM" start sleep --name lone --no-treekill --kill-retry-time 250 --merge-logs -- 1000 >/dev/null
[ "$(spec_of lone treekill)" = false ] || fail "--no-treekill did not reach the daemon"
[ "$(spec_of lone kill_retry_time)" = 250 ] || fail "--kill-retry-time"
[ "$(spec_of lone merge_logs)" = true ] || fail "--merge-logs"
"$CXPM" start sleep --name later --no-autostart -- 1000 >/dev/null
[ "$(status_of later)" = stopped ] || fail "--no-autostart: the app started"
"$CXPM" start later >/dev/null
wait_for 10 has_status later online

step "-l with no path: the combined log in the default place; -l PATH as before"
"$CXPM" start bash --name both -l -- -c 'echo to-out; echo to-err >&2; exec sleep 1000' >/dev/null
wait_for 10 lines_in "$CXPM_HOME/logs/both.log" 2
grep -q to-err "$CXPM_HOME/logs/both.log" || fail "the combined log lacks stderr"
"$CXPM" start bash --name chosen --log "$WORK/chosen.log" -- -c 'echo hi; exec sleep 1000' >/dev/null
wait_for 10 grep -q hi "$WORK/chosen.log"

step "-u/--uid and --gid run the app as that user"
if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1; then
  "$CXPM" start sleep --name as-nobody --cwd / -u nobody -- 1000 >/dev/null
  wait_for 10 has_status as-nobody online
  uid=$(awk '/^Uid:/ { print $2 }' "/proc/$(pid_of as-nobody)/status")
  [ "$uid" = "$(id -u nobody)" ] || fail "-u nobody: the app runs as uid $uid"
  "$CXPM" start sleep --name as-nogroup --cwd / --uid nobody --gid "$(id -g nobody)" -- 1000 >/dev/null
  wait_for 10 has_status as-nogroup online
else
  echo "(not root, or no user nobody: -u not exercised)"
fi

step "pm2's Node-internal flags: accepted, no effect, one warning line"
"$CXPM" start sleep --name nodeish --no-vizion --source-map-support --no-pmx --disable-trace \
  -- 1000 >/dev/null 2>"$WORK/warn.txt"
wait_for 10 has_status nodeish online
[ "$(grep -c warning "$WORK/warn.txt")" = 1 ] || fail "expected one warning line: $(cat "$WORK/warn.txt")"
grep -q -- '--no-vizion, --source-map-support, --no-pmx, --disable-trace' "$WORK/warn.txt" ||
  fail "the warning does not name the flags"

step "--attach: start, then follow the app's lines until interrupted; the app keeps running"
cat >"$WORK/chatty.sh" <<'SH'
i=0
while :; do echo "chat $i"; i=$((i + 1)); sleep 0.1; done
SH
"$CXPM" start "$WORK/chatty.sh" --attach >"$WORK/attach.out" 2>&1 &
attached=$!
wait_for 10 grep -q 'chat 5' "$WORK/attach.out"
# SIGTERM: a background job of a script starts with SIGINT ignored, so Ctrl-C's signal would
# not reach it here; both end the CLI the same way.
kill -TERM "$attached"
wait "$attached" 2>/dev/null || true
wait_for 5 has_status chatty online
