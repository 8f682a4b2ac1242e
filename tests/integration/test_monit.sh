# cxpm monit in a real terminal (tmux): both apps' rows and the help line, a restart from a key
# that the row's count shows, the selected app's log lines, a resize the layout follows, and
# q, Ctrl-C and the daemon's going away each leaving the terminal as it was (the alternate
# screen left, the cursor shown, the shell's earlier lines back).
# ctest-timeout: 180
source "$(dirname "$0")/lib.sh"
command -v tmux >/dev/null || fail "tmux is missing: scripts/install-deps.sh installs it"

# A tmux server of this test's own, killed however the test ends.
TMUX_SOCKET="$WORK/tmux.sock"
tm() { tmux -S "$TMUX_SOCKET" "$@"; }
# cleanup reads the test's status from $?, so the trap hands it on (under set +e: under set -e,
# (exit 1) would end the trap before cleanup ran).
trap 'status=$?; tm kill-server 2>/dev/null || true; set +e; (exit $status); cleanup' EXIT

cat >"$WORK/talker.sh" <<'SH'
#!/bin/bash
n=0
while :; do echo "beat $n"; n=$((n + 1)); sleep 0.2; done
SH
chmod +x "$WORK/talker.sh"
"$CXPM" start sleep --name alpha -- 1000 >/dev/null
"$CXPM" start "$WORK/talker.sh" --name beta >/dev/null
wait_for 10 has_status alpha online
wait_for 10 has_status beta online

PANE="$WORK/pane"
# The visible screen, one line per row (empty rows too, so row numbers are rows).
capture() { tm capture-pane -p -t monit >"$PANE"; }
pane_has() { capture && grep -qE -- "$1" "$PANE"; }
pane_lacks() { capture && ! grep -qE -- "$1" "$PANE"; }
pane_format() { tm display-message -p -t monit "$1"; }
# The restart count in the table's row of app $1 (fields: [>] id name status restarts ...).
restarts_shown() {
  capture
  awk -v name="$1" '{ i = ($1 == ">") ? 2 : 1; if ($i ~ /^[0-9]+$/ && $(i + 1) == name) print $(i + 3) }' "$PANE"
}
shows_restarts() { [ "$(restarts_shown "$1")" = "$2" ]; }
# Row number (from 1) of the first line matching $1, and the columns the line of $2 takes.
row_of() { capture && grep -nE -- "$1" "$PANE" | head -n1 | cut -d: -f1; }
columns_of() { capture && grep -E -- "$1" "$PANE" | head -n1 | LC_ALL=C.UTF-8 wc -m; }
layout_is() {  # WIDTH HEIGHT: the help line on the last row, the log title across the width
  [ "$(row_of 'q quit')" = "$2" ] && [ "$(columns_of '^── logs of')" = $(($1 + 1)) ]
}
monit_running() { [ "$(pane_format '#{pane_current_command}')" = "$(basename "$CXPM")" ]; }
shell_back() { [ "$(pane_format '#{pane_current_command}')" = bash ]; }
terminal_restored() {
  [ "$(pane_format '#{alternate_on}')" = 0 ] && [ "$(pane_format '#{cursor_flag}')" = 1 ]
}

tm new-session -d -s monit -x 100 -y 30 -e LANG=C.UTF-8 -e PS1='shell$ ' bash --norc --noprofile
tm send-keys -t monit 'echo before-monit' Enter
wait_for 10 pane_has '^before-monit$'

step "monit shows both apps, the help line and the selected app's logs"
tm send-keys -t monit "$CXPM monit" Enter
wait_for 20 pane_has 'r restart +l reload +s stop'
wait_for 10 pane_has '^> 0 +alpha +online'
pane_has '^ +1 +beta +online' || fail "no row for beta: $(cat "$PANE")"
[ "$(pane_format '#{alternate_on}')" = 1 ] || fail "monit is not on the alternate screen"
pane_lacks '^before-monit$' || fail "the shell's lines show under monit"
layout_is 100 30 || fail "not laid out for 100x30: $(cat "$PANE")"

step "Down selects beta, whose log lines follow"
tm send-keys -t monit Down
wait_for 10 pane_has '^> 1 +beta +online'
wait_for 10 pane_has '^── logs of beta \(id 1\)'
wait_for 10 pane_has '^out \| beat [0-9]+$'

step "r restarts the selected app: its row counts the restart"
shows_restarts beta 0 || fail "beta's restarts before: $(restarts_shown beta)"
tm send-keys -t monit r
wait_for 20 shows_restarts beta 1
wait_for 10 pane_has 'restarted beta \(id 1\)'
[ "$(restarts_of beta)" = 1 ] || fail "the daemon counts $(restarts_of beta) restarts of beta"
[ "$(restarts_of alpha)" = 0 ] || fail "alpha was restarted too"
shows_restarts alpha 0 || fail "alpha's row shows $(restarts_shown alpha) restarts"

step "s asks before it stops; another key keeps the app running"
tm send-keys -t monit s
wait_for 10 pane_has 'stop beta \(id 1\)\? y stops it'
tm send-keys -t monit n
wait_for 10 pane_has 'kept beta \(id 1\) running'
[ "$(status_of beta)" = online ] || fail "beta stopped without a y"

step "a resize: the layout follows the new size"
tm resize-window -t monit -x 140 -y 40
wait_for 10 layout_is 140 40
tm resize-window -t monit -x 80 -y 24
wait_for 10 layout_is 80 24
pane_has '^> 1 +beta' || fail "the selection was lost in the resize"

step "q leaves the terminal as it was"
tm send-keys -t monit q
wait_for 10 shell_back
wait_for 10 terminal_restored
wait_for 10 pane_has '^before-monit$'
pane_lacks 'q quit' || fail "monit's screen is still shown: $(cat "$PANE")"
tm send-keys -t monit 'echo "monit exited $?"' Enter
wait_for 10 pane_has '^monit exited 0$'

step "Ctrl-C leaves it as q does"
tm send-keys -t monit clear Enter 'echo before-ctrl-c' Enter "$CXPM monit" Enter
wait_for 20 pane_has 'q quit'
tm send-keys -t monit C-c
wait_for 10 shell_back
wait_for 10 terminal_restored
wait_for 10 pane_has '^before-ctrl-c$'
tm send-keys -t monit 'echo "monit exited $?"' Enter
wait_for 10 pane_has '^monit exited 0$'

step "the daemon going away: the terminal given back, and a sentence that says so"
tm send-keys -t monit clear Enter "$CXPM monit" Enter
wait_for 20 pane_has 'q quit'
wait_for 10 monit_running
"$CXPM" kill >/dev/null
wait_for 10 shell_back
wait_for 10 terminal_restored
wait_for 10 pane_has 'the daemon went away; monit stopped'
tm send-keys -t monit 'echo "monit exited $?"' Enter
wait_for 10 pane_has '^monit exited 1$'
echo "ok"
