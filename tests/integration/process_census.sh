# Shared by the concurrency tests: does what the daemon lists match what runs? Source after
# lib.sh.

daemon_pid() { cat "$CXPM_HOME/daemon.pid"; }

# "PID NAME" of every process jlist shows running, sorted as app_processes.py sorts.
listed_processes() { jl '.[] | select(.pid > 0) | "\(.pid) \(.name)"' | sort -n; }
running_processes() { python3 "$FIXTURES/app_processes.py" "$(daemon_pid)"; }
# The daemon's children: each app's leader, and anything that left an app's tree (the daemon
# is the subreaper) and so would be untracked. An app's own children (a script's `sleep`)
# are below its leader and not listed, so they are not compared.
daemon_children() { python3 "$FIXTURES/app_processes.py" "$(daemon_pid)" --children; }

# Nothing is half-way: no instance stopping or launching.
settled() { [ -z "$(jl '.[] | select(.status == "stopping" or .status == "launching") | .id')" ]; }

listed_matches_running() { diff <(listed_processes) <(daemon_children) >/dev/null; }

# check_census: once settled, jlist and /proc agree exactly, and no (name, instance) twice.
check_census() {
  wait_for 20 settled
  if ! wait_for_quietly 10 listed_matches_running; then
    echo "listed:" >&2; listed_processes >&2
    echo "daemon's children:" >&2; daemon_children >&2
    fail "jlist does not match the processes below the daemon"
  fi
  local duplicates
  duplicates=$(jl '[.[] | "\(.name)[\(.instance)]"] | group_by(.) | map(select(length > 1) | .[0]) | join(" ")')
  [ -z "$duplicates" ] || fail "listed more than once: $duplicates"
}

wait_for_quietly() {
  local deadline=$((SECONDS + $1))
  shift
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.05
  done
}

# kill_and_check_nothing_left: `cxpm kill` ends the daemon and every process it ran.
kill_and_check_nothing_left() {
  local daemon pids
  daemon=$(daemon_pid)
  pids=$(running_processes | cut -d' ' -f1)
  timeout 30 "$CXPM" kill >/dev/null || fail "kill failed or hung"
  wait_for 10 dead "$daemon"
  for pid in $pids; do
    dead "$pid" || fail "process $pid ($(cat /proc/"$pid"/cmdline | tr '\0' ' ')) outlived kill"
  done
}
