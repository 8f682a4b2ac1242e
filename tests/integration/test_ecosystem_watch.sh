# watch: one edit gives one restart; edits in ignored paths (ignore_watch, dotfiles,
# node_modules, the app's own log) give none; a burst gives one; directories created later
# are watched; a watched file survives an editor's save-by-rename; a stopped app stays stopped.
source "$(dirname "$0")/lib.sh"

watch_events() {
  "$CXPM" describe "$1" --json | jq -r '.[0].events[].message | select(startswith("watch:"))'
}
last_watch_event() { watch_events "$1" | tail -n 1; }
has_restarts() { [ "$(restarts_of "$1")" = "$2" ]; }

app=$WORK/app
mkdir -p "$app/src" "$app/ignored" "$app/.git" "$app/node_modules/lib" "$app/logs"
printf '#!/usr/bin/env bash\necho "run.sh started"\nexec sleep 1000\n' >"$app/run.sh"
echo one >"$app/src/main.txt"
echo one >"$app/ignored/config.txt"
cat >"$app/eco.yaml" <<'YAML'
apps:
  - name: watched
    script: run.sh
    watch: true                         # the cwd, recursively
    ignore_watch: [ignored, "*.tmp", "logs/*.log"]
    watch_delay: 300
    out_file: out.log                   # inside the watched tree: must not restart it
  - name: one-file
    script: run.sh
    watch: [ignored/config.txt]         # one file (in a directory `watched` ignores)
  - name: witness                       # a slower watcher, as a clock for "nothing happened"
    script: sleep
    args: ["1000"]
    watch: [clock.txt]
    watch_delay: 1s
YAML
cd "$app"
"$CXPM" start eco.yaml >/dev/null
wait_for 10 has_status watched online
wait_for 10 has_status one-file online
wait_for 10 grep -q "run.sh started" out.log

step "one edit: one restart, and describe says which file"
echo two >>src/main.txt
wait_for 10 has_restarts watched 1
[ "$(last_watch_event watched)" = "watch: src/main.txt changed; restarting" ] ||
  fail "unexpected reason: $(last_watch_event watched)"

step "edits in ignored paths: none (the next restart names only the one real change)"
mkdir -p ignored/deep
echo x >ignored/a && echo x >ignored/deep/b && echo x >notes.tmp && echo x >.git/index
echo x >node_modules/lib/x.js && echo x >logs/app.log && echo x >.hidden && echo x >>out.log
echo x >marker.txt
wait_for 10 has_restarts watched 2
[ "$(last_watch_event watched)" = "watch: marker.txt changed; restarting" ] ||
  fail "an ignored path was seen: $(last_watch_event watched)"

step "a burst of changes: one restart"
for i in $(seq 40); do echo "$i" >"src/file$i.txt"; done
mkdir src/newdir && echo x >src/newdir/inner.txt && rm src/file1.txt
wait_for 10 has_restarts watched 3
burst='^watch: 4[0-9] files changed \(first: src/file1.txt\); restarting$'
last_watch_event watched | grep_all -E "$burst" ||
  fail "the burst was not gathered: $(last_watch_event watched)"
echo x >marker2.txt  # the next restart must be this one edit alone, and the fourth
wait_for 10 has_restarts watched 4
[ "$(last_watch_event watched)" = "watch: marker2.txt changed; restarting" ] ||
  fail "the burst restarted more than once: $(watch_events watched)"
[ "$(watch_events watched | wc -l)" = 4 ] || fail "extra restarts: $(watch_events watched)"

step "a directory created after start is watched"
echo x >src/newdir/later.txt
wait_for 10 has_restarts watched 5
[ "$(last_watch_event watched)" = "watch: src/newdir/later.txt changed; restarting" ] ||
  fail "unexpected reason: $(last_watch_event watched)"

step "a watched file: other files do not count; a save by rename does"
[ "$(restarts_of one-file)" = 0 ] || fail "one-file restarted for other files"
echo two >ignored/config.txt.new && mv ignored/config.txt.new ignored/config.txt
wait_for 10 has_restarts one-file 1
[ "$(last_watch_event one-file)" = "watch: config.txt changed; restarting" ] ||
  fail "unexpected reason: $(last_watch_event one-file)"

step "a change never starts an app someone stopped"
"$CXPM" stop watched >/dev/null
witness=$(restarts_of witness)
echo x >src/after-stop.txt && echo x >>clock.txt
wait_for 10 has_restarts witness $((witness + 1))  # its 1 s delay outlasts watched's 300 ms
[ "$(status_of watched)" = stopped ] || fail "a change started a stopped app"
[ "$(restarts_of watched)" = 5 ] || fail "a stopped app was restarted"

step "deleting the app stops watching (nothing left to restart, no error)"
"$CXPM" delete watched >/dev/null
witness=$(restarts_of witness)
echo x >src/after-delete.txt && echo x >>clock.txt
wait_for 10 has_restarts witness $((witness + 1))
[ "$(jl '[.[] | select(.name == "watched")] | length')" = 0 ] || fail "watched came back"
echo "ok"

step "start --watch watches the working directory, honouring --ignore-watch"
mkdir -p "$WORK/flagged/skip"
cd "$WORK/flagged"
"$CXPM" start sleep --name flagged --watch --ignore-watch skip --watch-delay 100 -- 1000 >/dev/null
wait_for 10 has_status flagged online
echo x >skip/ignored.txt
echo x >changed.txt
wait_for 10 has_restarts flagged 1
[ "$(last_watch_event flagged)" = "watch: changed.txt changed; restarting" ] ||
  fail "unexpected reason: $(last_watch_event flagged)"
echo "ok"
