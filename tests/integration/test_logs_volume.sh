# Volume and rotation: a million lines from two instances, none lost, each instance's in
# order; rotation by size keeps `retain` files and loses no line at the cut.
source "$(dirname "$0")/lib.sh"

logs=$CXPM_HOME/logs
dots=........................................ # the 40 dots of each logs_burst.sh line

# The rotations of log $1 oldest first (by time, then sequence: x__T.log, x__T_2.log, ...).
rotations() {
  local base=${1%.log} file
  for file in "$base"__*.log*; do [ -e "$file" ] && echo "$file"; done |
    sed -E 's/^(.*__([0-9_-]{19})(_([0-9]+))?\.log(\.gz)?)$/\2 \4 \1/' |
    sort -t' ' -k1,1 -k2,2n | cut -d' ' -f3-
}
# The files of log $1 oldest first: its rotations, then itself.
in_order() {
  rotations "$1"
  echo "$1"
}

# Reads burst lines on stdin; prints "lines malformed out-of-order last0 last1".
check_burst() {
  awk -v dots="$dots" '
    $3 != dots || NF != 3 || $1 !~ /^i[01]$/ || $2 !~ /^n[0-9]+$/ { malformed++; next }
    { i = substr($1, 2); n = substr($2, 2) + 0; if (n != last[i] + 1) disorder++; last[i] = n; count++ }
    END { print count + 0, malformed + 0, disorder + 0, last[0] + 0, last[1] + 0 }'
}

cat >"$WORK/apps.yaml" <<EOF
apps:
  - name: burst
    script: $FIXTURES/logs_burst.sh
    args: ["500000"]
    instances: 2
    merge_logs: true
    autorestart: false
    retain: 100
  - name: kept
    script: $FIXTURES/logs_talk.py
    args: [count, "30000"]
    max_size: 64K
    retain: 100
  - name: pruned
    script: $FIXTURES/logs_talk.py
    args: [count, "30000"]
    max_size: 64K
    retain: 3
EOF

step "1,000,000 lines from 2 instances into one file: all there, each instance's in order"
started=$SECONDS
"$CXPM" start "$WORK/apps.yaml" >/dev/null
wait_for 60 has_status burst "stopped,stopped"
echo "    burst written in $((SECONDS - started)) s"
result=$(in_order "$logs/burst-out.log" | xargs cat | check_burst)
[ "$result" = "1000000 0 0 500000 500000" ] ||
  fail "expected '1000000 0 0 500000 500000' (lines malformed disorder last0 last1), got '$result'"

step "the burst rotated at the default 10M: whole lines, no file over max_size"
rotated=$(ls "$logs"/burst-out__*.log | wc -l)
[ "$rotated" -ge 4 ] || fail "expected at least 4 rotations of ~51 MB at 10M, got $rotated"
for file in "$logs"/burst-out__*.log; do
  [ "$(stat -c %s "$file")" -le 10485760 ] || fail "$file is over max_size"
  [ "$(tail -c1 "$file" | od -An -c | tr -d ' ')" = '\n' ] || fail "$file ends mid-line"
  grep -Eq '/burst-out__[0-9]{4}-[0-9]{2}-[0-9]{2}_[0-9]{2}-[0-9]{2}-[0-9]{2}(_[0-9]+)?\.log$' \
    <<<"$file" || fail "unexpected rotated name $file"
done

step "rotation at 64K loses no line across the cuts"
wait_for 30 grep -qx "line 30000" "$logs/kept-out.log"
in_order "$logs/kept-out.log" | xargs cat >"$WORK/kept.txt"
seq -f "line %.0f" 1 30000 | cmp - "$WORK/kept.txt" || fail "kept lines differ from 1..30000"
for file in "$logs"/kept-out__*.log; do
  [ "$(stat -c %s "$file")" -le 65536 ] || fail "$file is over 64K"
done

step "retain: 3 keeps the newest 3 rotations, and they join the current file without a gap"
wait_for 30 grep -qx "line 30000" "$logs/pruned-out.log"
[ "$(ls "$logs"/pruned-out__*.log | wc -l)" = 3 ] || fail "expected 3 rotations: $(ls "$logs")"
in_order "$logs/pruned-out.log" | xargs cat >"$WORK/pruned.txt"
first=$(head -1 "$WORK/pruned.txt" | cut -d' ' -f2)
seq -f "line %.0f" "$first" 30000 | cmp - "$WORK/pruned.txt" || fail "a gap in the kept rotations"

step "compress: true gzips rotated files and loses no line"
cat >"$WORK/zipped.yaml" <<EOF
apps:
  - name: zipped
    script: $FIXTURES/logs_talk.py
    args: [count, "30000"]
    max_size: 64K
    retain: 100
    compress: true
EOF
"$CXPM" start "$WORK/zipped.yaml" >/dev/null
wait_for 30 grep -qx "line 30000" "$logs/zipped-out.log"
wait_for 10 bash -c "! ls '$logs'/zipped-out__*.log >/dev/null 2>&1"
ls "$logs"/zipped-out__*.log.gz >/dev/null 2>&1 || fail "no gzipped rotation: $(ls "$logs")"
(rotations "$logs/zipped-out.log" | xargs zcat; cat "$logs/zipped-out.log") |
  cmp - <(seq -f "line %.0f" 1 30000) || fail "compressed rotations lost lines"
echo "ok"
