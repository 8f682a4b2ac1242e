#!/usr/bin/env bash
# Configures and builds cxpm into build/ (or $BUILD_DIR). Extra arguments go to cmake.
# The project's own builds (this script, hence scripts/test.sh, CI and bench/run.sh) treat
# warnings as errors; a plain cmake build leaves CXPM_WERROR off.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${BUILD_DIR:-build}
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" -DCXPM_WERROR=ON "$@" >/dev/null
cmake --build "$build_dir" -j "$(nproc)"
