# `cxpm init` writes a starter file that runs and never overwrites one; ecosystem.example.yaml
# runs as it is and shows every option cxpm has, each with a comment.
source "$(dirname "$0")/lib.sh"

step "init writes a starter file that runs, and never overwrites one"
cd "$WORK"
"$CXPM" init | grep_all "wrote ecosystem.yaml" || fail "init did not say what it wrote"
grep -q '^apps:' ecosystem.yaml || fail "the starter has no apps"
grep -q '^ *# ' ecosystem.yaml || fail "the starter has no comments"
cp "$FIXTURES/hello.js" app.js
"$CXPM" start >/dev/null
wait_for 10 has_status app online
[ "$(env_of "$(pid_of app)" NODE_ENV)" = development ] || fail "the starter's env not applied"
before=$(md5sum ecosystem.yaml)
expect_fail 'ecosystem\.yaml already exists; cxpm init never overwrites' "$CXPM" init
[ "$(md5sum ecosystem.yaml)" = "$before" ] || fail "init changed an existing file"
"$CXPM" init other.yml >/dev/null && [ -s other.yml ] || fail "init other.yml failed"
expect_fail 'ends in \.yaml, \.yml or \.json' "$CXPM" init notes.txt

step "ecosystem.example.yaml starts as it is on a fresh machine"
cd "$CXPM_SOURCE_DIR"
"$CXPM" start ecosystem.example.yaml >/dev/null
wait_for 15 has_status ticker online,online
wait_for 10 has_status worker online
[ "$(status_of backup)" = stopped ] || fail "autostart: false started backup"
wait_for 10 grep -q "ticker 1 (pid [0-9]*): hello; my port would be 9001" \
  "$CXPM_HOME/logs/ticker-out.log"
step "and shows every option cxpm has, each documented"
options=$("$CXPM" describe ticker --json | jq -r '.[0].spec | keys[]')
[ "$(wc -l <<<"$options")" -ge 40 ] || fail "describe shows too few options: $options"
for option in $options port env_production; do
  grep -qE "^ *(# *)?(- )?$option:( .*#| *$)" ecosystem.example.yaml ||
    fail "ecosystem.example.yaml does not show '$option' with a comment"
done
"$CXPM" delete ecosystem.example.yaml >/dev/null
echo "ok"
