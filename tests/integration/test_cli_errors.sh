# Bad input gets a sentence that says what to do, a non-zero exit, and changes nothing.
source "$(dirname "$0")/lib.sh"

"$CXPM" start sleep --name napper -- 1000 >/dev/null

step "unknown app names list the known ones"
expect_fail "no app named 'nope'; known apps: napper" "$CXPM" stop nope
expect_fail "no process with id 42" "$CXPM" restart 42

step "a missing script, a missing interpreter, a bad directory"
expect_fail "cannot find 'missing.js'" "$CXPM" start missing.js
expect_fail "the interpreter 'nonexistent-interp' is not on PATH" \
  "$CXPM" start "$FIXTURES/hello.js" --interpreter nonexistent-interp
expect_fail "working directory /nonexistent does not exist" \
  "$CXPM" start sleep --cwd /nonexistent -- 1
printf 'data' >"$WORK/plain.dat"
expect_fail "not executable" "$CXPM" start "$WORK/plain.dat"

step "bad flags and values"
expect_fail "instances" "$CXPM" start sleep -i many -- 1
expect_fail "kill-timeout.*duration" "$CXPM" start sleep --kill-timeout forever -- 1
expect_fail "kill-signal: expected a signal name.*SIGNOPE" "$CXPM" start sleep --kill-signal SIGNOPE -- 1
expect_fail "KEY=VALUE|profile" "$CXPM" start sleep --env =x -- 1
expect_fail "--frobnicate" "$CXPM" ls --frobnicate
expect_fail "already exists" "$CXPM" start sleep --name napper -- 1
expect_fail "would read as a process id" "$CXPM" start sleep --name 123 -- 1
printf 'apps:\n  - name: filed\n    script: sleep\n    args: ["1000"]\n' >"$WORK/filed.yaml"
expect_fail "--time set up a new app from a script; they do not apply to .*filed.yaml" \
  "$CXPM" start "$WORK/filed.yaml" --time
expect_fail "--kill-timeout, --env KEY=VALUE set up a new app .* 'napper', which cxpm already has" \
  "$CXPM" start napper --kill-timeout 5s --env A=1

step "nothing changed"
[ "$(jl 'length')" = 1 ] || fail "a failed command changed the process table"

step "--help helps"
"$CXPM" --help | grep_all "start" || fail "--help lacks start"
"$CXPM" start --help | grep_all -- "--kill-timeout" || fail "start --help lacks options"
"$CXPM" --version | grep_all -E "cxpm [0-9]" || fail "--version"
echo "ok"
