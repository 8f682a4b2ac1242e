#!/usr/bin/env bash
# Installs what the tests need, checks the format and the layers' includes, builds, and runs
# every test: unit and integration tests on a normal build, then every one again under AddressSanitizer and UndefinedBehaviorSanitizer
# (all but the benchmark smoke run, whose timings mean nothing there). Between the two, the
# normal build is packaged (.deb), installed, used and purged (tests/package/).
# Then the libFuzzer targets run for a minute in all (scripts/fuzz.sh); a finding fails.
# Set CXPM_SKIP_SANITIZERS=1 to skip the second pass, CXPM_SKIP_FUZZ=1 to skip fuzzing.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh

echo "== format"
./scripts/check-format.sh

echo "== layers"
./scripts/check-layers.sh

echo "== build and test (RelWithDebInfo)"
BUILD_DIR=build ./scripts/build.sh
(cd build && ctest --output-on-failure -j 2 --timeout 300)

echo "== Debian package: built from the tree just tested, installed, used, purged"
# The tested RelWithDebInfo tree, reconfigured for /usr: nothing recompiles.
BUILD_DIR=build BUILD_TYPE=RelWithDebInfo ./scripts/package.sh
tests/package/test_installed_package.sh build/cxpm_*.deb

if [ "${CXPM_SKIP_SANITIZERS:-0}" != 1 ]; then
  echo "== build and test (ASan + UBSan)"
  # Shared libraries here: the sanitizer runtime wants them, and they build faster.
  BUILD_DIR=build-asan BUILD_TYPE=Debug ./scripts/build.sh -DCXPM_SANITIZE=ON -DCXPM_STATIC_DEPS=OFF
  # A sanitizer report anywhere (CLI, daemon, unit tests) fails the run. The end-to-end tests
  # stay in (about 3 minutes on 2 CPUs): reload's and cluster's paths are where the daemon's
  # object lifetimes are hardest, and where ASan has found a bug.
  export ASAN_OPTIONS=abort_on_error=1:detect_leaks=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  (cd build-asan && ctest --output-on-failure -j 2 --timeout 400 -E '^bench_smoke$')
fi

if [ "${CXPM_SKIP_FUZZ:-0}" != 1 ]; then
  echo "== fuzz (libFuzzer, clang)"
  ./scripts/fuzz.sh
fi
