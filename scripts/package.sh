#!/usr/bin/env bash
# Builds the Debian package: <build dir>/cxpm_<version>-<release>_<arch>.deb, with the debug
# information beside it in cxpm-dbgsym_<version>-<release>_<arch>.ddeb, then runs lintian on
# it (tags that remain are explained in packaging/debian/lintian-overrides).
#
# By default a Release build (-O3, static libraries as CXPM_STATIC_DEPS does by default, plus
# -g for the dbgsym package) in build-release/, without the tests. CI packages the tree it
# has just tested instead: BUILD_DIR=build BUILD_TYPE=RelWithDebInfo scripts/package.sh.
# Extra arguments go to cmake.
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir=${BUILD_DIR:-build-release}
build_type=${BUILD_TYPE:-Release}
args=(-DCMAKE_INSTALL_PREFIX=/usr)
if [ -z "${BUILD_DIR:-}" ]; then
  args+=(-DCXPM_TESTS=OFF)
  # Release has no -g; the package strips it off into the dbgsym package.
  [ "$build_type" = Release ] && args+=(-DCMAKE_C_FLAGS=-g -DCMAKE_CXX_FLAGS=-g)
fi
BUILD_DIR=$build_dir BUILD_TYPE=$build_type ./scripts/build.sh "${args[@]}" "$@"

rm -f "$build_dir"/cxpm_*.deb "$build_dir"/cxpm-dbgsym_*.ddeb
(cd "$build_dir" && cpack -G DEB >/dev/null)
deb=$(ls "$build_dir"/cxpm_*.deb)
echo "built $deb ($(du -k "$deb" | cut -f1) KiB) and $(ls "$build_dir"/cxpm-dbgsym_*.ddeb)"

if command -v lintian >/dev/null; then
  # Fails on errors and warnings; info-level tags are printed, not fatal.
  lintian --fail-on error,warning --display-info "$deb"
  echo "lintian: no errors or warnings"
else
  echo "lintian is not installed (scripts/install-deps.sh installs it): the package is unchecked" >&2
  exit 1
fi
