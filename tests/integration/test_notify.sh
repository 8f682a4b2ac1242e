# Notifications: a crash-looping app makes one coalesced notification per interval with the
# right count, to a command and to a webhook; a hook that sleeps forever delays no restart and
# is killed at its timeout; cxpm.yaml's daemon-wide notify is for apps without their own, and
# re-read when it changes; bad settings are refused clearly.
# ctest-timeout: 200
source "$(dirname "$0")/lib.sh"

server_pid=
trap 'status=$?; [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; (exit $status); cleanup' EXIT

# counts FILE: the "count" of each notification in FILE (one JSON object a line), in order.
counts() { jq -r '.count' "$1" | paste -sd' '; }
sum_of_counts() { jq -s 'map(.count) | add // 0' "$1"; }
crash_events() {
  "$CXPM" events --json --lines 1000 | jq -s --arg n "$1" 'map(select(.app == $n and .event == "crash")) | length'
}
all_counted() { [ -f "$1" ] && [ "$(sum_of_counts "$1")" = "$(crash_events "$2")" ]; }
log_says() { grep_all -E "$1" "$CXPM_HOME/daemon.log"; }

step "a crash loop: one notification per interval, with the count, to a command and a webhook"
"$FIXTURES/webhook_server.py" "$WORK/port" "$WORK/webhook.jsonl" 190 &
server_pid=$!
wait_for 10 test -s "$WORK/port"
port=$(cat "$WORK/port")
cat >"$WORK/eco.yaml" <<YAML
apps:
  - name: looper
    script: $FIXTURES/crash_after.sh
    args: ["0.3", "3"]      # runs 0.3 s, exits 3
    min_uptime: 100ms       # each 300 ms run is a stable one: the loop never ends errored
    restart_budget: 0
    notify:
      events: [crash]
      exec: 'date +%s%N >>"$WORK/sent_at"; cat >>"$WORK/exec.jsonl"; echo "\$CXPM_EVENT \$CXPM_APP \$CXPM_COUNT" >>"$WORK/env.txt"'
      webhook: http://127.0.0.1:$port/hook
      interval: 3s
YAML
"$CXPM" start "$WORK/eco.yaml" >/dev/null
wait_for 40 lines_in "$WORK/exec.jsonl" 3
"$CXPM" stop looper >/dev/null
# The last window's crashes go out when it ends: then every crash is counted once.
wait_for 15 all_counted "$WORK/exec.jsonl" looper
wait_for 15 all_counted "$WORK/webhook.jsonl" looper
exec_counts=$(counts "$WORK/exec.jsonl")
echo "crashes: $(crash_events looper); counts per notification: $exec_counts"
[ "$(cut -d' ' -f1 <<<"$exec_counts")" = 1 ] || fail "the first crash was not sent alone: $exec_counts"
[ "$(wc -w <<<"$exec_counts")" -lt "$(crash_events looper)" ] || fail "nothing was coalesced: $exec_counts"
[ "$(counts "$WORK/webhook.jsonl")" = "$exec_counts" ] ||
  fail "the webhook got other notifications: $(counts "$WORK/webhook.jsonl") vs $exec_counts"
# At most one per interval (3 s): the gaps between sends (slowness only widens them).
gaps=$(awk 'NR > 1 { printf "%d ", ($1 - last) / 1000000 } { last = $1 }' "$WORK/sent_at")
echo "ms between notifications: $gaps"
for gap in $gaps; do [ "$gap" -ge 2500 ] || fail "two notifications $gap ms apart (interval 3 s)"; done
jq -e 'select(.event == "crash" and .app == "looper" and .exit_code == 3 and .pid > 0
              and .restarts >= 0 and .time > 0 and (.message | test("exited with code 3")))' \
  "$WORK/exec.jsonl" >/dev/null || fail "the event JSON lacks fields: $(head -1 "$WORK/exec.jsonl")"
grep_all "bad content type" "$WORK/webhook.jsonl" && fail "the webhook was not sent as application/json"
[ "$(head -1 "$WORK/env.txt")" = "crash looper 1" ] || fail "CXPM_* variables: $(head -1 "$WORK/env.txt")"
"$CXPM" delete looper >/dev/null

step "a hook that sleeps forever delays no restart, and is killed at its timeout"
cat >"$WORK/hang.yaml" <<YAML
apps:
  - name: hanger
    script: $FIXTURES/crash_after.sh
    args: ["0.3", "3"]      # runs 0.3 s, exits 3
    min_uptime: 100ms
    restart_budget: 0
    notify: {exec: 'echo \$\$ >>"$WORK/hook_pids"; exec sleep 1000', timeout: 1s, interval: 200ms}
