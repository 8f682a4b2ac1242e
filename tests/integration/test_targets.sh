# Targets as pm2 reads them: a script path (index.js, ./index.js, an absolute path) is every
# app running that file; a namespace is its apps; a name wins over a namespace of that name.
source "$(dirname "$0")/lib.sh"

mkdir -p "$WORK/site" "$WORK/elsewhere"
cp "$FIXTURES/hello.js" "$WORK/site/index.js"
cp "$FIXTURES/hello.js" "$WORK/site/worker.js"
cd "$WORK/site"

step "the tutorial's index.js: start, stop and restart by the script's path"
"$CXPM" start index.js -i 2 >/dev/null
wait_for 10 has_status index "online,online"
"$CXPM" stop index.js >/dev/null
[ "$(status_of index)" = "stopped,stopped" ] || fail "stop index.js left: $(status_of index)"
"$CXPM" restart ./index.js >/dev/null
wait_for 10 has_status index "online,online"
"$CXPM" stop "$WORK/site/./index.js" >/dev/null
[ "$(status_of index)" = "stopped,stopped" ] || fail "stop by absolute path left: $(status_of index)"
"$CXPM" start index >/dev/null
wait_for 10 has_status index "online,online"

step "a path names only the apps running that file"
"$CXPM" start worker.js >/dev/null
"$CXPM" start index.js --name second >/dev/null
wait_for 10 has_status second online
"$CXPM" stop index.js >/dev/null
[ "$(status_of index)" = "stopped,stopped" ] || fail "index: $(status_of index)"
[ "$(status_of second)" = "stopped" ] || fail "second runs index.js too: $(status_of second)"
[ "$(status_of worker)" = "online" ] || fail "worker.js was stopped by 'stop index.js'"
"$CXPM" describe ./worker.js | grep_all "worker" || fail "describe by path"
[ "$("$CXPM" pid worker.js)" = "$(pid_of worker)" ] || fail "pid by path"

step "a path from another directory is another file"
cd "$WORK/elsewhere"
expect_fail "no app named '$WORK/elsewhere/index.js' or running it; known apps: index" \
  "$CXPM" restart ./index.js
cd "$WORK/site"

step "a namespace is a target; jlist and ls show it"
"$CXPM" delete all >/dev/null
"$CXPM" start index.js --namespace shop >/dev/null
"$CXPM" start worker.js --namespace shop >/dev/null
"$CXPM" start sleep --name outsider -- 1000 >/dev/null
wait_for 10 has_status worker online
[ "$(jl '[.[] | select(.name == "index") | .namespace] | first')" = shop ] || fail "jlist namespace"
[ "$(pjl '[.[] | select(.name == "outsider") | .pm2_env.namespace] | first')" = default ] ||
  fail "the default namespace is pm2's 'default'"
NO_COLOR=1 "$CXPM" ls | grep_all -E "│ index +│ shop +│" || fail "ls lacks the namespace column"
"$CXPM" stop shop >/dev/null
[ "$(status_of index),$(status_of worker)" = "stopped,stopped" ] || fail "stop shop"
[ "$(status_of outsider)" = online ] || fail "stop shop stopped an app of another namespace"
"$CXPM" restart shop >/dev/null
wait_for 10 has_status worker online
[ "$(status_of index)" = online ] || fail "restart shop"

step "a name wins over a namespace of the same name (pm2's order)"
"$CXPM" start sleep --name shop -- 1000 >/dev/null
wait_for 10 has_status shop online
"$CXPM" stop shop >/dev/null
[ "$(status_of shop)" = stopped ] || fail "the app named shop"
[ "$(status_of index),$(status_of worker)" = "online,online" ] ||
  fail "the namespace shop was stopped although an app has that name"

step "namespace in an ecosystem file; an unknown target lists the namespaces"
cat >"$WORK/ns.yaml" <<YAML
apps:
  - name: ns-one
    script: sleep
    args: ["1000"]
    namespace: batch
YAML
"$CXPM" start "$WORK/ns.yaml" >/dev/null
[ "$(jl '[.[] | select(.name == "ns-one") | .namespace] | first')" = batch ] || fail "file namespace"
"$CXPM" describe ns-one | grep_all "namespace.*batch" || fail "describe shows the namespace"
expect_fail "no app named 'batchx'; known apps: .*; namespaces: batch, shop" "$CXPM" stop batchx
"$CXPM" delete batch >/dev/null
has_instances ns-one 0 || fail "delete batch"
echo "ok"
