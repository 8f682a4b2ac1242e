# rotate_interval: the log files also rotate when a cron pattern fires (pm2-logrotate's
# daily rotation), through the same queue as size rotation: pm2-logrotate's names, `retain`
# applies, no line is lost or torn, and a file with nothing new is not rotated.
# ctest-timeout: 90
source "$(dirname "$0")/lib.sh"

rotations() { ls "$CXPM_HOME/logs" | grep -c "^$1-out__.*\.log$" || true; }
at_least_rotations() { [ "$(rotations "$1")" -ge "$2" ]; }

step "a bad pattern is refused, from a flag and from a file"
expect_fail 'rotate-interval' "$CXPM" start sleep --name bad --rotate-interval 'every day' -- 1000
printf 'apps:\n  - script: sleep\n    rotate_interval: "61 * * * *"\n' >"$WORK/bad.yaml"
expect_fail 'bad\.yaml:3:.*rotate_interval' "$CXPM" start "$WORK/bad.yaml"

step "every second (a seconds field), a line every 50 ms: rotated, retain 3 kept, nothing lost"
cat >"$WORK/ticker.sh" <<'SH'
i=1
while :; do echo "tick $i"; i=$((i + 1)); sleep 0.05; done
SH
cat >"$WORK/eco.yaml" <<YAML
apps:
  - name: ticker
    script: $WORK/ticker.sh
    rotate_interval: "* * * * * *"
    retain: 3
YAML
"$CXPM" start "$WORK/eco.yaml" >/dev/null
"$CXPM" describe ticker | grep_all 'log rotation.*\* \* \* \* \* \*'
wait_for 20 at_least_rotations ticker 3
"$CXPM" stop ticker >/dev/null
sleep_until_settled() { [ "$(rotations ticker)" -le 3 ]; }
wait_for 10 sleep_until_settled
# Every tick is in a kept file or was in a rotation retain deleted: the kept ones are the
# newest, so their ticks run without a gap up to the last one written.
ticks=$(cd "$CXPM_HOME/logs" && cat $(ls ticker-out__*.log | sort) ticker-out.log |
  sed -n 's/^tick //p')
[ -n "$ticks" ] || fail "no ticks in the kept files"
first=$(head -n 1 <<<"$ticks")
last=$(tail -n 1 <<<"$ticks")
[ "$ticks" = "$(seq "$first" "$last")" ] || fail "the kept ticks have a gap or are out of order"

step "a file with nothing new is not rotated (no empty rotations)"
"$CXPM" start sleep --name quiet --rotate-interval '* * * * * *' -- 1000 >/dev/null
sleep 2.5  # two firings of a schedule that must do nothing: there is no event to wait for
[ "$(rotations quiet)" = 0 ] || fail "an empty log file was rotated"
