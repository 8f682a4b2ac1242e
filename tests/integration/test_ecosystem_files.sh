# Ecosystem files end to end: broken files start nothing and say where; pm2's JSON loads
# unchanged; pm2's env merge order; --only; `cxpm start` with no argument.
source "$(dirname "$0")/lib.sh"

count_of() { jl --arg n "$1" '[.[] | select(.name == $n)] | length'; }

step "each broken file: every error with file:line:column, a non-zero exit, nothing started"
cd "$FIXTURES"  # so messages name the files as given
broken() { expect_fail "$2" "$CXPM" start "$1"; }
broken eco_broken_syntax.yaml '^  eco_broken_syntax\.yaml:5:9: invalid YAML'
broken eco_broken_unknown_key.yaml "eco_broken_unknown_key\.yaml:8:5: unknown option \
'max_memory_restrat'; did you mean 'max_memory_restart'\?"
broken eco_broken_type.yaml 'eco_broken_type\.yaml:5:16: instances: expected a number.*got a list'
if output=$("$CXPM" start eco_broken_unit.yaml 2>&1); then fail "eco_broken_unit.yaml started"; fi
for pattern in 'eco_broken_unit\.yaml has 2 errors; nothing was started or changed' \
  'eco_broken_unit\.yaml:5:25: max_memory_restart: expected a size.*"300X"' \
  'eco_broken_unit\.yaml:9:19: kill_timeout: expected a duration.*"5 parsecs"'; do
  grep -qE "$pattern" <<<"$output" || fail "expected /$pattern/ (got: $output)"
done
broken eco_broken_cron.json \
  'eco_broken_cron\.json:4:77: cron_restart: bad cron pattern "0 25 \* \* \*": hour field'
broken eco_broken_duplicate.yaml \
  "eco_broken_duplicate\.yaml:5:11: duplicate app name 'api' \(first defined at line 2\)"
broken eco_broken_negative.yaml 'eco_broken_negative\.yaml:5:16: instances: must be from -1024'
[ "$(jl 'length')" = 0 ] || fail "a broken file started something: $("$CXPM" jlist)"
# The verbs that take files check them whole too.
expect_fail 'eco_broken_unit\.yaml:5:25' "$CXPM" restart eco_broken_unit.yaml
expect_fail 'eco_broken_unit\.yaml:5:25' "$CXPM" startOrRestart eco_broken_unit.yaml
expect_fail 'eco_broken_unit\.yaml:5:25' "$CXPM" stop eco_broken_unit.yaml
[ "$(jl 'length')" = 0 ] || fail "a broken file started something"

step "a pm2 JSON file (aliases, pm2-only keys, a deploy section) starts unchanged"
"$CXPM" start eco_pm2.json --env production >/dev/null
wait_for 10 has_status pm2-api online,online
wait_for 10 has_status pm2-worker online
api=$(pid_of pm2-api)
[ "$(env_of "$api" NODE_ENV)" = production ] || fail "env_production not applied"
[ "$(env_of "$api" API_PORT)" = 3000 ] || fail "env not applied"
tr '\0' ' ' <"/proc/$api/cmdline" | grep_all -- "--max-old-space-size=200 .*hello.js" ||
  fail "node_args did not reach node: $(tr '\0' ' ' <"/proc/$api/cmdline")"
"$CXPM" describe pm2-api --json | jq -e '.[0].spec | .max_memory_restart == 314572800
    and .min_uptime == 10000 and .kill_timeout == 3000 and .merge_logs and .max_restarts == 10' \
  >/dev/null || fail "pm2 options not read: $("$CXPM" describe pm2-api --json | jq -c '.[0].spec')"
wait_for 10 grep -q "hello from" "$CXPM_HOME/logs/pm2-api-out.log"  # merge_logs: no suffix
"$CXPM" describe pm2-worker --json | jq -e '.[0].spec | .interpreter == "bash"
    and .args == ["1000", "0"] and .restart_delay == 500 and .merge_logs' >/dev/null ||
  fail "exec/exec_interpreter/combine_logs aliases not read"
"$CXPM" delete eco_pm2.json >/dev/null
[ "$(jl 'length')" = 0 ] || fail "delete <file> left apps"

step "env merge order: the caller's environment < env < port's PORT < env_<NAME>"
cd "$WORK"
port=$(free_port)
cat >envs.yaml <<YAML
apps:
  - name: envy
    script: sleep
    args: ["1000"]
    port: $port
    env:
      FROM_ENV: env
      CALLER_AND_ENV: env
      OVERRIDDEN: env
    env_production:
      OVERRIDDEN: production
      ONLY_PRODUCTION: production
    env_staging:
      OVERRIDDEN: staging
  - name: plain
    script: sleep
    args: ["1000"]
YAML
CALLER_ONLY=caller CALLER_AND_ENV=caller "$CXPM" start envs.yaml --env production --only envy \
  >/dev/null
wait_for 10 has_status envy online
envy=$(pid_of envy)
[ "$(env_of "$envy" CALLER_ONLY)" = caller ] || fail "the caller's environment is missing"
[ "$(env_of "$envy" CALLER_AND_ENV)" = env ] || fail "env does not override the caller's"
[ "$(env_of "$envy" FROM_ENV)" = env ] || fail "env missing"
[ "$(env_of "$envy" OVERRIDDEN)" = production ] || fail "env_production does not override env"
[ "$(env_of "$envy" ONLY_PRODUCTION)" = production ] || fail "env_production missing"
[ "$(env_of "$envy" PORT)" = "$port" ] || fail "port did not set PORT"
[ "$(count_of plain)" = 0 ] || fail "--only started another app"
"$CXPM" start envs.yaml >/dev/null  # the rest of the file; envy is known and left alone
wait_for 10 has_status plain online
[ "$(pid_of envy)" = "$envy" ] || fail "starting the file again restarted envy"
expect_fail "has no app named 'nope'; it has: envy, plain" "$CXPM" start envs.yaml --only nope

step "cxpm start with no argument finds ./ecosystem.yaml (or .yml, .json)"
mkdir -p "$WORK/empty" "$WORK/yml"
cd "$WORK/empty"
expect_fail 'no ecosystem\.yaml, \.yml or \.json here.*cxpm init' "$CXPM" start
cd "$WORK/yml"
printf 'apps:\n  - name: from-yml\n    script: sleep\n    args: ["1000"]\n' >ecosystem.yml
"$CXPM" start >/dev/null
wait_for 10 has_status from-yml online
echo "ok"
