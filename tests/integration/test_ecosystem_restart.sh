# restart/reload <file> give running apps the file's current settings (env, args), with pm2's
# environment rules: the start-time environment is kept unless --update-env.
source "$(dirname "$0")/lib.sh"

cmdline_of() { tr '\0' ' ' <"/proc/$1/cmdline"; }

cd "$WORK"
source "$FIXTURES/web_app.sh"

step "start a file: the shell's environment at start time becomes part of the app's env"
write_file one 1000
SHELL_VAR=at-start "$CXPM" start app.yaml >/dev/null
wait_for 10 has_status web online
pid=$(pid_of web)
[ "$(env_of "$pid" SHELL_VAR)" = at-start ] || fail "the shell's environment is missing"
[ "$(env_of "$pid" VERSION)" = one ] || fail "env not applied"

step "restart <file> applies the edited entry (env, args); the start-time environment stays"
write_file two 2000
SHELL_VAR=later "$CXPM" restart app.yaml >/dev/null
wait_for 10 pid_changed web "$pid"
wait_for 10 has_status web online
pid=$(pid_of web)
[ "$(env_of "$pid" VERSION)" = two ] || fail "the file's new env was not applied"
[ "$(env_of "$pid" SHELL_VAR)" = at-start ] || fail "the start-time environment was not kept"
cmdline_of "$pid" | grep_all "sleep 2000" || fail "new args not applied: $(cmdline_of "$pid")"
[ "$(spec_of web .args)" = '["2000"]' ] || fail "describe does not show the new args"
[ "$(restarts_of web)" = 1 ] || fail "restart <file> not counted"

step "--update-env: this shell's environment instead, with the file's env still on top"
SHELL_VAR=updated VERSION=from-shell "$CXPM" restart app.yaml --update-env >/dev/null
wait_for 10 pid_changed web "$pid"
pid=$(pid_of web)
[ "$(env_of "$pid" SHELL_VAR)" = updated ] || fail "--update-env did not take the shell's env"
[ "$(env_of "$pid" VERSION)" = two ] || fail "the shell's env overrode the file's env"

step "restart by name keeps the environment; with --update-env it merges the shell's"
SHELL_VAR=ignored "$CXPM" restart web >/dev/null
wait_for 10 pid_changed web "$pid"
pid=$(pid_of web)
[ "$(env_of "$pid" SHELL_VAR)" = updated ] || fail "restart without --update-env changed env"
SHELL_VAR=by-name "$CXPM" restart web --update-env >/dev/null
wait_for 10 pid_changed web "$pid"
pid=$(pid_of web)
[ "$(env_of "$pid" SHELL_VAR)" = by-name ] || fail "restart web --update-env did not merge"
[ "$(env_of "$pid" VERSION)" = two ] || fail "restart web --update-env lost the app's env"

step "reload <file> applies the file too, and --env NAME"
write_file three 3000
"$CXPM" reload app.yaml --env production >/dev/null
wait_for 10 pid_changed web "$pid"
pid=$(pid_of web)
[ "$(env_of "$pid" VERSION)" = three-production ] || fail "reload --env production: wrong env"
expect_fail 'env_NAME profile of an ecosystem file' "$CXPM" restart web --env production
echo "ok"
