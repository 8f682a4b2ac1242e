# ctest-timeout: 120
# The daemon under a service manager (the unit `cxpm startup` writes): `cxpm daemon
# --resurrect` sends READY=1 to $NOTIFY_SOCKET once it answers and the saved apps are
# started, STOPPING=1 on SIGTERM, which stops the apps gracefully; apps never get the service
# manager's socket; a daemon a CLI started ignores a NOTIFY_SOCKET it inherited.
source "$(dirname "$0")/lib.sh"

cat >"$WORK/listen.py" <<'PY'
import os, socket, sys
address, out = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("\0" + address[1:] if address.startswith("@") else address)
open(out + ".ready", "w").close()
while True:
    data = s.recv(65536).decode()
    with open(out, "a") as f:
        f.write(data.replace("\n", " ") + "\n")
PY
listener=""
stop_listener() { [ -z "$listener" ] || kill "$listener" 2>/dev/null || true; }
trap 'rc=$?; set +e; stop_listener; (exit $rc); cleanup; exit $rc' EXIT

# run_under_manager ADDRESS: the daemon as systemd runs it, told to notify ADDRESS.
run_under_manager() {
  local address=$1 messages="$WORK/messages"
  rm -f "$messages" "$messages.ready"
  python3 "$WORK/listen.py" "$address" "$messages" &
  listener=$!
  wait_for 10 test -e "$messages.ready"
  NOTIFY_SOCKET="$address" "$CXPM" daemon --resurrect >>"$WORK/daemon.out" 2>&1 &
  daemon=$!
  wait_for 20 grep -q "READY=1" "$messages"
  # The saved apps were started before READY=1, not after.
  [ "$(jl '[.[] | select(.name == "saved")] | length')" = 2 ] || fail "READY=1 before the saved apps"
  grep -q "STATUS=1 of 1 saved app(s) started" "$messages" || fail "status: $(cat "$messages")"
  [ "$(cat "$CXPM_HOME/keeper.pid")" = "$daemon" ] || fail "the keeper is not the process systemd started"
  local app
  app=$(pid_of saved)
  tr '\0' '\n' <"/proc/$app/environ" | grep_all -x "NOTIFY_SOCKET=$address" &&
    fail "an app was given the service manager's socket"
  kill -TERM "$daemon"
  wait_for 20 grep -q "STOPPING=1" "$messages"
  wait "$daemon" || fail "the daemon exited with $? on SIGTERM"
  dead "$app" || fail "SIGTERM left app $app running"
  stop_listener
  listener=""
}

step "a saved list to bring back"
"$CXPM" start sleep --name saved -i 2 -- 1000 >/dev/null
"$CXPM" save >/dev/null
"$CXPM" kill >/dev/null

step "abstract NOTIFY_SOCKET: READY=1 after resurrect, STOPPING=1 on SIGTERM"
run_under_manager "@cxpm-test-notify-$$"

step "a NOTIFY_SOCKET path works the same"
run_under_manager "$WORK/notify.sock"

step "a daemon a CLI starts does not notify in the name of the caller's service"
python3 "$WORK/listen.py" "@cxpm-test-inherited-$$" "$WORK/inherited" &
listener=$!
wait_for 10 test -e "$WORK/inherited.ready"
NOTIFY_SOCKET="@cxpm-test-inherited-$$" "$CXPM" ping >/dev/null
"$CXPM" kill >/dev/null
[ ! -s "$WORK/inherited" ] || fail "a CLI-started daemon notified: $(cat "$WORK/inherited")"
echo ok
