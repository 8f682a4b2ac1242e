#!/usr/bin/env bash
# Installs everything cxpm needs to build and test, from Debian 12 packages.
# Idempotent: packages already present are skipped by apt-get.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libuv1-dev libcli11-dev libyaml-cpp-dev libfmt-dev libspdlog-dev
  doctest-dev nlohmann-json3-dev zlib1g-dev
  # health checks parse HTTP responses with it (daemon/health_probe.cpp)
  libhttp-parser-dev
  # cxpm monit draws with ncurses
  libncurses-dev
  # test_monit.sh drives cxpm monit in a terminal
  tmux
  # integration tests drive real apps in these languages, and the chat system end to end
  nodejs npm python3 procps curl jq util-linux nginx redis-server chromium
  # systemd-analyze verify checks the unit `cxpm startup` writes (test_startup_systemd.sh)
  systemd
  # fuzzing (scripts/fuzz.sh): clang and its libFuzzer runtime
  clang libclang-rt-14-dev
  # the tree's format check (scripts/check-format.sh)
  clang-format
  # the Debian package (scripts/package.sh) and its installed test (tests/package/): lintian
  # checks it, man-db answers `man -w`, zsh parses the zsh completion
  lintian man-db zsh
  # a real Prometheus scrapes `cxpm web` in the suite (test_web_prometheus.sh; promtool checks
  # /metrics in test_web.sh)
  prometheus
  # benchmarks
  wrk hyperfine gnuplot-nox
)

missing=()
for p in "${packages[@]}"; do
  # Node and npm may come from outside apt (the machine's own Node 20): any on PATH will do.
  case $p in nodejs | npm) command -v "${p%js}" >/dev/null && continue ;; esac
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The npm packages of the chat example, its test clients and the dashboard test
# (tests/integration/test_chat.sh, test_dashboard.sh).
"$(dirname "$0")/install-node-modules.sh"
