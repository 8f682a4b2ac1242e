# uid/gid: with a root daemon, apps run as another user (by name or number; a user alone
# brings its primary group) while the daemon still writes their logs; an unknown user or
# group is refused before anything starts or changes; a daemon that is not root refuses to
# switch and says why.
source "$(dirname "$0")/lib.sh"

ids_of() { sed -n "s/^$2:\t//p" "/proc/$1/status"; }  # "real effective saved filesystem"
has_ids() { [ "$(ids_of "$1" "$2")" = "$3"$'\t'"$3"$'\t'"$3"$'\t'"$3" ]; }

write_app() {  # write_app NAME UID GID
  printf '  - name: %s\n    script: "id -u; exec sleep 1000"\n    cwd: /\n' "$1"
  [ -z "$2" ] || printf '    uid: "%s"\n' "$2"
  [ -z "$3" ] || printf '    gid: "%s"\n' "$3"
}

if [ "$(id -u)" != 0 ]; then
  step "not root: the daemon refuses to run an app as another user, and says why"
  { echo "apps:"; write_app as-root root ""; } >"$WORK/root.yaml"
  expect_fail "uid: running an app as another user or group needs the daemon to run as root" \
    "$CXPM" start "$WORK/root.yaml"
  [ "$(jl 'length')" = 0 ] || fail "something started"
  echo "ok (as root, this test also runs apps as nobody)"
  exit 0
fi

nobody_uid=$(id -u nobody)
nobody_gid=$(id -g nobody)
nobody_group=$(id -gn nobody)
cd "$WORK"

step "uid and gid by name, by number, a user alone, a group alone"
{
  echo "apps:"
  write_app by-name nobody "$nobody_group"
  write_app by-number "$nobody_uid" "$nobody_gid"
  write_app user-only nobody ""
  write_app group-only "" "$nobody_group"
} >users.yaml
"$CXPM" start users.yaml >/dev/null
for app in by-name by-number user-only group-only; do wait_for 10 has_status "$app" online; done
for app in by-name by-number user-only; do
  pid=$(pid_of "$app")
  has_ids "$pid" Uid "$nobody_uid" || fail "$app runs with Uid $(ids_of "$pid" Uid)"
  has_ids "$pid" Gid "$nobody_gid" || fail "$app runs with Gid $(ids_of "$pid" Gid)"
  # initgroups: nobody's own groups, none of root's.
  [ "$(ids_of "$pid" Groups | xargs -n1 | sort -n | xargs)" = "$(id -G nobody | xargs -n1 | sort -n | xargs)" ] ||
    fail "$app runs with supplementary groups '$(ids_of "$pid" Groups)', not nobody's ($(id -G nobody))"
done
pid=$(pid_of group-only)
has_ids "$pid" Uid 0 || fail "group-only changed user"
has_ids "$pid" Gid "$nobody_gid" || fail "group-only runs with Gid $(ids_of "$pid" Gid)"
# The app cannot open $CXPM_HOME (0700, root's), yet its output is logged: the daemon writes it.
wait_for 10 grep -qx "$nobody_uid" "$CXPM_HOME/logs/by-name-out.log"

step "a uid app has its user's supplementary groups and HOME, USER, LOGNAME, SHELL"
groupadd -f cxpm-test-extra
id cxpm-test-user >/dev/null 2>&1 ||
  useradd --system --no-create-home --home-dir /var/lib/cxpm-test-user --shell /bin/sh cxpm-test-user
usermod -a -G cxpm-test-extra cxpm-test-user
cat >identity.yaml <<YAML
apps:
  - name: identity
    script: 'echo "groups=\$(id -G) HOME=\$HOME USER=\$USER LOGNAME=\$LOGNAME SHELL=\$SHELL"; exec sleep 1000'
    cwd: /
    uid: cxpm-test-user
  - name: own-home
    script: 'echo "HOME=\$HOME USER=\$USER"; exec sleep 1000'
    cwd: /
    uid: cxpm-test-user
    env:
      HOME: /srv/own-home
YAML
"$CXPM" start identity.yaml >/dev/null
wait_for 10 test -s "$CXPM_HOME/logs/identity-out.log"
wait_for 10 test -s "$CXPM_HOME/logs/own-home-out.log"
line=$(cat "$CXPM_HOME/logs/identity-out.log")
want_groups=$(id -G cxpm-test-user)
[ "$line" = "groups=$want_groups HOME=/var/lib/cxpm-test-user USER=cxpm-test-user LOGNAME=cxpm-test-user SHELL=/bin/sh" ] ||
  fail "identity app saw: $line (want groups=$want_groups and cxpm-test-user's HOME, USER, LOGNAME, SHELL)"
