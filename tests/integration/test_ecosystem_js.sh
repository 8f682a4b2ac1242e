# pm2's ecosystem files in JavaScript: evaluated by node in a child process (bounded in time
# and output, without CXPM_HOME), then loaded and checked exactly as YAML is.
# ctest-timeout: 120
source "$(dirname "$0")/lib.sh"

command -v node >/dev/null || { echo "skipped: no node"; exit 0; }
cd "$WORK"

step "CommonJS with process.env and env_production, found by bare 'cxpm start'"
cat >ecosystem.config.js <<'JS'
const path = require('path');
module.exports = {
  apps: [{
    name: 'web',
    script: 'sleep',
    args: ['1000'],
    cwd: path.join(__dirname),
    env: { FROM_SHELL: process.env.SHELL_VALUE, MODE: 'dev', SEEN_HOME: process.env.CXPM_HOME || 'none' },
    env_production: { MODE: 'production' },
  }],
  deploy: { production: { user: 'node', host: 'example.com', ref: 'origin/main' } },
};
JS
output=$(SHELL_VALUE=from-shell "$CXPM" start --env production 2>&1)
grep_all "note: ecosystem.config.js: its 'deploy' section is ignored" <<<"$output" ||
  fail "no note about deploy: $output"
wait_for 10 has_status web online
pid=$(pid_of web)
[ "$(env_of "$pid" MODE)" = production ] || fail "--env production: MODE=$(env_of "$pid" MODE)"
[ "$(env_of "$pid" FROM_SHELL)" = from-shell ] || fail "process.env was not the caller's"
[ "$(env_of "$pid" SEEN_HOME)" = none ] || fail "the file saw CXPM_HOME"
"$CXPM" stop ecosystem.config.js >/dev/null
[ "$(status_of web)" = stopped ] || fail "stop ecosystem.config.js"
"$CXPM" delete ecosystem.config.js >/dev/null

step ".cjs and ESM .mjs (export default)"
mkdir cjs mjs
printf 'module.exports = { apps: [{ name: "from-cjs", script: "sleep", args: "1000" }] };\n' \
  >cjs/ecosystem.config.cjs
printf 'import os from "node:os";\nexport default { apps: [{ name: "from-mjs", script: "sleep", args: ["1000"], instances: Math.min(2, os.cpus().length) }] };\n' \
  >mjs/ecosystem.config.mjs
(cd cjs && "$CXPM" start >/dev/null)
"$CXPM" start mjs/ecosystem.config.mjs >/dev/null
wait_for 10 has_status from-cjs online
has_instances from-mjs "$(node -e 'console.log(Math.min(2, require("os").cpus().length))')" ||
  fail "the .mjs file's computed instances"
"$CXPM" delete all >/dev/null

step "a refused app: the file, the app by index and name, the key; nothing starts"
cat >bad.config.js <<'JS'
module.exports = { apps: [
  { name: 'fine', script: 'sleep', args: ['1000'] },
  { name: 'api', script: 'sleep', instances: 'lots' },
  { name: 'typo', script: 'sleep', autorestrat: false },
] };
JS
expect_fail "bad.config.js has 2 errors; nothing was started or changed" "$CXPM" start bad.config.js
expect_fail "bad.config.js: app 2 'api': instances: " "$CXPM" start bad.config.js
expect_fail "bad.config.js: app 3 'typo': unknown option 'autorestrat'; did you mean 'autorestart'\?" \
  "$CXPM" start bad.config.js
[ "$(jl length)" = 0 ] || fail "an app started from a refused file"

step "a file that throws shows node's message and where"
printf 'const x = 1;\nthrow new Error("no config for you");\n' >throws.config.js
expect_fail "throws.config.js: node could not evaluate it \(it exited with status 1\); nothing was started" \
  "$CXPM" start throws.config.js
