#!/usr/bin/env bash
# The built .deb installed on this machine, as an operator would (apt-get install ./….deb):
# the installed /usr/bin/cxpm runs apps, clusters them with the installed preload library,
# has its man page, completions, units and docs where Debian looks for them; then
# `apt-get purge` leaves no file of the package behind, only the users' CXPM_HOME.
#   tests/package/test_installed_package.sh build/cxpm_0.1.0-1_amd64.deb
# Root (or sudo) only: it installs and removes a system package. scripts/test.sh runs it.
deb=$(realpath "${1:?usage: $0 path/to/cxpm_VERSION_ARCH.deb}")
export CXPM=/usr/bin/cxpm CXPM_SOURCE_DIR
CXPM_SOURCE_DIR=$(cd "$(dirname "$0")/../.." && pwd)
source "$CXPM_SOURCE_DIR/tests/integration/lib.sh"

sudo=""
[ "$(id -u)" = 0 ] || sudo=sudo
apt_get() { DEBIAN_FRONTEND=noninteractive $sudo apt-get -y -qq "$@" >"$WORK/apt.log" 2>&1 ||
  fail "apt-get $* failed: $(tail -n 20 "$WORK/apt.log")"; }

if dpkg-query -W -f='${Status}' cxpm 2>/dev/null | grep -q "install ok installed"; then
  fail "a cxpm package is already installed here; this test installs and purges its own"
fi
[ -e /usr/bin/cxpm ] && fail "/usr/bin/cxpm exists and is not from a package: not overwriting it"

installed=0
purge_and_clean() {
  local status=$?
  set +e
  [ "$installed" = 1 ] && { timeout 10 "$CXPM" kill >/dev/null 2>&1; apt_get purge cxpm; }
  (exit "$status")
  cleanup
}
trap purge_and_clean EXIT

step "apt-get install ./$(basename "$deb")"
apt_get install "$deb"
installed=1
dpkg -L cxpm >"$WORK/files"
for file in /usr/bin/cxpm /usr/bin/cxpm-runtime /usr/lib/cxpm/libcxpm_preload.so \
  /usr/lib/systemd/system/cxpm@.service /usr/lib/systemd/user/cxpm.service \
  /usr/share/man/man1/cxpm.1.gz /usr/share/bash-completion/completions/cxpm \
  /usr/share/zsh/vendor-completions/_cxpm /usr/share/doc/cxpm/copyright \
  /usr/share/doc/cxpm/changelog.Debian.gz /usr/share/doc/cxpm/ecosystem.example.yaml \
  /usr/share/doc/cxpm/examples/hello-python/server.py; do
  grep -qxF "$file" "$WORK/files" || fail "the package does not list $file"
  [ -e "$file" ] || fail "$file is not installed"
done
[ "$(readlink /usr/bin/cxpm-runtime)" = cxpm ] || fail "cxpm-runtime is not a link to cxpm"

step "the binary is stripped; its debug information is in the dbgsym package"
readelf -S /usr/bin/cxpm | grep_all -F .debug_info && fail "/usr/bin/cxpm has debug information"
readelf -S /usr/bin/cxpm | grep_all -F .gnu_debuglink || fail "/usr/bin/cxpm has no debug link"
build_id=$(readelf -n /usr/bin/cxpm | sed -n 's/.*Build ID: //p')
[ -n "$build_id" ] || fail "/usr/bin/cxpm has no build id"
ddeb=$(ls "$(dirname "$deb")"/cxpm-dbgsym_*.ddeb)
dpkg-deb -c "$ddeb" | grep_all -F "./usr/lib/debug/.build-id/${build_id:0:2}/${build_id:2}.debug" ||
  fail "$ddeb has no debug file for build id $build_id: $(dpkg-deb -c "$ddeb")"
depends=$(dpkg-query -W -f='${Depends}' cxpm)
grep -q "libc6 (>=" <<<"$depends" || fail "Depends is not computed by dpkg-shlibdeps: $depends"
[ "$(dpkg-query -W -f='${Recommends}' cxpm)" = nodejs ] || fail "Recommends is not nodejs"

step "--version names the commit and build type"
version=$("$CXPM" --version)
grep -qE '^cxpm [0-9.]+ \(commit [^,]+, [A-Za-z]+ build\)$' <<<"$version" ||
  fail "--version said: $version"

step "an app in cluster mode, clustered by the installed preload library"
port=$(free_port)
out=$(cd /tmp && PORT=$port "$CXPM" start /usr/share/doc/cxpm/examples/hello-python/server.py \
  -i 2 --name hello 2>&1) || fail "start failed: $out"
