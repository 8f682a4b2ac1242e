# Large ecosystem files start in one command: the caller's environment goes once per request
# (not once per app), and a request over the daemon's limit is refused by name, not with
# "Broken pipe".
# ctest-timeout: 240
source "$(dirname "$0")/lib.sh"

count=2000
# A 2 KB caller environment that every app must get, shared rather than copied.
SHARED_BIG=$(head -c 2048 /dev/zero | tr '\0' 's')
export SHARED_BIG
# The first few apps run (their /proc/PID/environ is checked); the rest are registered only,
# which keeps the test quick on a small machine while the request is as large as for real.
python3 - "$count" >"$WORK/many.json" <<'PY'
import json, sys
count = int(sys.argv[1])
print(json.dumps({"apps": [
    {"name": f"many-{i}", "script": "/bin/sleep", "args": ["1000"], "interpreter": "none",
     "autostart": i < 3, "env": {"APP_INDEX": str(i)}} for i in range(count)]}))
PY

step "a file of $count apps with a 2 KB environment starts in one command"
"$CXPM" start "$WORK/many.json" >"$WORK/start.out" 2>"$WORK/start.err" ||
  fail "start failed: $(cat "$WORK/start.err")"
[ "$(jl 'length')" = "$count" ] || fail "expected $count apps listed, got $(jl 'length')"
[ "$(jl '[.[].name] | unique | length')" = "$count" ] || fail "app names are not all distinct"
[ "$(jl '[.[] | select(.status == "online")] | length')" = 3 ] || fail "the 3 autostart apps are not online"

step "each running app has its own variable and the shared ones"
for i in 0 2; do
  pid=$(pid_of "many-$i")
  tr '\0' '\n' <"/proc/$pid/environ" >"$WORK/environ-$i"
  grep -qx "APP_INDEX=$i" "$WORK/environ-$i" || fail "many-$i lacks APP_INDEX=$i"
  grep -qx "SHARED_BIG=$SHARED_BIG" "$WORK/environ-$i" || fail "many-$i lacks the shared SHARED_BIG"
  grep -qx "PATH=$PATH" "$WORK/environ-$i" || fail "many-$i lacks the caller's PATH"
done

step "an app that never ran has the same environment in its spec"
"$CXPM" describe many-1999 --json >"$WORK/describe.json"
jq -e --arg big "$SHARED_BIG" --arg path "$PATH" '.[0].spec.env |
  .APP_INDEX == "1999" and .SHARED_BIG == $big and .PATH == $path' "$WORK/describe.json" \
  >/dev/null || fail "many-1999's spec env is wrong: $(jq -c '.[0].spec.env | keys' "$WORK/describe.json")"

step "a request over the daemon's limit names the limit, and nothing is started"
# YAML aliases make a 1 MiB file into a 66 MiB request: 66 apps with the same 1 MiB variable.
python3 - >"$WORK/huge.yaml" <<'PY'
big = "x" * (1 << 20)
print('apps:\n  - {name: huge-0, script: /bin/sleep, args: ["1000"], env: &big {BIG: "%s"}}' % big)
for i in range(1, 66):
    print('  - {name: huge-%d, script: /bin/sleep, args: ["1000"], env: *big}' % i)
PY
if "$CXPM" start "$WORK/huge.yaml" >"$WORK/huge.out" 2>"$WORK/huge.err"; then
  fail "an oversized start succeeded"
fi
grep -q "over the daemon's limit of 64 MiB" "$WORK/huge.err" || fail "the limit is not named: $(cat "$WORK/huge.err")"
grep -q "Broken pipe" "$WORK/huge.err" && fail "still a bare Broken pipe: $(cat "$WORK/huge.err")"
[ "$(jl '[.[] | select(.name | startswith("huge-"))] | length')" = 0 ] || fail "some huge-* app was started"
[ "$(jl 'length')" = "$count" ] || fail "the process table changed"

step "a daemon that refuses a request mid-write: its reason is reported, not Broken pipe"
fake_home=$(mktemp -d /tmp/cxpm-fake.XXXXXX)
python3 "$FIXTURES/refusing_daemon.py" "$fake_home/cxpm.sock" "$fake_home/ready" &
fake=$!
wait_for 10 test -e "$fake_home/ready"
python3 -c 'import json; print(json.dumps({"apps": [{"name": "one", "script": "/bin/sleep",
  "args": ["1"], "env": {"BIG": "y" * (2 << 20)}}]}))' >"$WORK/two-mib.json"
if CXPM_HOME=$fake_home timeout 30 "$CXPM" start "$WORK/two-mib.json" >/dev/null 2>"$WORK/refused.err"; then
  fail "the refused start succeeded"
fi
wait "$fake" || fail "the stand-in daemon failed"
rm -rf "$fake_home"
grep -q "refused the start request" "$WORK/refused.err" || fail "no refusal reported: $(cat "$WORK/refused.err")"
grep -q "larger than 65536 bytes" "$WORK/refused.err" || fail "the daemon's reason is lost: $(cat "$WORK/refused.err")"
grep -q "Broken pipe" "$WORK/refused.err" && fail "a bare Broken pipe: $(cat "$WORK/refused.err")"

step "kill stops the running apps"
pids=$(jl '[.[] | select(.status == "online") | .pid] | join(" ")')
"$CXPM" kill >/dev/null
for pid in $pids; do
  [ ! -e "/proc/$pid" ] || fail "pid $pid survived kill"
done
