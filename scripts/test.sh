#!/usr/bin/env bash
# Installs what the tests need, builds, and runs every test: unit and integration tests on a
# normal build, then again under AddressSanitizer and UndefinedBehaviorSanitizer.
# Set CXPM_SKIP_SANITIZERS=1 to skip the second pass.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh

echo "== build and test (RelWithDebInfo)"
BUILD_DIR=build ./scripts/build.sh
(cd build && ctest --output-on-failure -j 2 --timeout 300)

if [ "${CXPM_SKIP_SANITIZERS:-0}" != 1 ]; then
  echo "== build and test (ASan + UBSan)"
  BUILD_DIR=build-asan BUILD_TYPE=Debug ./scripts/build.sh -DCXPM_SANITIZE=ON
  # A sanitizer report anywhere (CLI, daemon, unit tests) fails the run. The chat system and
  # the benchmark smoke run exercise the same daemon code as the other tests through Node and
  # nginx, at several times the cost under ASan: they run in the first pass only.
  export ASAN_OPTIONS=abort_on_error=1:detect_leaks=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  (cd build-asan && ctest --output-on-failure -j 2 --timeout 300 -E '^(chat|bench_smoke)$')
fi
