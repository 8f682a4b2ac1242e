#!/usr/bin/env bash
# The dashboard page at `/` of `cxpm web` (issue 16), in headless Chromium: every app's row
# shows; a killed process's restart shows without a reload (its restart count and a crash
# event); an app's log lines reach the log tail; a restart button asks for the token and
# restarts with it; the page fits a phone's width. Then on a --public address, the browser
# holding the token as its Basic credentials: the rows, both streams, and a restart with no
# token dialog. The browser's part is
# tests/integration/dashboard/browser.js; it saves a screenshot, kept as
# $DASHBOARD_SCREENSHOT (default: dashboard.png beside the cxpm binary, in the build tree;
# docs/dashboard.png is one such copy).
#
# Installs nothing: scripts/install-deps.sh installs chromium and node (Debian) and
# playwright-core (tests/integration/dashboard's lockfile), and the test fails at once,
# naming what is missing, without them.
# ctest-timeout: 240
source "$(dirname "$0")/lib.sh"

browser_dir=$CXPM_SOURCE_DIR/tests/integration/dashboard
missing=()
for command in node chromium; do command -v "$command" >/dev/null || missing+=("$command"); done
[ "$(cat "$browser_dir/node_modules/.cxpm-lock-sha256" 2>/dev/null)" = \
  "$(sha256sum "$browser_dir/package-lock.json" | cut -d' ' -f1)" ] ||
  missing+=("the npm packages of tests/integration/dashboard (absent, or not from its lockfile)")
((${#missing[@]} == 0)) ||
  fail "missing: $(printf '%s; ' "${missing[@]}")install them with scripts/install-deps.sh"

# An app that holds some memory, spends a little CPU and says so twice a second: something
# for the charts and the log tail to show.
cat >"$WORK/ticker.py" <<'PY'
import itertools, signal, sys, time
signal.signal(signal.SIGINT, lambda *_: sys.exit(0))  # stops quietly, no traceback
held = bytearray(int(sys.argv[1]) * 1024 * 1024)
for n in itertools.count(1):
    busy_until = time.time() + 0.01 * int(sys.argv[2])
    while time.time() < busy_until:
        pass
    print(f"tick {n}: holding {len(held) >> 20} MiB", flush=True)
    time.sleep(0.5)
PY

step "three apps, one with two instances"
"$CXPM" start python3 --name api -- "$WORK/ticker.py" 24 3 >/dev/null
"$CXPM" start python3 --name worker -- "$WORK/ticker.py" 8 1 >/dev/null
"$CXPM" start python3 --name queue -i 2 -- "$WORK/ticker.py" 4 1 >/dev/null
wait_for 20 has_status api online
wait_for 20 has_status worker online
wait_for 20 has_status queue online,online
restarts_before=$(restarts_of api)

step "cxpm web on a free port, with a token"
port=$(free_port)
token=dashboard-test-$RANDOM$RANDOM
"$CXPM" web --address "127.0.0.1:$port" --token "$token" >/dev/null
url=http://127.0.0.1:$port
wait_for 20 answers "$url/api/processes"
curl -sf -m 5 "$url/" | grep_all '<title>cxpm dashboard</title>' || fail "/ is not the dashboard page"
for asset in app.js style.css; do
  curl -sf -m 5 -o /dev/null "$url/$asset" || fail "/$asset is not served"
done

step "the page, in headless Chromium"
timeout 120 node "$browser_dir/browser.js" "$url" api,worker,queue "$token" \
  "$WORK/dashboard.png" "$WORK/chromium-profile" ||
  fail "the browser's check failed (see above)"

step "the daemon saw what the page showed: the kill and the restart button"
# Both were waited for in the page; the count is read from the daemon once more.
[ "$(restarts_of api)" -ge $((restarts_before + 2)) ] ||
  fail "api restarted $(restarts_of api) times, expected at least $((restarts_before + 2))"
[ -s "$WORK/dashboard.png" ] || fail "no screenshot"
cp "$WORK/dashboard.png" "${DASHBOARD_SCREENSHOT:-$(dirname "$CXPM")/dashboard.png}"

step "on a --public address, with the token as the browser's Basic credentials"
public_port=$(free_port)
"$CXPM" web --address "127.0.0.1:$public_port" --public --token "$token" >/dev/null
public_url=http://127.0.0.1:$public_port
asks_basic() {
  curl -s -m 2 -o /dev/null -D - "$public_url/" | tr -d '\r' | grep_all -x 'WWW-Authenticate: Basic realm="cxpm", charset="UTF-8"'
}
wait_for 20 asks_basic
restarts_before=$(restarts_of api)
# A profile of its own: nothing kept from the loopback run (a token in the tab, credentials).
timeout 90 node "$browser_dir/browser.js" --basic "$public_url" api,worker,queue "$token" \
  "$WORK/dashboard-public.png" "$WORK/chromium-profile-public" ||
  fail "the browser's check on the public address failed (see above)"
[ "$(restarts_of api)" -ge $((restarts_before + 1)) ] ||
  fail "api restarted $(restarts_of api) times, expected at least $((restarts_before + 1))"
"$CXPM" web --stop >/dev/null
echo "PASS"
