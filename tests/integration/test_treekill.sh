# Stop kills the app's whole tree: its process group and children that left it (setsid).
source "$(dirname "$0")/lib.sh"

pids="$WORK/children"
"$CXPM" start "$FIXTURES/forker.sh" --name tree -- "$pids" >/dev/null
wait_for 5 test -s "$pids.ready"
mapfile -t children <"$pids"
[ "${#children[@]}" = 2 ] || fail "expected 2 children, got ${#children[@]}"
for child in "${children[@]}"; do alive "$child" || fail "child $child not running"; done

step "stop: no child survives"
"$CXPM" stop tree >/dev/null
for child in "${children[@]}"; do wait_for 3 dead "$child"; done

step "a crashed leader's leftover children are killed before the restart"
: >"$pids"
rm -f "$pids.ready"
"$CXPM" restart tree >/dev/null
wait_for 5 test -s "$pids.ready"
mapfile -t children <"$pids"
leader=$(pid_of tree)
kill -9 "$leader"
wait_for 5 pid_changed tree "$leader"
wait_for 3 dead "${children[0]}"
echo "ok"
