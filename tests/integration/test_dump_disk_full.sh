# ctest-timeout: 120
# A save on a full disk fails, says so, and leaves the previous dump.json exactly as it was,
# with no temporary file left behind; once there is space, save works again.
source "$(dirname "$0")/lib.sh"

disk=$(mktemp -d /tmp/cxpm-disk.XXXXXX)
if ! mount -t tmpfs -o size=1m,mode=0700 tmpfs "$disk" 2>/dev/null; then
  rmdir "$disk"
  echo "skipped: cannot mount a small tmpfs here (needs root and mount permission)"
  exit 0
fi
# The daemon goes first (cleanup kills it and shows daemon.log), then the disk.
trap 'rc=$?; set +e; (exit $rc); cleanup; umount -l "$disk"; rmdir "$disk"; exit $rc' EXIT
rm -rf "$CXPM_HOME"
export CXPM_HOME="$disk/home"
mkdir -m 700 "$CXPM_HOME"
dump="$CXPM_HOME/dump.json"

step "a first list is saved"
"$CXPM" start sleep --name first -- 1000 >/dev/null
"$CXPM" save >/dev/null
cp "$dump" "$WORK/dump.good"

step "the disk fills up: save fails, says why, keeps the old dump whole"
"$CXPM" start sleep --name second --env BIG="$(head -c 20000 /dev/zero | tr '\0' x)" -- 1000 >/dev/null
dd if=/dev/zero of="$disk/filler" bs=4k status=none 2>/dev/null || true
expect_fail "cannot save the app list: cannot write .*No space left on device; $dump is unchanged" \
  "$CXPM" save
cmp -s "$dump" "$WORK/dump.good" || fail "the failed save changed dump.json"
leftovers=$(ls -a "$CXPM_HOME" | grep 'dump.json.tmp' || true)
[ -z "$leftovers" ] || fail "temporary files left: $leftovers"
"$CXPM" ping >/dev/null || fail "the daemon does not answer on a full disk"

step "a failed cleardump keeps the list too"
expect_fail "No space left on device; $dump is unchanged" "$CXPM" cleardump
cmp -s "$dump" "$WORK/dump.good" || fail "the failed cleardump changed dump.json"

step "space returns: save works and holds both apps"
rm "$disk/filler"
"$CXPM" save >/dev/null
jq -e '([.apps[].name] | sort) == ["first", "second"]' "$dump" >/dev/null ||
  fail "the new save lacks an app: $(jq -c '[.apps[].name]' "$dump")"
echo ok
