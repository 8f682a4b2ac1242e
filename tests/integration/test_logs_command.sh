# `cxpm logs`: exactly the last N lines, valid --json, live lines with no gap after the last
# ones; `cxpm flush`, `cxpm reloadLogs` and SIGUSR1.
source "$(dirname "$0")/lib.sh"

logs=$CXPM_HOME/logs
talk=$FIXTURES/logs_talk.py
# Reads "tick N" lines on stdin; succeeds when N goes up by exactly one from line to line.
consecutive() { awk '$1 != "tick" || (NR > 1 && $2 != last + 1) { exit 1 } { last = $2 }'; }

cat >"$WORK/apps.yaml" <<EOF
apps:
  - name: counter
    script: $talk
    args: [count, "100"]
  - name: jsonic
    script: $talk
    args: [count, "5"]
    log_type: json
  - name: ticker
    script: $talk
    args: [forever]
EOF
"$CXPM" start "$WORK/apps.yaml" >/dev/null
wait_for 10 lines_in "$logs/counter-out.log" 100
wait_for 10 lines_in "$logs/jsonic-out.log" 5

step "--lines N --nostream prints exactly the last N lines"
"$CXPM" logs counter --lines 7 --nostream --raw --out >"$WORK/raw.txt"
seq -f "line %.0f" 94 100 | cmp - "$WORK/raw.txt" || fail "not the last 7 lines: $(cat "$WORK/raw.txt")"
"$CXPM" logs counter --lines 3 --nostream >"$WORK/plain.txt"
[ "$(grep -c '^counter:0 out | line' "$WORK/plain.txt")" = 3 ] ||
  fail "expected 3 prefixed lines: $(cat "$WORK/plain.txt")"
grep -qx "==> $logs/counter-out.log <==" "$WORK/plain.txt" || fail "no file header"
grep -qx "==> $logs/counter-error.log <==" "$WORK/plain.txt" || fail "stderr file not shown"
! grep -q $'\e\[' "$WORK/plain.txt" || fail "colour codes in piped output"
id=$("$CXPM" jlist | jq '.[] | select(.name == "counter") | .id')
[ "$("$CXPM" logs "$id" --lines 1 --nostream --raw --out)" = "line 100" ] || fail "by id"
[ -z "$("$CXPM" logs counter --lines 5 --nostream --raw --err)" ] || fail "--err showed stdout"

step "--json prints one valid JSON object per line"
"$CXPM" logs counter --lines 4 --nostream --json --out >"$WORK/lines.json"
jq -e -s 'length == 4 and all(.[]; .app == "counter" and .instance == 0 and .stream == "out")
          and .[3].message == "line 100"' "$WORK/lines.json" >/dev/null ||
  fail "bad --json output: $(cat "$WORK/lines.json")"
"$CXPM" logs jsonic --lines 5 --nostream --json --out >"$WORK/jsonic.json"
jq -e -s 'length == 5 and all(.[]; .time | type == "string") and .[4].message == "line 5"' \
  "$WORK/jsonic.json" >/dev/null || fail "log_type json lines not read back: $(cat "$WORK/jsonic.json")"
[ "$("$CXPM" logs jsonic --lines 1 --nostream --raw --out)" = "line 5" ] ||
  fail "--raw of a JSON log is not the message"
expect_fail "no app named 'nope'" "$CXPM" logs nope --nostream

step "live: the last lines, then new ones as they come, none missed or repeated in between"
"$CXPM" logs ticker --lines 5 --raw --out >"$WORK/live.txt" 2>"$WORK/live.err" &
reader=$!
wait_for 10 lines_in "$WORK/live.txt" 60
kill "$reader"
wait "$reader" 2>/dev/null || true
consecutive <"$WORK/live.txt" || fail "a gap or repeat in the live lines: $(head -70 "$WORK/live.txt" | tr '\n' ' ')"

step "--timestamp prefixes live lines with their time; prefixes name app and instance"
"$CXPM" logs ticker --lines 0 --timestamp >"$WORK/stamped.txt" &
reader=$!
wait_for 10 lines_in "$WORK/stamped.txt" 3
kill "$reader"
wait "$reader" 2>/dev/null || true
grep -Eq "^$(date +%Y)-[0-9]{2}-[0-9]{2} [0-9:]{8} ticker:0 out \| tick [0-9]+$" "$WORK/stamped.txt" ||
  fail "no timestamp: $(head -2 "$WORK/stamped.txt")"

step "flush empties an app's files"
"$CXPM" flush counter | grep_all "emptied $logs/counter-out.log" || fail "flush did not report"
[ ! -s "$logs/counter-out.log" ] || fail "counter-out.log not empty after flush"
[ -s "$logs/jsonic-out.log" ] || fail "flush counter emptied another app's file"

step "reloadLogs and SIGUSR1 reopen files moved away, without losing a line"
mv "$logs/ticker-out.log" "$WORK/ticker.1"
"$CXPM" reloadLogs | grep_all "reopened" || fail "reloadLogs did not answer"
wait_for 5 lines_in "$logs/ticker-out.log" 3
mv "$logs/ticker-out.log" "$WORK/ticker.2"
kill -USR1 "$(cat "$CXPM_HOME/daemon.pid")"
wait_for 5 lines_in "$logs/ticker-out.log" 3
cat "$WORK/ticker.1" "$WORK/ticker.2" "$logs/ticker-out.log" | consecutive ||
  fail "a line was lost across reopening"
"$CXPM" ping >/dev/null || fail "the daemon did not survive SIGUSR1"
echo "ok"
