#pragma once
// The app options, one entry each: the name (in files, on the wire, in messages), pm2's other
// spellings, the start flag, the type, the field of AppSpec it sets, and help. The ecosystem
// loader, the `start` flags, the wire mapping (protocol/app_spec_json) and `describe` are all
// driven from this table, so an option is one entry plus its behaviour. Defaults are
// AppSpec's member initialisers; reading and checking values is option_value.hpp.

#include <array>
#include <climits>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "cxpm/config/app_spec.hpp"

namespace cxpm {

// How an option's value is written, and so how it is read and checked.
enum class OptionType {
  kAppName,      // an app name (default: the script's name)
  kScript,       // what to run: a file, a program on PATH or a shell command line; required
  kText,         // any text
  kNonEmpty,     // text that may not be empty when given
  kChoice,       // text, one of `choices`
  kExecMode,     // "fork" or "cluster" (pm2's "fork_mode", "cluster_mode")
  kSocketMode,   // "shared" or "reuseport"
  kPath,         // a directory or file, made absolute
  kLogPath,      // a log file; "NULL" is pm2's /dev/null
  kCombinedLog,  // a log file, or true (the default place) or false
  kBool,
  kCount,         // a whole number from `min` to `max`
  kInstances,     // a number, "max" (one per CPU) or -n (CPUs minus n)
  kDuration,      // milliseconds, or a number with a unit ("5s")
  kSize,          // bytes, or a number with a unit ("300M")
  kStrings,       // a list of strings, or one string as a list of one
  kWords,         // a list of words, or one string split into words as a shell would
  kExitCodes,     // exit codes from 0 to 255: one, or a list
  kListen,        // listen addresses ("[host:]port" or a unix socket path): one, or a list
  kWatch,         // paths to watch, or true (the app's cwd) or false
  kSignal,        // a signal's name or number, kept as its name ("SIGTERM")
  kCron,          // a cron pattern
  kEnvironment,   // variables (NAME: value) over the caller's environment
  kPort,          // files only: a TCP port, added to listen and set as PORT; no field of its own
  kDependencies,  // depends_on: app names, or {app, condition} maps; read by the loader
};

// The AppSpec field an option reads and writes.
using OptionField = std::variant<std::monostate, std::string AppSpec::*, bool AppSpec::*,
                                 int AppSpec::*, Milliseconds AppSpec::*, std::uint64_t AppSpec::*,
                                 std::vector<std::string> AppSpec::*, std::vector<int> AppSpec::*,
                                 ExecMode AppSpec::*, SocketMode AppSpec::*,
                                 AppEnvironment AppSpec::*, std::vector<Dependency> AppSpec::*>;

struct OptionInfo {
  std::string_view name;
  OptionType type;
  OptionField field;
  std::string_view help;        // one line; `start --help` adds the default
  std::string_view flags = "";  // the start flag in CLI11's spelling ("-o,--output"); "": none
  std::array<std::string_view, 4> aliases{};  // other spellings in files (pm2's)
  long long min = 0;                          // kCount
  long long max = INT_MAX;                    // kCount
  std::array<std::string_view, 2> choices{};  // kChoice
  std::string_view expected = "";  // the words after "expected" for a bad value, when the
                                   // type's own do not fit
};

// Every option, in the order they are read: cwd before the paths relative to it.
std::span<const OptionInfo> app_options();

// The option a key in a file means, by its name or one of its aliases; nullptr when none.
const OptionInfo* find_app_option(std::string_view key);

// The option of that name; the name must be in the table.
const OptionInfo& app_option(std::string_view name);

}  // namespace cxpm
