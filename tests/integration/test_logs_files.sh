# Log files: pm2's names, whole lines kept intact, last words before a crash, time prefixes
# and JSON lines.
source "$(dirname "$0")/lib.sh"

logs=$CXPM_HOME/logs
talk=$FIXTURES/logs_talk.py

cat >"$WORK/apps.yaml" <<EOF
apps:
  - name: solo
    script: $talk
    args: [count, "3"]
  - name: pair
    script: $talk
    args: [count, "3"]
    instances: 2
  - name: merged
    script: $talk
    args: [count, "3"]
    instances: 2
    merge_logs: true
    log_file: true
  - name: custom
    script: $talk
    args: [edge]
    out_file: $WORK/custom.log
    error_file: /dev/null
  - name: crasher
    script: $talk
    args: [crash]
    autorestart: false
  - name: timed
    script: $talk
    args: [count, "2"]
    time: true
  - name: dated
    script: $talk
    args: [count, "2"]
    log_date_format: "[at] YYYY"
  - name: jsonic
    script: $talk
    args: [edge]
    log_type: json
EOF
"$CXPM" start "$WORK/apps.yaml" >/dev/null

step "pm2's names: <name>-out.log, -<instance> per instance, one file with merge_logs"
wait_for 10 lines_in "$logs/solo-out.log" 3
[ -f "$logs/solo-error.log" ] || fail "no solo-error.log"
wait_for 10 lines_in "$logs/pair-out-1.log" 3
wait_for 10 lines_in "$logs/pair-out-0.log" 3
wait_for 10 lines_in "$logs/merged-out.log" 6
[ "$(grep -c '^line 1$' "$logs/merged-out.log")" = 2 ] || fail "merged file lacks an instance"
[ ! -e "$logs/merged-out-0.log" ] || fail "merge_logs still wrote per-instance files"

step "log_file: true is a combined file beside the others"
wait_for 10 lines_in "$logs/merged.log" 6

step "a 1 MiB line, non-UTF-8 bytes and a line written in pieces arrive intact"
python3 - "$WORK/expected.log" <<'EOF'
import sys
with open(sys.argv[1], "wb") as f:
    f.write(b"A" * (1 << 20) + b"\n" + b"bytes \xff\xfe\x80 end\n" + b"joined from pieces\n")
EOF
wait_for 10 lines_in "$WORK/custom.log" 3
cmp "$WORK/custom.log" "$WORK/expected.log" || fail "custom.log differs from what the app wrote"
! ls "$logs" | grep_all '^custom' || fail "/dev/null error_file still made a file: $(ls "$logs")"

step "the last line before kill -9, and a partial line, are in the file once the exit is seen"
wait_for 10 grep -q "last words" "$logs/crasher-out.log"
kill -9 "$(pid_of crasher)"
wait_for 10 has_status crasher stopped
grep -qx "partial without newline" "$logs/crasher-out.log" || fail "the partial last line was lost"

step "time: true prefixes pm2's timestamp; log_date_format takes moment tokens"
wait_for 10 lines_in "$logs/timed-out.log" 2
grep -Eqx '[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}: line 1' "$logs/timed-out.log" ||
  fail "no time prefix: $(head -1 "$logs/timed-out.log")"
wait_for 10 lines_in "$logs/dated-out.log" 2
grep -Eqx "at $(date +%Y): line 2" "$logs/dated-out.log" ||
  fail "log_date_format not applied: $(head -1 "$logs/dated-out.log")"

step "log_type: json writes one valid JSON object per line"
wait_for 10 lines_in "$logs/jsonic-out.log" 3
wait_for 10 lines_in "$logs/jsonic-error.log" 1
jq -e -s 'length == 3 and all(.[]; .app == "jsonic" and .instance == 0 and .stream == "out"
            and (.time | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T")) and (.message | type == "string"))' \
  "$logs/jsonic-out.log" >/dev/null || fail "bad JSON lines: $(cut -c1-200 "$logs/jsonic-out.log")"
jq -e -s '.[0].message | length == 1048576' "$logs/jsonic-out.log" >/dev/null ||
  fail "the 1 MiB message was cut"
jq -e -s '.[1].message == "bytes \ufffd\ufffd\ufffd end" and .[2].message == "joined from pieces"' \
  "$logs/jsonic-out.log" >/dev/null || fail "non-UTF-8 bytes not replaced, or pieces not joined"
jq -e '.stream == "err" and .message == "err line"' "$logs/jsonic-error.log" >/dev/null ||
  fail "stderr JSON line wrong: $(cat "$logs/jsonic-error.log")"

step "start flags set the same options: --log-date-format, --log-type, rotation and gzip"
"$CXPM" start "$talk" --name flagged --log-date-format "[at] YYYY" -- count 2 >/dev/null
wait_for 10 lines_in "$logs/flagged-out.log" 2
grep -Eqx "at $(date +%Y): line 2" "$logs/flagged-out.log" ||
  fail "--log-date-format not applied: $(cat "$logs/flagged-out.log")"
"$CXPM" start "$talk" --name flagjson --log-type json -- count 1 >/dev/null
wait_for 10 lines_in "$logs/flagjson-out.log" 1
jq -e '.app == "flagjson" and .message == "line 1"' "$logs/flagjson-out.log" >/dev/null ||
  fail "--log-type json not applied: $(cat "$logs/flagjson-out.log")"
"$CXPM" start "$talk" --name flagrot --max-size 16K --retain 100 --compress --time \
  -- count 5000 >/dev/null
wait_for 30 grep -q ": line 5000$" "$logs/flagrot-out.log"
wait_for 10 bash -c "ls '$logs'/flagrot-out__*.log.gz && ! ls '$logs'/flagrot-out__*.log" \
  || fail "--max-size/--compress: no gzipped rotation: $(ls "$logs")"
"$CXPM" describe flagrot --json | jq -e '.[0].spec | .max_size == 16384 and .retain == 100
  and .compress and .time' >/dev/null || fail "describe does not show the flags"
expect_fail "--max-size: expected a size" "$CXPM" start "$talk" --name bad --max-size lots
expect_fail "--log-type" "$CXPM" start "$talk" --name bad --log-type xml
expect_fail "--retain: must not be negative" "$CXPM" start "$talk" --name bad --retain -1
expect_fail "--cron-restart" "$CXPM" start "$talk" --name bad --cron-restart "61 * * * *"
[ "$(jl '[.[] | select(.name == "bad")] | length')" = 0 ] || fail "a refused start added an app"
echo "ok"
