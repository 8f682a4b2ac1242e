# ctest-timeout: 120
# startup / unstartup against a temporary unit directory and a fake systemctl: the unit is
# what a service manager needs (systemd-analyze verify passes), it is enabled and later
# disabled and removed; a non-root user is told the exact root command; bad flags and units
# cxpm did not write are refused.
source "$(dirname "$0")/lib.sh"

units="$WORK/units"
mkdir "$units"
cat >"$WORK/systemctl" <<SH
#!/bin/sh
echo "\$*" >>"$WORK/systemctl.log"
SH
chmod +x "$WORK/systemctl"
export CXPM_SYSTEMD_UNIT_DIR="$units" CXPM_SYSTEMCTL="$WORK/systemctl"
me=$(id -un)
unit="$units/cxpm-$me.service"
binary=$(readlink -f "$CXPM")

step "startup writes the unit and enables it"
out=$("$CXPM" startup)
grep -q "wrote $unit" <<<"$out" || fail "startup said: $out"
grep -q "enabled cxpm-$me.service" <<<"$out" || fail "startup said: $out"
grep -qx "daemon-reload" "$WORK/systemctl.log" || fail "no daemon-reload: $(cat "$WORK/systemctl.log")"
grep -qx "enable cxpm-$me.service" "$WORK/systemctl.log" || fail "not enabled: $(cat "$WORK/systemctl.log")"
for line in "Type=notify" "NotifyAccess=main" "User=$me" "ExecStart=\"$binary\" daemon --resurrect" "Restart=on-failure" \
  "LimitNOFILE=infinity" "KillMode=mixed" "WantedBy=multi-user.target" "Delegate=yes"; do
  grep -qxF "$line" "$unit" || fail "the unit lacks '$line':"$'\n'"$(cat "$unit")"
done
grep -qF "Environment=\"PATH=$PATH" "$unit" || fail "the unit lacks this PATH: $(grep Environment "$unit")"
grep -qF "\"CXPM_HOME=$CXPM_HOME\"" "$unit" || fail "the unit lacks CXPM_HOME: $(grep Environment "$unit")"
[ "$(stat -c %a "$unit")" = 644 ] || fail "the unit is mode $(stat -c %a "$unit")"

step "systemd-analyze verify accepts it"
if command -v systemd-analyze >/dev/null; then
  verify=$(systemd-analyze verify "$unit" 2>&1) || fail "systemd-analyze verify failed: $verify"
  grep -i "cxpm-$me.service" <<<"$verify" && fail "systemd-analyze verify warned: $verify"
else
  fail "systemd-analyze is not installed (scripts/install-deps.sh installs systemd)"
fi

step "another user, home and service name; CXPM_HOME from --hp"
env -u CXPM_HOME "$CXPM" startup systemd -u nobody --hp /srv/nobody --service-name web-boot.service >/dev/null
grep -qxF "User=nobody" "$units/web-boot.service" || fail "not User=nobody"
grep -qF '"CXPM_HOME=/srv/nobody/.cxpm"' "$units/web-boot.service" || fail "CXPM_HOME is not from --hp"
verify=$(systemd-analyze verify "$units/web-boot.service" 2>&1) || fail "verify failed: $verify"

step "bad flags are refused and write nothing"
expect_fail "only systemd is supported, not 'upstart'" "$CXPM" startup upstart
expect_fail "-u: no user named 'no-such-user-here'" "$CXPM" startup -u no-such-user-here
expect_fail "--service-name: 'a b' cannot name a unit" "$CXPM" startup --service-name 'a b'
expect_fail "--hp: the home directory must be an absolute path" "$CXPM" startup --hp relative/dir
[ "$(ls "$units" | sort | tr '\n' ' ')" = "cxpm-$me.service web-boot.service " ] ||
  fail "unexpected files: $(ls "$units")"

step "not root: the exact root command is printed and nothing is written"
if [ "$(id -u)" = 0 ]; then
  chmod 755 "$WORK"
  out=$(setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups \
    env -u CXPM_SYSTEMD_UNIT_DIR "$CXPM" startup 2>&1) || fail "startup as nobody failed: $out"
  grep -qF "needs root to write /etc/systemd/system/cxpm-nobody.service" <<<"$out" || fail "said: $out"
  grep -qF "sudo env 'PATH=$PATH' 'CXPM_HOME=$CXPM_HOME' $binary startup systemd -u nobody --hp" <<<"$out" ||
    grep -qF "sudo env PATH=$PATH CXPM_HOME=$CXPM_HOME $binary startup systemd -u nobody --hp" <<<"$out" ||
    fail "not the root command: $out"
  [ ! -e /etc/systemd/system/cxpm-nobody.service ] || fail "a unit was written as nobody"
fi

step "unstartup disables and removes the unit; again, it says there is none"
out=$("$CXPM" unstartup)
grep -q "disabled and removed $unit" <<<"$out" || fail "unstartup said: $out"
grep -qx "disable cxpm-$me.service" "$WORK/systemctl.log" || fail "not disabled"
[ ! -e "$unit" ] || fail "the unit is still there"
expect_fail "no unit $unit to remove" "$CXPM" unstartup
"$CXPM" unstartup -u nobody --service-name web-boot >/dev/null
[ ! -e "$units/web-boot.service" ] || fail "web-boot.service is still there"

step "a unit cxpm did not write is never removed"
printf '[Unit]\nDescription=not ours\n' >"$units/nginx.service"
expect_fail "was not written by .cxpm startup.; it is left as it is" "$CXPM" unstartup --service-name nginx
[ -e "$units/nginx.service" ] || fail "a foreign unit was removed"
echo ok
