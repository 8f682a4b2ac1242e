# ctest-timeout: 180
# save / kill / resurrect: every app comes back with its settings, its saved environment (not
# the caller's), its instances and its cluster address; resurrect leaves apps the daemon has
# alone; an empty list is not saved without --force; cleardump; a damaged dump is refused.
source "$(dirname "$0")/lib.sh"
HELLO_FD3="$(dirname "$CXPM")/examples/hello-fd3"
dump="$CXPM_HOME/dump.json"

# What must survive: each process's app, instance and whole spec (env included).
settled() { "$CXPM" describe all --json | jq -S '[.[] | {name, instance, exec_mode, spec}] | sort_by(.name, .instance)'; }
all_online() { [ "$(jl '[.[] | .status] | unique | join(",")')" = online ]; }
two_workers_answer() { [ "$(worker_pids_answering "http://127.0.0.1:$port/" 20 | wc -l)" = 2 ]; }

step "apps with settings, environment, instances and a cluster address"
port=$(free_port)
SAVED_VAR="from the start" "$CXPM" start "$HELLO_FD3" --name web -i 2 --port "$port" \
  --kill-timeout 4000 --max-restarts 7 >/dev/null
"$CXPM" start sleep --name worker -i 3 --env COLOR=blue --restart-delay 250 \
  --cron-restart '0 4 * * *' -- 1000 >/dev/null
wait_for 20 all_online
wait_for 10 two_workers_answer
before=$(settled)
jq -e '[.[] | select(.name == "web")][0].spec.env.SAVED_VAR == "from the start"' <<<"$before" >/dev/null ||
  fail "the test's own environment did not reach the spec: $before"

step "save writes dump.json, private, holding every app"
out=$("$CXPM" save)
grep -q "saved 2 app(s), 5 process(es), to $dump" <<<"$out" || fail "save said: $out"
[ "$(stat -c %a "$dump")" = 600 ] || fail "dump.json is mode $(stat -c %a "$dump")"
jq -e '.format == "cxpm-dump" and .version == 1 and ([.apps[].name] | sort) == ["web", "worker"]' \
  "$dump" >/dev/null || fail "unexpected dump: $(head -c 600 "$dump")"
ls "$CXPM_HOME" | grep_all tmp && fail "a temporary file was left: $(ls "$CXPM_HOME")"

step "kill, then resurrect from another environment: the saved one comes back"
"$CXPM" kill >/dev/null
answers "http://127.0.0.1:$port/" && fail "the cluster port still answers after kill"
out=$(env -i PATH="$PATH" CXPM_HOME="$CXPM_HOME" OTHER=caller "$CXPM" resurrect)
for name in web worker; do grep -q "$name" <<<"$out" || fail "resurrect's table lacks $name: $out"; done
wait_for 20 all_online
after=$(settled)
[ "$after" = "$before" ] || fail "not the same apps after resurrect: $(diff <(echo "$before") <(echo "$after"))"
jq -e '[.[] | .spec.env.OTHER] | all(. == null)' <<<"$after" >/dev/null ||
  fail "the caller's environment leaked into resurrected apps"
wait_for 10 two_workers_answer
pids=$(jl '[.[] | .pid] | sort | join(",")')

step "resurrect again: apps the daemon has are left alone"
out=$("$CXPM" resurrect 2>&1)
grep -q "web: already in the list, left as it is" <<<"$out" || fail "resurrect said: $out"
[ "$(jl '[.[] | .pid] | sort | join(",")')" = "$pids" ] || fail "running apps were touched"
[ "$(jl 'length')" = 5 ] || fail "apps were doubled: $(jl 'length') processes"

step "an app deleted since is brought back; the one still there is not restarted"
web_pids=$(jl '[.[] | select(.name == "web") | .pid] | sort | join(",")')
"$CXPM" delete worker >/dev/null
"$CXPM" resurrect >/dev/null 2>&1
wait_for 20 has_status worker online,online,online
[ "$(jl '[.[] | select(.name == "web") | .pid] | sort | join(",")')" = "$web_pids" ] ||
  fail "web was restarted by resurrect"

step "an empty list is not saved over the saved one without --force"
cp "$dump" "$WORK/dump.before"
"$CXPM" delete all >/dev/null
expect_fail "no apps to save; the saved list is left as it is" "$CXPM" save
cmp -s "$dump" "$WORK/dump.before" || fail "a refused save changed dump.json"
"$CXPM" dump --force >/dev/null
jq -e '.apps == []' "$dump" >/dev/null || fail "save --force did not save the empty list"

step "cleardump empties the list; resurrect then starts nothing"
"$CXPM" start sleep --name temp -- 1000 >/dev/null
"$CXPM" save >/dev/null
jq -e '.apps | length == 1' "$dump" >/dev/null || fail "temp not saved"
out=$("$CXPM" cleardump)
grep -q "emptied the saved list $dump" <<<"$out" || fail "cleardump said: $out"
jq -e '.apps == [] and .format == "cxpm-dump"' "$dump" >/dev/null || fail "cleardump left: $(cat "$dump")"
"$CXPM" delete all >/dev/null
"$CXPM" resurrect >/dev/null 2>&1
[ "$(jl 'length')" = 0 ] || fail "resurrect of an empty list started something"

step "no dump at all, and a damaged one: said plainly, nothing changes, the daemon answers"
rm "$dump"
out=$("$CXPM" resurrect 2>&1)
grep -q "no saved list in $dump" <<<"$out" || fail "a missing dump was not reported: $out"
echo '{"format": "cxpm-dump", "version": 1, "apps": [{"name": "x"' >"$dump"
expect_fail "cannot resurrect: dump.json: not valid JSON" "$CXPM" resurrect
echo '{"format": "cxpm-dump", "version": 1, "apps": [{"name": "ok", "script": "sleep", "args": ["1000"]}, {"name": "bad"}]}' >"$dump"
expect_fail "cannot resurrect: dump.json.apps\[1\].script: required" "$CXPM" resurrect
[ "$(jl 'length')" = 0 ] || fail "a damaged dump started some of its apps"
"$CXPM" ping >/dev/null || fail "the daemon does not answer"

step "a saved app that cannot start now is reported; the others start"
cat >"$dump" <<JSON
{"format": "cxpm-dump", "version": 1, "apps": [
  {"name": "gone", "script": "$WORK/no-such-program", "interpreter": "none"},
  {"name": "fine", "script": "sleep", "args": ["1000"]}]}
JSON
expect_fail "gone: did not start: .*no-such-program" "$CXPM" resurrect
wait_for 10 has_status fine online
[ "$(jl '[.[] | select(.name == "gone")] | length')" = 0 ] || fail "the failed app was left listed"
echo ok
