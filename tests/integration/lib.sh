# Shared by the integration tests: a private CXPM_HOME per test, cleaned up however the
# test ends, and helpers that wait for events with a deadline instead of sleeping blindly.
set -euo pipefail

: "${CXPM:?set CXPM to the cxpm binary}"
: "${CXPM_SOURCE_DIR:?set CXPM_SOURCE_DIR to the source tree}"
FIXTURES="$CXPM_SOURCE_DIR/tests/integration/fixtures"

# grep that reads its whole input, for the end of a pipeline: `grep -q` exits at the first
# match, and the writer's SIGPIPE then fails the pipeline under pipefail (a slow writer, as
# under ASan, loses that race).
grep_all() { grep "$@" >/dev/null; }

CXPM_HOME=$(mktemp -d /tmp/cxpm-test.XXXXXX)
export CXPM_HOME
WORK=$(mktemp -d /tmp/cxpm-work.XXXXXX)

cleanup() {
  local status=$?
  if [ -f "$CXPM_HOME/daemon.pid" ]; then
    timeout 10 "$CXPM" kill >/dev/null 2>&1 || true
    local pid
    # The keeper first (while it holds keeper.pid's lock): it would start a new daemon in
    # place of the one killed below.
    if [ -f "$CXPM_HOME/keeper.pid" ] && ! flock -n "$CXPM_HOME/keeper.pid" true; then
      pid=$(cat "$CXPM_HOME/keeper.pid" 2>/dev/null || true)
      [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null || true
    fi
    pid=$(cat "$CXPM_HOME/daemon.pid" 2>/dev/null || true)
    [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null || true
  fi
  if [ "$status" -ne 0 ] && [ -f "$CXPM_HOME/daemon.log" ]; then
    echo "--- daemon.log ---" >&2
    # A sanitizer's report is the whole story, however long; otherwise the last lines.
    if grep -qE "ERROR: [A-Za-z]+Sanitizer|runtime error:" "$CXPM_HOME/daemon.log"; then
      sed -nE '/ERROR: [A-Za-z]+Sanitizer|runtime error:/,$p' "$CXPM_HOME/daemon.log" | head -n 200 >&2
    else
      tail -n 40 "$CXPM_HOME/daemon.log" >&2
    fi
  fi
  rm -rf "$CXPM_HOME" "$WORK"
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

step() { echo "--- $*"; }

# wait_for SECONDS COMMAND...: runs COMMAND until it succeeds; fails the test at the deadline.
wait_for() {
  local seconds=$1
  shift
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || fail "timed out after ${seconds}s waiting for: $*"
    sleep 0.02
  done
}

# jq over `cxpm ls --json` (cxpm's own fields; jlist adds pm2's, and with them each process's
# settings and environment, which costs more with thousands of apps).
jl() { "$CXPM" ls --json | jq -r "$@"; }
# jq over `cxpm jlist`, pm2's fields included.
pjl() { "$CXPM" jlist | jq -r "$@"; }

status_of() { jl --arg n "$1" '[.[] | select(.name == $n) | .status] | join(",")'; }
pid_of() { jl --arg n "$1" '[.[] | select(.name == $n) | .pid] | first'; }
restarts_of() { jl --arg n "$1" '[.[] | select(.name == $n) | .restarts] | first'; }

has_status() { [ "$(status_of "$1")" = "$2" ]; }
# has_instances NAME N: the app has N processes listed (any status).
has_instances() { [ "$(jl --arg n "$1" '[.[] | select(.name == $n)] | length')" = "$2" ]; }
pid_changed() { local now; now=$(pid_of "$1"); [ "$now" != "$2" ] && [ "$now" != 0 ]; }
alive() { kill -0 "$1" 2>/dev/null; }
# env_of PID NAME: the value of NAME in the environment PID started with.
env_of() { tr '\0' '\n' <"/proc/$1/environ" | sed -n "s/^$2=//p"; }
# lines_in FILE N: FILE exists and has at least N lines.
lines_in() { [ -f "$1" ] && [ "$(wc -l <"$1")" -ge "$2" ]; }
# dead PID: no such process, or a zombie (exited, not yet reaped). One look, not two: a zombie
# reaped between a `kill -0` and a `ps` would read as a live process.
dead() { local state; state=$(ps -o stat= -p "$1" 2>/dev/null) || return 0; [[ ${state// /} == Z* ]]; }

# awaiting_reply PID: the cxpm command PID has sent its request and sleeps in a read of the
# daemon's reply on the control socket (the kernel names the wait).
awaiting_reply() { [[ $(cat "/proc/$1/wchan" 2>/dev/null) == unix_stream_* ]]; }

# expect_fail PATTERN COMMAND...: COMMAND must fail and say PATTERN on stderr or stdout.
expect_fail() {
  local pattern=$1
  shift
  local output
  if output=$("$@" 2>&1); then fail "expected failure from: $* (got: $output)"; fi
  grep -qE -- "$pattern" <<<"$output" || fail "expected /$pattern/ from: $* (got: $output)"
}

# A TCP port nobody listens on right now.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# The distinct "hello from pid N" bodies of COUNT requests to URL.
worker_pids_answering() {
  local url=$1 count=$2
  for _ in $(seq "$count"); do curl -s -m 2 "$url" || true; echo; done |
    sed -n 's/^hello from pid \([0-9]*\).*/\1/p' | sort -u
}

answers() { curl -sf -m 2 "$1" >/dev/null; }

# serves_pid URL PID: among a few requests, one is answered by PID.
serves_pid() { worker_pids_answering "$1" 10 | grep_all -x "$2"; }

# start_load NAME URL: 4 clients of fixtures/load.js, a new connection per request, until
# stop_load NAME; their counts land in $WORK/NAME.json (LATENCY_FILE passes through).
start_load() {
  node "$FIXTURES/load.js" "$2" 4 "$WORK/$1.stop" 120000 >"$WORK/$1.json" &
  LOAD_PID=$!
  wait_for 10 test -e "$WORK/$1.stop.started"
}
stop_load() { touch "$WORK/$1.stop" && wait "$LOAD_PID"; }
# load_failed_none NAME: the load began before what it watched and ended after: some
# requests were served, and none failed.
load_failed_none() { jq -e '.failed == 0 and .ok > 10' "$WORK/$1.json" >/dev/null; }
