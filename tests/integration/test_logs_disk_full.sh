# ctest-timeout: 120
# A full disk: lines are written whole or not at all, the app is never wedged, the daemon
# answers, no rotation happens while writes fail (no empty rotated files, history kept), and
# once space returns one marker line says exactly how many lines were dropped.
source "$(dirname "$0")/lib.sh"

disk="$WORK/disk"
mkdir "$disk"
if ! mount -t tmpfs -o size=1m tmpfs "$disk" 2>/dev/null; then
  echo "skipped: cannot mount a small tmpfs here (needs root and mount permission)"
  exit 0
fi
trap 'rc=$?; umount -l "$disk" 2>/dev/null; (exit $rc); cleanup' EXIT

# Leave about 200 KiB for the logs: less than retain × max_size.
dd if=/dev/zero of="$disk/filler" bs=1k count=800 status=none

# Numbered lines of 215 bytes; the app says how far it got outside the small disk.
cat >"$WORK/writer.py" <<'PY'
import os, sys, time
progress, pad, n = sys.argv[1], "x" * 200, 0
while True:
    # Slower once told, so the marker is not rotated away before the test reads it.
    slow = os.path.exists(progress + ".slow")
    for _ in range(10 if slow else 100):
        n += 1
        sys.stdout.write("line %08d %s\n" % (n, pad))
    sys.stdout.flush()
    with open(progress + ".new", "w") as f:
        f.write(str(n))
    os.replace(progress + ".new", progress)
    time.sleep(0.1 if slow else 0.005)
PY
progress_of() { cat "$WORK/progress" 2>/dev/null || echo 0; }

"$CXPM" start python3 --name filler --max-size 64K --retain 5 \
  --output "$disk/out.log" --error /dev/null -- "$WORK/writer.py" "$WORK/progress" >/dev/null

step "the disk fills up: writes fail, lines are dropped, the app goes on and the daemon answers"
wait_for 30 grep -q "cannot write log file $disk/out.log: No space left on device" \
  "$CXPM_HOME/daemon.log"
rotated_when_full=$(ls "$disk" | grep -c '^out__' || true)
reached=$(progress_of)
went_on() { [ "$(progress_of)" -gt $((reached + 20000)) ]; }
wait_for 30 went_on
"$CXPM" ping >/dev/null || fail "the daemon does not answer on a full disk"
[ "$(ls "$disk" | grep -c '^out__' || true)" = "$rotated_when_full" ] ||
  fail "files were rotated while writes failed: $(ls -l "$disk")"
reports=$(grep -c "cannot write log file $disk/out.log" "$CXPM_HOME/daemon.log")
[ "$reports" -le 2 ] || fail "the failure was logged $reports times"

step "space returns: one marker per gap says exactly how many lines were dropped"
touch "$WORK/progress.slow"
rm "$disk/filler"
wait_for 30 grep -q "log file $disk/out.log is writable again" "$CXPM_HOME/daemon.log"
# Rotated files too: the app writes fast, so the marker may be in one already.
marker_written() { cat "$disk"/out* 2>/dev/null | grep_all "^cxpm: .* dropped while the disk was full$"; }
wait_for 30 marker_written
after_marker=$(progress_of)
wait_past() { [ "$(progress_of)" -gt $((after_marker + 50)) ]; }
wait_for 30 wait_past
"$CXPM" stop filler >/dev/null

step "no torn line, no empty rotated file, and every dropped line counted"
for file in "$disk"/out*; do
  [ -s "$file" ] || fail "$file is empty: $(ls -l "$disk")"
done
ls "$disk" | grep_all '^out__' || fail "no rotated history kept: $(ls -l "$disk")"
# Oldest first: rotated files by name (their stamps), then the current file.
python3 - "$disk" <<'PY' || fail "the files do not hold the app's lines whole and in order"
import os, re, sys
disk = sys.argv[1]
files = sorted(f for f in os.listdir(disk) if f.startswith("out__")) + ["out.log"]
line_re = re.compile(r"^line (\d{8}) x{200}$")
marker_re = re.compile(r"^cxpm: ([\d,]+) lines? dropped while the disk was full$")
last, pending, markers, first = None, None, 0, None
for name in files:
    with open(os.path.join(disk, name), "rb") as f:
        data = f.read().decode()
    assert data.endswith("\n"), f"{name} ends mid-line"
    for text in data.splitlines():
        m = line_re.match(text)
        if m:
            n = int(m.group(1))
            if first is None:
                first = n
            elif pending is not None:
                assert n == last + pending + 1, f"marker said {pending}, gap was {n - last - 1}"
            else:
                assert n == last + 1, f"line {n} after {last} with no marker"
            last, pending = n, None
            continue
        m = marker_re.match(text)
        assert m, f"torn or foreign line in {name}: {text[:80]!r}"
        # Markers in a row: space came back for a marker but not yet for the next line.
        pending = (pending or 0) + int(m.group(1).replace(",", ""))
        markers += 1
assert markers >= 1, "no marker"
print(f"lines {first}..{last}, {markers} marker(s)")
PY
echo ok

step "the dropped lines are in the metrics"
web_port=$(free_port)
"$CXPM" web --address "127.0.0.1:$web_port" >/dev/null
marked=$(cat "$disk"/out* | sed -n 's/^cxpm: \([0-9,]*\) lines\{0,1\} dropped while the disk was full$/\1/p' |
  tr -d , | awk '{ n += $1 } END { print n + 0 }')
counted=$(curl -sf -m 5 "http://127.0.0.1:$web_port/metrics" |
  sed -n 's/^cxpm_log_lines_dropped_total \([0-9]*\)$/\1/p')
[ -n "$counted" ] && [ "$counted" -gt 0 ] && [ "$counted" -ge "$marked" ] ||
  fail "cxpm_log_lines_dropped_total is '$counted'; the markers say $marked"
echo "cxpm_log_lines_dropped_total $counted; the markers kept say $marked"
