#!/usr/bin/env bash
# Installs what the tests need, builds, and runs every test: unit and integration tests on a
# normal build, then under AddressSanitizer and UndefinedBehaviorSanitizer: the unit tests and
# the daemon's own integration tests by default, every test with CXPM_FULL_SANITIZE=1.
# Set CXPM_SKIP_SANITIZERS=1 to skip the second pass.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh

echo "== build and test (RelWithDebInfo)"
BUILD_DIR=build ./scripts/build.sh
(cd build && ctest --output-on-failure -j 2 --timeout 300)

if [ "${CXPM_SKIP_SANITIZERS:-0}" != 1 ]; then
  echo "== build and test (ASan + UBSan)"
  # Shared libraries here: the sanitizer runtime wants them, and they build faster.
  BUILD_DIR=build-asan BUILD_TYPE=Debug ./scripts/build.sh -DCXPM_SANITIZE=ON -DCXPM_STATIC_DEPS=OFF
  # A sanitizer report anywhere (CLI, daemon, unit tests) fails the run. The longer end-to-end
  # tests (cluster, reload, logs, ecosystem, chat, bench) drive the same daemon code through
  # Node and nginx at several times the cost under ASan; CXPM_FULL_SANITIZE=1 runs them too.
  export ASAN_OPTIONS=abort_on_error=1:detect_leaks=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  selection=(-R '^(unit|lifecycle|restart_policy|treekill|daemon|protocol|cli_errors)$')
  [ "${CXPM_FULL_SANITIZE:-0}" = 1 ] && selection=()
  (cd build-asan && ctest --output-on-failure -j 2 --timeout 300 "${selection[@]}")
fi
