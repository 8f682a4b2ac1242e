# Slow consumers: a `logs` reader that stops reading is cut off without stalling the app or
# other commands; a log file slower than the app blocks the app (nothing dropped) while the
# daemon keeps answering.
source "$(dirname "$0")/lib.sh"

logs=$CXPM_HOME/logs
dots=........................................ # the 40 dots of each logs_burst.sh line
# The line number in the last line of burst log $1.
# (The line before the last: the last may be half-written.)
last_number() { tail -n2 "$1" | head -1 | cut -d' ' -f2 | tr -d n; }
slow_lines_at_least() { [ "$(wc -l <"$WORK/slow.txt")" -ge "$1" ]; }
# flood_past N: the flood app has written line N to its log.
flood_past() { [ "$(last_number "$logs/flood-out.log")" -gt "$1" ]; }
# blocked_in_pipe_write PID: PID sleeps in a write to a full pipe (the kernel names the wait).
blocked_in_pipe_write() {
  [[ $(cat "/proc/$1/wchan" 2>/dev/null) == *pipe_write* ]]
}
# Runs a command and fails unless it answers within $1 seconds.
answers_within() {
  local seconds=$1
  shift
  timeout "$seconds" "$@" >/dev/null || fail "no answer within ${seconds}s from: $*"
}

mkfifo "$WORK/slow.fifo"
cat >"$WORK/apps.yaml" <<EOF
apps:
  - name: flood
    script: $FIXTURES/logs_burst.sh
    args: ["1000000000"]
    max_size: 4M
    retain: 1
  - name: blocked
    script: $FIXTURES/logs_burst.sh
    args: ["200000"]
    out_file: $WORK/slow.fifo
    autorestart: false
EOF
"$CXPM" start "$WORK/apps.yaml" >/dev/null

step "a reader that stops reading is cut off; the app and other commands go on"
"$CXPM" logs flood --lines 1 --raw >"$WORK/reader.out" 2>"$WORK/reader.err" &
reader=$!
wait_for 10 test -s "$WORK/reader.out" # it follows: the last line came first
kill -STOP "$reader"
flood=$(pid_of flood)
before=$(last_number "$logs/flood-out.log")
# The app goes on: 100,000 more lines reach its file while the reader is stopped.
wait_for 30 flood_past $((before + 100000))
answers_within 2 "$CXPM" ls
kill -CONT "$reader"
wait_for 20 dead "$reader"
wait "$reader" && fail "a reader that was cut off exited 0"
grep -q "cut off" "$WORK/reader.err" || fail "the reader was not told: $(cat "$WORK/reader.err")"
[ "$(pid_of flood)" = "$flood" ] && [ "$(status_of flood)" = online ] || fail "flood was disturbed"
"$CXPM" stop flood >/dev/null

step "a log file slower than the app blocks the app, drops nothing, and the daemon answers"
# Nobody reads the fifo, so the app ends up waiting in a write to its full stdout pipe.
blocked=$(pid_of blocked)
wait_for 20 blocked_in_pipe_write "$blocked"
[ "$(status_of blocked)" = online ] || fail "blocked finished with nobody reading its log"
answers_within 2 "$CXPM" ls
answers_within 2 "$CXPM" logs flood --lines 3 --nostream
cat "$WORK/slow.fifo" >"$WORK/slow.txt" &
wait_for 30 has_status blocked stopped
wait_for 10 slow_lines_at_least 200000
result=$(awk -v dots="$dots" '$3 != dots || $2 != "n" NR { bad++ } END { print NR, bad + 0 }' \
  "$WORK/slow.txt")
[ "$result" = "200000 0" ] || fail "expected '200000 0' (lines, bad or out of order), got '$result'"
echo "ok"
