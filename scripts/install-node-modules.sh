#!/usr/bin/env bash
# Installs the npm packages of the chat example and of its test clients (socket.io, the Redis
# adapter, socket.io-client, playwright-core), and the dashboard test's browser driver
# (playwright-core), from their lockfiles, into node_modules/ beside each package.json
# (ignored by git): where tests/integration/test_chat.sh, bench/scenarios/8-chat.sh and
# tests/integration/test_dashboard.sh look for them. Run by scripts/install-deps.sh, so a clean clone's
# CI has them before ctest starts; tests never install anything themselves.
#
# A tree already installed from the same lockfile is left alone (a stamp in node_modules/
# records the lockfile's sha256), and a lock keeps two runs from installing into one tree.
set -euo pipefail
cd "$(dirname "$0")/.."

# The directories, and the stamp's name, are read by chat_require in
# tests/integration/chat/system.sh too.
dirs=(examples/chat tests/integration/chat tests/integration/dashboard)
stamp_name=.cxpm-lock-sha256

command -v npm >/dev/null || { echo "install-node-modules: npm is missing (apt-get install npm)" >&2; exit 1; }
for dir in "${dirs[@]}"; do
  (
    flock -w 300 9 || { echo "install-node-modules: $dir is locked by another install" >&2; exit 1; }
    stamp=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
    [ "$(cat "$dir/node_modules/$stamp_name" 2>/dev/null)" = "$stamp" ] && exit 0
    echo "install-node-modules: npm ci in $dir" >&2
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >&2)
    echo "$stamp" >"$dir/node_modules/$stamp_name"
  ) 9>"/tmp/cxpm-node-modules.lock"
done
