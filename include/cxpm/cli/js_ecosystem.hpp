#pragma once
// pm2's ecosystem files in JavaScript (ecosystem.config.js, .cjs, .mjs): evaluated by the
// machine's node in a child process (argv, no shell; a time limit; stdin closed; none of our
// descriptors; output bounded), and the JSON it exports handed to the same loader as YAML's.

#include <string>

namespace cxpm {

// `*.config.js`, `*.config.cjs`, `*.config.mjs`: pm2's names for ecosystem files, never run as
// apps themselves.
bool is_js_ecosystem_file(const std::string& path);

// The object the file exports, as JSON text; throws CliError with node's message and location
// when it throws, and says how to convert the file when there is no node.
std::string evaluate_js_ecosystem(const std::string& path);

}  // namespace cxpm
