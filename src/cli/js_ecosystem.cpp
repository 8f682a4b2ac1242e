#include "cxpm/cli/js_ecosystem.hpp"

#include <cstdio>
#include <sstream>

#include "cxpm/cli/client.hpp"
#include "cxpm/cli/start_plan.hpp"
#include "cxpm/sys/bounded_run.hpp"
#include "cxpm/sys/spawn.hpp"

namespace cxpm {
namespace {

constexpr std::chrono::seconds kTimeLimit{10};
constexpr std::size_t kOutputLimit = 16 * 1024 * 1024;

// Loads the file as pm2 does (require; import() for ESM), writes what it exports as JSON on
// fd 3 (so the file's own console.log cannot corrupt it), then exits: a file that leaves a
// timer or a server behind does not keep the CLI waiting. Errors are left uncaught, so node
// prints them with the file's line and the offending code.
constexpr const char* kEvaluator = R"JS(
const path = require('path');
const file = path.resolve(process.argv[1]);
const done = (value) => {
  if (value && typeof value === 'object' && value.__esModule && 'default' in value) {
    value = value.default;
  }
  require('fs').writeSync(3, JSON.stringify(value === undefined ? null : value));
  process.exit(0);
};
const load = () => import(require('url').pathToFileURL(file).href).then((ns) => done(ns.default));
let exported;
let esm = file.endsWith('.mjs');
if (!esm) {
  try {
    exported = require(file);
  } catch (error) {
    if (!error || error.code !== 'ERR_REQUIRE_ESM') throw error;
    esm = true;
  }
}
if (esm) load(); else done(exported);
)JS";

// node's report without the lines about its own internals and this evaluator.
std::string users_part(const std::string& messages) {
  std::stringstream in(messages);
  std::string out;
  int kept = 0;
  for (std::string line; std::getline(in, line) && kept < 40;) {
    if (line.find("node:internal") != std::string::npos ||
        line.find("[eval]") != std::string::npos || line.starts_with("Node.js v")) {
      continue;
    }
    if (line.empty() && (out.empty() || out.ends_with("\n\n"))) continue;
    out += line.empty() ? "\n" : "  " + line + "\n";
    ++kept;
  }
  while (out.ends_with("\n")) out.pop_back();
  return out;
}

}  // namespace

bool is_js_ecosystem_file(const std::string& path) {
  for (const char* ending : {".config.js", ".config.cjs", ".config.mjs"}) {
    if (path.ends_with(ending)) return true;
  }
  return false;
}

std::string evaluate_js_ecosystem(const std::string& path) {
  const Environment caller = caller_environment();
  const auto path_env = caller.find("PATH");
  const auto node = find_program("node", path_env == caller.end() ? "" : path_env->second);
  if (!node) {
    throw CliError(path +
                   " is JavaScript: cxpm reads such files with node, and there is no `node` on "
                   "PATH. Install Node.js, or convert the file once where node is "
                   "(`cxpm ecosystem convert " +
                   path + " > ecosystem.yaml`) and start the YAML file instead");
  }
  BoundedRunOptions options;
  options.program = *node;
  // A relative path goes as ./path: node must never read the file's name as one of its flags.
  options.argv = {"node", "-e", kEvaluator, path.starts_with('/') ? path : "./" + path};
  // The caller's environment, as pm2 files read process.env; not where the daemon listens.
  for (const auto& [name, value] : caller) {
    if (name != "CXPM_HOME") options.env.push_back(name + "=" + value);
  }
  options.time_limit = kTimeLimit;
  options.output_limit = kOutputLimit;
  const BoundedRunResult run = run_bounded(options);
  const std::string unchanged = "; nothing was started or changed";
  if (run.timed_out) {
    throw CliError(path + ": node did not finish reading it within " +
                   std::to_string(kTimeLimit.count()) + " s (does the file wait for something?)" +
                   unchanged);
  }
  if (run.too_much_output) {
    throw CliError(path + ": evaluating it wrote more than " +
                   std::to_string(kOutputLimit / (1024 * 1024)) + " MiB" + unchanged);
  }
  if (run.exit_code != 0 || run.result.empty()) {
    const std::string how = run.exit_signal != 0
                                ? "was killed by signal " + std::to_string(run.exit_signal)
                                : "exited with status " + std::to_string(run.exit_code);
    std::string message = path + ": node could not evaluate it (it " + how + ")" + unchanged;
    if (const std::string report = users_part(run.messages); !report.empty()) {
      message += ":\n" + report;
    }
    throw CliError(message);
  }
  // What the file printed while loading is the user's to see, never part of the result.
  if (!run.messages.empty()) std::fwrite(run.messages.data(), 1, run.messages.size(), stderr);
  return run.result;
}

}  // namespace cxpm
