# jlist carries pm2's shape beside cxpm's: consumers written against `pm2 jlist` (plain key
# access, KeyError on a missing key) run unchanged; prettylist prints it in Node's notation.
source "$(dirname "$0")/lib.sh"

cp "$FIXTURES/hello.js" "$WORK/index.js"
cd "$WORK"
"$CXPM" start index.js -i 2 --namespace shop >/dev/null
"$CXPM" start sleep --name solo -- 1000 >/dev/null
wait_for 10 has_status index "online,online"
wait_for 10 has_status solo online

step "a python consumer written for pm2 reads every key"
"$CXPM" jlist | python3 "$FIXTURES/pm2_consumer.py" >"$WORK/rows" || fail "the pm2 consumer failed"
[ "$(wc -l <"$WORK/rows")" = 3 ] || fail "consumer rows: $(cat "$WORK/rows")"
row() { jq -c --arg n "$1" --argjson i "$2" 'select(.name == $n and .instance == $i)' "$WORK/rows"; }
index0=$(row index 0)
[ "$(jq -r .exec_mode <<<"$index0")" = cluster_mode ] || fail "exec_mode: $index0"
[ "$(jq -r .instances <<<"$index0")" = 2 ] || fail "instances: $index0"
[ "$(jq -r .namespace <<<"$index0")" = shop ] || fail "namespace: $index0"
[ "$(jq -r .pm_exec_path <<<"$index0")" = "$WORK/index.js" ] || fail "pm_exec_path: $index0"
[ "$(jq -r .pm_cwd <<<"$index0")" = "$WORK" ] || fail "pm_cwd: $index0"
[ "$(jq -r .status <<<"$index0")" = online ] || fail "status: $index0"
[ "$(jq -r .env_instance <<<"$(row index 1)")" = 1 ] || fail "env NODE_APP_INSTANCE of instance 1"
[ "$(jq -r .version <<<"$index0")" = N/A ] || fail "version: $index0"
[ "$(jq -r '.memory > 0' <<<"$index0")" = true ] || fail "monit.memory: $index0"
[ "$(jq -r .pid <<<"$index0")" = "$(jl '[.[] | select(.name == "index" and .instance == 0) | .pid] | first')" ] ||
  fail "pid"
now_ms=$(($(date +%s) * 1000))
uptime=$(jq -r .pm_uptime <<<"$index0")
[ "$uptime" -le $((now_ms + 1000)) ] && [ "$uptime" -gt $((now_ms - 600000)) ] ||
  fail "pm_uptime is not a start time in ms since the epoch: $uptime (now $now_ms)"
solo=$(row solo 0)
[ "$(jq -r .exec_mode <<<"$solo")" = fork_mode ] || fail "solo exec_mode: $solo"
[ "$(jq -r .namespace <<<"$solo")" = default ] || fail "solo namespace: $solo"
[ "$(jq -r .unique_id "$WORK/rows" | sort -u | grep -cE '^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$')" = 3 ] ||
  fail "unique_id: three distinct UUIDs expected: $(jq -r .unique_id "$WORK/rows")"
[ "$("$CXPM" jlist | jq -r '.[0].pm2_env.unique_id')" = "$("$CXPM" jlist | jq -r '.[0].pm2_env.unique_id')" ] ||
  fail "unique_id changes between calls"

step "cxpm's own fields are still there"
[ "$(jl '[.[] | select(.name == "solo")] | first | [.id, .status, .restarts] | map(tostring) | join(",")')" = \
  "$(pjl '[.[] | select(.name == "solo")] | first | [.pm_id, .pm2_env.status, .pm2_env.restart_time] | map(tostring) | join(",")')" ] ||
  fail "cxpm's fields and pm2's disagree"

step "after a restart and a stop: restart_time, status, exit_code"
"$CXPM" restart solo >/dev/null
"$CXPM" stop solo >/dev/null
[ "$(pjl '.[] | select(.name == "solo") | "\(.pm2_env.status) \(.pm2_env.restart_time)"')" = "stopped 1" ] ||
  fail "after restart+stop: $(pjl '.[] | select(.name == "solo") | .pm2_env | "\(.status) \(.restart_time)"')"

step "a node consumer"
"$CXPM" jlist | node "$FIXTURES/pm2_consumer.js" >"$WORK/node_rows" || fail "the node consumer failed"
grep_all "index online .*uptime_ok=true mode=cluster_mode ns=shop instance=0" "$WORK/node_rows" ||
  fail "node consumer: $(cat "$WORK/node_rows")"

step "prettylist in Node's notation, as pm2's scripts grep it"
"$CXPM" prettylist >"$WORK/pretty"
grep_all "restart_time: 1" "$WORK/pretty" || fail "prettylist lacks restart_time: 1"
grep_all "status: 'online'" "$WORK/pretty" || fail "prettylist lacks status: 'online'"
grep_all "exec_mode: 'cluster_mode'" "$WORK/pretty" || fail "prettylist exec_mode"
grep_all "pm_id: 0" "$WORK/pretty" || fail "prettylist pm_id"
echo "ok"