expect_fail "Error: no config for you" "$CXPM" start throws.config.js
expect_fail "throws.config.js:2" "$CXPM" start throws.config.js
printf 'module.exports = { apps: [ { name: "x" ]\n' >syntax.config.js
expect_fail "syntax.config.js:1$" "$CXPM" start syntax.config.js
expect_fail "SyntaxError: Unexpected token" "$CXPM" start syntax.config.js

step "a *.config.js that is no ecosystem file is never run; --interpreter node runs it"
printf 'module.exports = { mode: "production", entry: "./src" };\n' >webpack.config.js
expect_fail "never run as an app; to run it as one, add --interpreter node" \
  "$CXPM" start webpack.config.js
[ "$(jl length)" = 0 ] || fail "webpack.config.js started"
printf 'setInterval(() => {}, 1 << 30);\n' >tool.config.js
"$CXPM" start tool.config.js --interpreter node --name tool >/dev/null
wait_for 10 has_status tool online
"$CXPM" delete tool >/dev/null

step "limits: time, output; stdin is closed"
printf 'while (true) {}\n' >spin.config.js
started=$SECONDS
expect_fail "spin.config.js: node did not finish reading it within 10 s" "$CXPM" start spin.config.js
[ $((SECONDS - started)) -lt 30 ] || fail "the time limit did not hold"
pgrep -f "spin.config.js" >/dev/null && fail "node was left running after the time limit"
printf 'const s = "x".repeat(1 << 20); for (let i = 0; i < 40; i++) require("fs").writeSync(1, s);\nmodule.exports = {apps: []};\n' \
  >loud.config.js
expect_fail "loud.config.js: evaluating it wrote more than 16 MiB" "$CXPM" start loud.config.js
printf 'const input = require("fs").readFileSync(0, "utf8");\nmodule.exports = { apps: [{ name: "stdin-" + input.length, script: "sleep", args: ["1000"] }] };\n' \
  >stdin.config.js
"$CXPM" start stdin.config.js </dev/zero >/dev/null
has_instances stdin-0 1 || fail "the file read something on stdin: $(jl '[.[].name] | join(",")')"
"$CXPM" delete all >/dev/null

step "no node on PATH: a clear error and how to convert"
mkdir empty-path
if output=$(PATH="$WORK/empty-path" "$CXPM" start ecosystem.config.js 2>&1); then
  fail "started without node"
fi
grep_all "ecosystem.config.js is JavaScript: cxpm reads such files with node, and there is no .node. on PATH" <<<"$output" ||
  fail "no-node message: $output"
grep_all "cxpm ecosystem convert ecosystem.config.js > ecosystem.yaml" <<<"$output" ||
  fail "no-node message lacks how to convert: $output"

step "ecosystem convert prints the evaluated file as YAML, which starts the same apps"
SHELL_VALUE=converted "$CXPM" ecosystem convert ecosystem.config.js >converted.yaml
grep_all "env_production" converted.yaml || fail "convert dropped env_production"
grep_all "deploy" converted.yaml && fail "convert kept the deploy section"
"$CXPM" start converted.yaml --env production >/dev/null
wait_for 10 has_status web online
[ "$(env_of "$(pid_of web)" MODE)" = production ] || fail "the converted file's env_production"
[ "$(env_of "$(pid_of web)" FROM_SHELL)" = converted ] || fail "the converted file's env"
"$CXPM" delete all >/dev/null

step "init simple / init --js write pm2's shape; init keeps YAML"
mkdir init && cd init
"$CXPM" init simple >/dev/null
grep_all "module.exports = {" ecosystem.config.js || fail "init simple"
expect_fail "already exists" "$CXPM" init --js
"$CXPM" init >/dev/null
grep_all "^apps:" ecosystem.yaml || fail "init writes YAML"
rm ecosystem.yaml
cp "$FIXTURES/hello.js" app.js
"$CXPM" start >/dev/null
wait_for 10 has_status app1 online
echo "ok"
