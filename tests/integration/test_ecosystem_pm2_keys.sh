# pm2's ecosystem keys cxpm refused before: script_args (args), version (describe),
# append_env_to_name (with --env), filter_env (prefixes, or everything), and force and
# watch_options, accepted with a warning naming the key; typos still get "did you mean".
source "$(dirname "$0")/lib.sh"

spec_of() { "$CXPM" describe "$1" --json | jq -r ".[0].spec.$2"; }

cat >"$WORK/eco.yaml" <<YAML
apps:
  - name: api
    script: sleep
    script_args: "1000"
    version: 2.4.1
    append_env_to_name: true
    filter_env: [SECRET_]
    env_production:
      MODE: prod
  - name: bare
    script: sleep
    args: "1000"
    filter_env: true
    env:
      OWN: kept
  - name: forced
    script: sleep
    args: "1000"
    force: true
    watch_options:
      usePolling: true
      interval: 500
YAML

step "the file loads, with one warning for force and one naming watch_options' keys"
SECRET_TOKEN=hidden PUBLIC_VALUE=shown "$CXPM" start "$WORK/eco.yaml" --env production \
  >/dev/null 2>"$WORK/warn.txt"
grep -q 'eco\.yaml:19:.*force: no effect' "$WORK/warn.txt" || fail "no warning for force: $(cat "$WORK/warn.txt")"
grep -q 'eco\.yaml:20:.*watch_options (usePolling, interval)' "$WORK/warn.txt" ||
  fail "no warning naming watch_options' keys: $(cat "$WORK/warn.txt")"

step "append_env_to_name, script_args, version"
wait_for 10 has_status api-production online
[ "$(spec_of api-production args[0])" = 1000 ] || fail "script_args is not args"
"$CXPM" describe api-production | grep_all 'version.*2\.4\.1'
[ "$(spec_of api-production version)" = 2.4.1 ] || fail "version not kept"

step "filter_env drops inherited variables by prefix, or all of them; the app's own stay"
pid=$(pid_of api-production)
[ -z "$(env_of "$pid" SECRET_TOKEN)" ] || fail "SECRET_TOKEN was inherited"
[ "$(env_of "$pid" PUBLIC_VALUE)" = shown ] || fail "PUBLIC_VALUE was dropped"
[ "$(env_of "$pid" MODE)" = prod ] || fail "env_production was dropped"
bare=$(pid_of bare)
[ -z "$(env_of "$bare" PUBLIC_VALUE)" ] || fail "filter_env: true kept an inherited variable"
[ "$(env_of "$bare" OWN)" = kept ] || fail "filter_env: true dropped the app's own env"

step "without --env the name stays; a typo gets did-you-mean, and nothing starts"
"$CXPM" delete all >/dev/null
"$CXPM" start "$WORK/eco.yaml" --only api >/dev/null 2>&1
wait_for 10 has_status api online
printf 'apps:\n  - script: sleep\n    filter_envs: true\n' >"$WORK/typo.yaml"
expect_fail "typo\.yaml:3:5: unknown option 'filter_envs'; did you mean 'filter_env'\?" \
  "$CXPM" start "$WORK/typo.yaml"
printf 'apps:\n  - script: sleep\n    filter_env: maybe\n    append_env_to_name: 3\n' >"$WORK/bad.yaml"
expect_fail "append_env_to_name: expected true or false" "$CXPM" start "$WORK/bad.yaml"
