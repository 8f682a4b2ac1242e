#!/usr/bin/env bash
# Installs what cxpm needs, builds it, starts the apps of ecosystem.example.yaml under the
# daemon, and shows the process table. Stop everything afterwards with `./build/cxpm kill`.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh
./scripts/build.sh
./build/cxpm start ecosystem.example.yaml