has_online() { [ "$(jl '[.[] | select(.name == "hello" and .status == "online")] | length')" = 2 ]; }
wait_for 20 has_online
wait_for 20 answers "http://127.0.0.1:$port/"
for pid in $(jl '.[] | select(.name == "hello") | .pid'); do
  grep_all -F " /usr/lib/cxpm/libcxpm_preload.so" <"/proc/$pid/maps" ||
    fail "worker $pid did not load /usr/lib/cxpm/libcxpm_preload.so: $(env_of "$pid" LD_PRELOAD)"
done
grep_all -F "$(cut -d' ' -f2- <<<"$version") started" <"$CXPM_HOME/daemon.log" ||
  fail "the daemon's start line does not name the build: $(head -n 3 "$CXPM_HOME/daemon.log")"

step "ls, logs, kill"
"$CXPM" ls | grep_all -F hello || fail "ls does not show hello"
logs_say_listening() { "$CXPM" logs hello --lines 5 --nostream | grep_all -F "listening on $port"; }
wait_for 10 logs_say_listening
[ "$("$CXPM" __app-names)" = hello ] || fail "__app-names said: $("$CXPM" __app-names)"
"$CXPM" kill | grep_all -F "and the daemon" || fail "kill"

step "man page and completions"
[ "$(man -w cxpm)" = /usr/share/man/man1/cxpm.1.gz ] || fail "man -w cxpm: $(man -w cxpm 2>&1)"
mapfile -t commands < <("$CXPM" --help | sed -n '/^Subcommands:/,$s/^  \([a-zA-Z][a-zA-Z]*\).*/\1/p')
((${#commands[@]} >= 20)) || fail "--help lists ${#commands[@]} commands: ${commands[*]}"
for command in "${commands[@]}"; do
  zcat /usr/share/man/man1/cxpm.1.gz | grep_all -xF ".SS \"$command\"" ||
    fail "the man page has no section for $command"
done
warnings=$(LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 man --warnings -E UTF-8 -l /usr/share/man/man1/cxpm.1.gz 2>&1 >/dev/null)
[ -z "$warnings" ] || fail "man warns about cxpm.1: $warnings"
bash -c 'source /usr/share/bash-completion/completions/cxpm
  COMP_WORDS=(cxpm res); COMP_CWORD=1; _cxpm; printf "%s\n" "${COMPREPLY[@]}"' >"$WORK/bash"
grep -qx resurrect "$WORK/bash" || fail "bash completion of 'res': $(cat "$WORK/bash")"
bash -c 'source /usr/share/bash-completion/completions/cxpm
  COMP_WORDS=(cxpm start --na); COMP_CWORD=2; _cxpm; printf "%s\n" "${COMPREPLY[@]}"' >"$WORK/bash"
grep -qx -- --name "$WORK/bash" || fail "bash completion of 'start --na': $(cat "$WORK/bash")"
head -n 1 /usr/share/zsh/vendor-completions/_cxpm | grep_all -x "#compdef cxpm" || fail "zsh"
zsh -n /usr/share/zsh/vendor-completions/_cxpm || fail "zsh cannot parse _cxpm"

step "systemd accepts the packaged units"
# A template is verified as one of its instances.
cp /usr/lib/systemd/system/cxpm@.service "$WORK/cxpm@root.service"
cp /usr/lib/systemd/user/cxpm.service "$WORK/cxpm.service"
for unit in "$WORK/cxpm@root.service" "$WORK/cxpm.service"; do
  verify=$(systemd-analyze verify "$unit" 2>&1) || fail "systemd-analyze verify $unit: $verify"
  grep -F "$(basename "$unit")" <<<"$verify" && fail "systemd-analyze verify warned: $verify"
done
grep -qxF 'ExecStart="/usr/bin/cxpm" daemon --resurrect' /usr/lib/systemd/system/cxpm@.service ||
  fail "cxpm@.service does not run /usr/bin/cxpm"

step "apt-get purge leaves nothing of the package, and keeps CXPM_HOME"
apt_get purge cxpm
installed=0
dpkg -L cxpm >/dev/null 2>&1 && fail "dpkg -L cxpm still lists files: $(dpkg -L cxpm)"
left=()
while read -r file; do
  # Directories the package shared with others (/usr, /usr/bin, …) stay, as they should.
  [ -d "$file" ] && [ ! -L "$file" ] && continue
  [ -e "$file" ] || [ -L "$file" ] && left+=("$file")
done <"$WORK/files"
((${#left[@]} == 0)) || fail "left behind: ${left[*]}"
[ -d /usr/lib/cxpm ] && fail "/usr/lib/cxpm is left behind"
[ -d /usr/share/doc/cxpm ] && fail "/usr/share/doc/cxpm is left behind"
[ -f "$CXPM_HOME/daemon.log" ] || fail "purge removed the user's CXPM_HOME"
echo "PASS"
