# Concurrency stress: 10 clients run random start/stop/restart/reload/scale/delete/logs on a
# few apps (fork mode, a -i 2 cluster web server on a free port, one that ignores SIGINT, one
# that keeps crashing)
# for STRESS_SECONDS. Afterwards the daemon is the same process, every command answers, jlist
# matches the processes in /proc exactly, and kill leaves nothing running.
# ctest-timeout: 150
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/process_census.sh"

clients=${STRESS_CLIENTS:-10}
seconds=${STRESS_SECONDS:-15}
apps=(f c s w)
port=$(free_port)

# Every command of the clients: it must answer (timeout 60 is the hang detector), and never
# with a dropped connection; refusals (not_found, busy, conflict) are ordinary answers.
cx() {
  local status=0 out="$WORK/out.$BASHPID"
  timeout 60 "$CXPM" "$@" >"$out" 2>&1 || status=$?
  [ "$status" != 124 ] || echo "$* hung" >>"$WORK/problems"
  if grep -qE "closed the connection|ended without an answer" "$out"; then echo "$*: $(cat "$out")" >>"$WORK/problems"; fi
  [ "$status" = 0 ] || echo "$1: $(head -c 300 "$out" | head -n 1)" >>"$WORK/refusals"
  return "$status"
}

# Adds the app if the daemon does not have it.
create() {
  case $1 in
    f) cx start sleep --name f -- 1000 ;;
    c) cx start "$FIXTURES/graceful_server.js" --name c -i 2 --env PORT="$port" ;;
    s) cx start "$FIXTURES/stubborn.py" --name s --kill-timeout 300ms ;;
    w) cx start "$FIXTURES/crash_after.sh" --name w -- 2 1 ;;
  esac
}
start_app() { cx start "$1" || create "$1"; }

touch "$WORK/problems" "$WORK/results"
for app in "${apps[@]}"; do create "$app"; done
daemon=$(daemon_pid)

# One client: random operations until the deadline.
client() {
  local id=$1 deadline=$((SECONDS + seconds)) status verb app
  RANDOM=$((id * 7919))
  while [ "$SECONDS" -lt "$deadline" ]; do
    app=${apps[RANDOM % ${#apps[@]}]}
    status=0
    # Deletes are rarer than starts, so the apps exist most of the time.
    case $((RANDOM % 12)) in
      0 | 1) verb=start; start_app "$app" || status=$? ;;
      2) verb=stop; cx stop "$app" || status=$? ;;
      3 | 4) verb=restart; cx restart "$app" || status=$? ;;
      5 | 6) verb=reload; cx reload "$app" || status=$? ;;
      7 | 8) verb=scale; cx scale "$app" "$(((RANDOM % 3) + 1))" || status=$? ;;
      9) verb=delete; cx delete "$app" || status=$? ;;
      10) verb=logs; cx logs "$app" --lines 5 --nostream || status=$? ;;
      11) verb=jlist; cx jlist || status=$? ;;
    esac
    echo "$verb $status" >>"$WORK/results"
  done
}

step "$clients clients, $seconds s of random operations on ${apps[*]}"
pids=()
for id in $(seq "$clients"); do
  client "$id" &
  pids+=($!)
done
wait "${pids[@]}"
awk '{ n[$1]++; if ($2 == 0) ok[$1]++ } END { for (v in n) printf "  %-8s %4d run, %4d succeeded\n", v, n[v], ok[v] }' \
  "$WORK/results" | sort
echo "refusals, by kind:"
sed -E "s/[0-9]+/N/g" "$WORK/refusals" | sort | uniq -c | sort -rn | sed -n 1,8p || true
[ ! -s "$WORK/problems" ] || fail "$(cat "$WORK/problems")"

step "the daemon is the same process and answers every command"
alive "$daemon" || fail "the daemon died"
[ "$(daemon_pid)" = "$daemon" ] || fail "the daemon was replaced"
timeout 10 "$CXPM" ping >/dev/null || fail "ping did not answer"
timeout 10 "$CXPM" ls >/dev/null || fail "ls did not answer"
for app in "${apps[@]}"; do
  if has_instances "$app" 0; then continue; fi
  timeout 10 "$CXPM" describe "$app" >/dev/null || fail "describe $app did not answer"
done

step "jlist matches the processes below the daemon: no duplicate, no ghost, none untracked"
check_census

step "every app still works: restart all, then the census again"
for app in "${apps[@]}"; do start_app "$app" || true; done
timeout 60 "$CXPM" restart all >/dev/null || fail "restart all failed"
for app in f c s; do
  [ "$(status_of "$app" | tr , '\n' | sort -u)" = online ] || fail "$app: $(status_of "$app")"
done
wait_for 10 answers "http://127.0.0.1:$port/"
check_census

step "kill leaves nothing running"
kill_and_check_nothing_left
echo ok