YAML
"$CXPM" start "$WORK/hang.yaml" >/dev/null
wait_for 10 test -s "$WORK/hook_pids"
first_hook=$(head -1 "$WORK/hook_pids")
# ~0.3 s a run: 8 restarts in a few seconds, while the hooks hang for their whole second.
climbing() { [ "$(restarts_of hanger)" -ge 8 ]; }
begun=$SECONDS
wait_for 20 climbing
echo "8 restarts in $((SECONDS - begun)) s with every hook hanging"
wait_for 10 dead "$first_hook"
wait_for 10 log_says "notify hanger crash.* via exec: killed after notify_timeout 1000 ms"
"$CXPM" delete hanger >/dev/null
for pid in $(cat "$WORK/hook_pids"); do wait_for 10 dead "$pid"; done

step "at most 8 hooks at a time; the rest wait their turn"
{
  echo "apps:"
  for i in $(seq 12); do
    cat <<YAML
  - name: many$i
    script: $FIXTURES/crash_after.sh
    args: ["0.3", "3"]      # runs 0.3 s, exits 3
    min_uptime: 100ms
    notify: {exec: 'echo \$\$ >>"$WORK/many_pids"; exec sleep 1000', timeout: 2s, interval: 10m}
YAML
  done
} >"$WORK/many.yaml"
"$CXPM" start "$WORK/many.yaml" >/dev/null
alive_hooks() {
  local count=0 pid
  for pid in $(cat "$WORK/many_pids"); do dead "$pid" || count=$((count + 1)); done
  echo "$count"
}
wait_for 20 lines_in "$WORK/many_pids" 8
most=0
for _ in $(seq 20); do
  now=$(alive_hooks)
  [ "$now" -gt "$most" ] && most=$now
  sleep 0.05
done
echo "hooks running at once: at most $most of 12"
[ "$most" -le 8 ] || fail "$most hooks ran at once"
wait_for 90 lines_in "$WORK/many_pids" 12
"$CXPM" delete "$WORK/many.yaml" >/dev/null
for pid in $(cat "$WORK/many_pids"); do wait_for 10 dead "$pid"; done

step "cxpm.yaml: daemon-wide notify for apps without their own, re-read when it changes"
cat >"$CXPM_HOME/cxpm.yaml" <<YAML
notify:
  exec: 'cat >>"$WORK/daemon.jsonl"'
  events: [crash]
  interval: 1s
YAML
wait_for 10 log_says "cxpm.yaml: daemon-wide notify by exec"
"$CXPM" start "$FIXTURES/crash_after.sh" --name plain --min-uptime 100ms -- 0.3 3 >/dev/null
wait_for 15 test -s "$WORK/daemon.jsonl"
jq -e 'select(.event == "crash" and .app == "plain")' "$WORK/daemon.jsonl" >/dev/null ||
  fail "the daemon-wide hook got: $(head -1 "$WORK/daemon.jsonl")"

step "a bad cxpm.yaml is said in daemon.log and ls, and the settings before it stay"
printf 'notify:\n  webhook: https://hooks.example.com/x\n' >"$CXPM_HOME/cxpm.yaml.new"
mv "$CXPM_HOME/cxpm.yaml.new" "$CXPM_HOME/cxpm.yaml"
kill -HUP "$(cat "$CXPM_HOME/daemon.pid")"
wait_for 10 log_says "cxpm.yaml:2:12: notify_webhook: https is not supported"
"$CXPM" ls | grep_all "warning: .*cxpm.yaml:2:12: notify_webhook: https is not supported.*the settings before it stay" ||
  fail "ls does not warn of the bad cxpm.yaml"
before=$(wc -l <"$WORK/daemon.jsonl")
wait_for 15 lines_in "$WORK/daemon.jsonl" $((before + 1))
"$CXPM" delete plain >/dev/null
rm "$CXPM_HOME/cxpm.yaml"
wait_for 10 log_says "cxpm.yaml: no daemon-wide notify"
"$CXPM" ls | grep_all "warning:" && fail "ls still warns once cxpm.yaml is gone"

step "bad app settings are refused with where they are, and nothing starts"
cat >"$WORK/bad.yaml" <<'YAML'
apps:
  - name: bad
    script: /bin/sleep
    args: "100"
    notify:
      webhook: https://hooks.example.com/x
YAML
expect_fail "bad.yaml:6:16: notify_webhook: https is not supported" "$CXPM" start "$WORK/bad.yaml"
printf 'notify: {exec: x, events: [crashes]}\napps:\n  - script: /bin/sleep\n' >"$WORK/bad2.yaml"
expect_fail 'bad2.yaml:1:27: notify_events: unknown event "crashes"' "$CXPM" start "$WORK/bad2.yaml"
expect_fail "notify_webhook: https is not supported" \
  "$CXPM" start /bin/sleep --name flagged --notify-webhook https://h/x -- 100
[ "$(jl 'length')" = 0 ] || fail "a refused app was started: $(jl '.[].name')"
echo "ok"
