# Rotations faster than one a second: `retain` keeps the newest rotated files, and the kept
# files with the current one hold the newest lines, in order, without a gap (it once kept
# older files and deleted the newest: a new rotation reused a number retain had freed).
# ctest-timeout: 120
source "$(dirname "$0")/lib.sh"

last=4000
cat >"$WORK/numbers.sh" <<SH
i=1
while [ \$i -le $last ]; do
  printf 'line %06d ..............................\n' \$i
  i=\$((i + 1))
done
exec sleep 1000
SH

step "about 200 KB in 2 KB files, as fast as bash writes: many rotations in each second"
"$CXPM" start "$WORK/numbers.sh" --name numbers --max-size 2K --retain 2 >/dev/null
out="$CXPM_HOME/logs/numbers-out.log"
wait_for 60 grep -q "line $(printf %06d $last)" "$out"

step "the kept files are the newest, and together hold the last lines without a gap"
# Oldest first: the stamp, then the sequence as a number (…_2 before …_10).
mapfile -t rotated < <(cd "$CXPM_HOME/logs" && ls numbers-out__*.log |
  sed -E 's/^(numbers-out__[0-9_-]{19})(_([0-9]+))?\.log$/\1 \3 &/' |
  awk '{ if (NF == 2) { print $1, 1, $2 } else { print $1, $2, $3 } }' |
  sort -k1,1 -k2,2n | awk '{ print $3 }')
[ "${#rotated[@]}" -eq 2 ] || fail "expected 2 rotated files (retain 2), found: ${rotated[*]}"
numbers=$( (for file in "${rotated[@]}"; do cat "$CXPM_HOME/logs/$file"; done; cat "$out") |
  sed -n 's/^line \([0-9]*\) .*/\1/p' | sed 's/^0*//')
first=$(head -n 1 <<<"$numbers")
[ "$(tail -n 1 <<<"$numbers")" = "$last" ] || fail "the newest line is not last"
expected=$(seq "$first" "$last")
[ "$numbers" = "$expected" ] ||
  fail "the kept lines are not the newest $((last - first + 1)) in order: $(diff <(echo "$expected") <(echo "$numbers") | head -5)"
# Two full rotated files of about 2 KB (45-byte lines) and the current one.
[ "$first" -gt $((last - 150)) ] || fail "kept lines from $first: more than retain 2 files hold"
echo "kept lines $first..$last in ${rotated[*]} and the current file"
