# cron_restart restarts on its schedule (a 6-field pattern with seconds), also a job that
# exited by itself, never an app someone stopped; max_memory_restart restarts an app whose
# memory grew past its limit, and describe says why.
source "$(dirname "$0")/lib.sh"

events_of() { "$CXPM" describe "$1" --json | jq -r '.[0].events[].message'; }
restarts_at_least() { [ "$(restarts_of "$1")" -ge "$2" ]; }

cd "$WORK"
cat >eco.yaml <<YAML
apps:
  - name: ticking
    script: sleep
    args: ["1000"]
    cron_restart: "*/2 * * * * *"   # every 2 seconds
  - name: job                       # exits at once; only the schedule runs it again
    script: "true"
    autorestart: false
    cron: "* * * * * *"             # pm2's alias, every second
  - name: leaky
    script: $FIXTURES/eco_grow.py
    args: [--to, "120"]
    max_memory_restart: 50M
  - name: modest
    script: sleep
    args: ["1000"]
    max_memory_restart: 50M
YAML
"$CXPM" start eco.yaml >/dev/null
wait_for 10 has_status ticking online

step "cron_restart: a restart on the schedule, and describe says so"
wait_for 10 restarts_at_least ticking 1
events_of ticking | grep_all -x 'cron_restart "\*/2 \* \* \* \* \*": restarting' ||
  fail "describe does not say cron_restart: $(events_of ticking)"
wait_for 10 has_status ticking online

step "cron_restart runs a job again that exited by itself (autorestart: false)"
wait_for 10 restarts_at_least job 2
events_of job | grep_all 'autorestart is off' || fail "job did not exit by itself"

step "an app someone stopped stays stopped"
"$CXPM" stop ticking >/dev/null
stopped_restarts=$(restarts_of ticking)
job=$(restarts_of job)
wait_for 10 restarts_at_least job $((job + 3))  # three more firings of the job: > 2 s passed
[ "$(status_of ticking)" = stopped ] || fail "cron started a stopped app"
[ "$(restarts_of ticking)" = "$stopped_restarts" ] || fail "cron restarted a stopped app"
"$CXPM" start ticking >/dev/null  # started again, the schedule applies again
wait_for 10 restarts_at_least ticking $((stopped_restarts + 1))

step "max_memory_restart: past its limit an app is restarted gracefully; describe says why"
wait_for 20 restarts_at_least leaky 1
events_of leaky | grep_all -E '^memory [0-9.]+ MiB is over max_memory_restart 50\.0 MiB: restarting$' ||
  fail "describe does not say why: $(events_of leaky)"
events_of leaky | grep_all 'stopping: sent SIGINT' || fail "the restart was not graceful"
wait_for 20 restarts_at_least leaky 2  # it leaks again, and is caught again
[ "$(restarts_of modest)" = 0 ] || fail "an app under its limit was restarted"
[ "$(status_of modest)" = online ] || fail "modest is not online"

step "deleting the apps ends their schedules and checks"
"$CXPM" delete eco.yaml >/dev/null
[ "$(jl 'length')" = 0 ] || fail "apps left after delete"
"$CXPM" ping >/dev/null || fail "the daemon did not survive"
echo "ok"