grep -qw "$(getent group cxpm-test-extra | cut -d: -f3)" <<<"$want_groups" ||
  fail "the test user is not in the extra group: the test proves nothing"
# Its own HOME wins.
[ "$(cat "$CXPM_HOME/logs/own-home-out.log")" = "HOME=/srv/own-home USER=cxpm-test-user" ] ||
  fail "an app's own HOME was not kept: $(cat "$CXPM_HOME/logs/own-home-out.log")"

step "restart <file> and restart --update-env keep the rule: own env wins, inherited is the user's"
lines_are() { [ "$(wc -l <"$CXPM_HOME/logs/$1-out.log")" = "$2" ]; }
for round in 2 3; do
  if [ "$round" = 2 ]; then
    "$CXPM" restart identity.yaml >/dev/null
  else
    "$CXPM" restart identity own-home --update-env >/dev/null
  fi
  wait_for 10 lines_are identity "$round"
  wait_for 10 lines_are own-home "$round"
  line=$(tail -n 1 "$CXPM_HOME/logs/identity-out.log")
  [ "$line" = "groups=$want_groups HOME=/var/lib/cxpm-test-user USER=cxpm-test-user LOGNAME=cxpm-test-user SHELL=/bin/sh" ] ||
    fail "round $round: identity app saw: $line"
  # By name, --update-env merges this shell's variables over the app's own (pm2's rule), HOME
  # included: after that, own-home's HOME is the shell's, inherited, so the user's.
  [ "$round" = 3 ] && want_home=/var/lib/cxpm-test-user || want_home=/srv/own-home
  [ "$(tail -n 1 "$CXPM_HOME/logs/own-home-out.log")" = "HOME=$want_home USER=cxpm-test-user" ] ||
    fail "round $round: own-home saw: $(tail -n 1 "$CXPM_HOME/logs/own-home-out.log")"
done
"$CXPM" delete identity own-home >/dev/null

step "an unknown user or group is refused before anything starts"
{ echo "apps:"; write_app fine nobody ""; write_app ghost no-such-user-cxpm ""; } >ghost.yaml
expect_fail "app 'ghost': uid: no user named 'no-such-user-cxpm' on this machine" \
  "$CXPM" start ghost.yaml
{ echo "apps:"; write_app ghost-group "" no-such-group-cxpm; } >ghost-group.yaml
expect_fail "gid: no group named 'no-such-group-cxpm'" "$CXPM" start ghost-group.yaml
[ "$(jl '[.[] | select(.name == "fine" or (.name | startswith("ghost")))] | length')" = 0 ] ||
  fail "a file with an unknown user started something"

step "restart <file> giving an app an unknown user changes nothing"
pid=$(pid_of by-name)
sed -i 's/uid: "nobody"/uid: "no-such-user-cxpm"/' users.yaml
expect_fail "no user named 'no-such-user-cxpm'" "$CXPM" restart users.yaml
[ "$(pid_of by-name)" = "$pid" ] || fail "a refused restart restarted by-name"
"$CXPM" describe by-name --json | jq -e '.[0].spec.uid == "nobody"' >/dev/null ||
  fail "a refused restart changed the spec"

step "a daemon that is not root refuses to switch users, and says why"
other_home=$(mktemp -d /tmp/cxpm-nobody.XXXXXX)
chown nobody "$other_home"
stop_other_daemon() {
  setpriv --reuid=nobody --regid="$nobody_gid" --clear-groups \
    env CXPM_HOME="$other_home" "$CXPM" kill >/dev/null 2>&1 || true
  rm -rf "$other_home"
}
trap 'rc=$?; stop_other_daemon; (exit $rc); cleanup' EXIT
{ echo "apps:"; write_app as-root root ""; } >"$other_home/root.yaml"
chmod 644 "$other_home/root.yaml"
as_nobody() {
  setpriv --reuid=nobody --regid="$nobody_gid" --clear-groups \
    env CXPM_HOME="$other_home" HOME="$other_home" "$@"
}
needs_root="needs the daemon to run as root, and it runs as uid $nobody_uid"
expect_fail "uid: running an app as another user or group $needs_root" \
  as_nobody "$CXPM" start "$other_home/root.yaml"
[ "$(as_nobody "$CXPM" jlist | jq length)" = 0 ] || fail "the refused app was started"
echo "ok"
