# restart <file> applies a new script and instance count; a file naming an app the daemon
# does not know changes nothing; startOrRestart and startOrReload start what is missing and
# restart the rest.
source "$(dirname "$0")/lib.sh"

count_of() { jl --arg n "$1" '[.[] | select(.name == $n and .status == "online")] | length'; }
has_count() { [ "$(count_of "$1")" = "$2" ]; }

cd "$WORK"
source "$FIXTURES/web_app.sh"

write_file one 1000
"$CXPM" start app.yaml >/dev/null
wait_for 10 has_status web online

step "a new script and instance count apply too"
write_file four 1000 loop.sh 2
"$CXPM" restart app.yaml >/dev/null
wait_for 10 has_count web 2
[ "$(spec_of web .script)" = "\"$WORK/loop.sh\"" ] || fail "new script not applied"
wait_for 10 grep -q "loop.sh four" "$CXPM_HOME/logs/web-out-1.log"
write_file four 1000 loop.sh 1
"$CXPM" restart app.yaml >/dev/null
wait_for 10 has_count web 1
[ "$(jl '[.[] | select(.name == "web")] | length')" = 1 ] || fail "scaling down left instances"

step "restart <file> with an app the daemon does not know fails and changes nothing"
cat >>app.yaml <<'YAML'
  - name: api
    script: sleep
    args: ["1000"]
YAML
pid=$(pid_of web)
expect_fail "no app named api \(app.yaml\) is running.*nothing was changed.*startOrRestart" \
  "$CXPM" restart app.yaml
[ "$(pid_of web)" = "$pid" ] || fail "a failed restart restarted web"
[ "$(jl '[.[] | select(.name == "api")] | length')" = 0 ] || fail "restart started api"

step "startOrRestart starts what is missing and restarts the rest"
"$CXPM" startOrRestart app.yaml >/dev/null
wait_for 10 has_status api online
wait_for 10 pid_changed web "$pid"
pid=$(pid_of web)
api=$(pid_of api)
"$CXPM" startOrReload app.yaml >/dev/null
wait_for 10 pid_changed web "$pid"
wait_for 10 pid_changed api "$api"
expect_fail "'web' is not an ecosystem file.*startOrRestart and startOrReload take one" \
  "$CXPM" startOrRestart web
"$CXPM" --help | grep_all "startOrReload" || fail "startOrReload missing from help"

step "the daemon refuses a new spec for an app it does not have"
request='{"v":1,"id":1,"method":"restart","args":{"apps":[{"name":"ghost","script":"sleep"}]}}'
reply=$(python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.sendall(sys.argv[2].encode() + b"\n")
print(s.makefile().readline())' "$CXPM_HOME/cxpm.sock" "$request")
grep -q '"not_found"' <<<"$reply" || fail "restart with an unknown app's spec was not refused: $reply"
echo "ok"
