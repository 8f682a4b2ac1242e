#pragma once
// Reading a file's `notify:` map (an app's, an ecosystem file's top level, cxpm.yaml's): each of
// its keys is the option notify_<key> (events, exec, webhook, interval, timeout). Shared by the
// ecosystem loader and the daemon's settings file, so both take the same keys with the same
// words.

#include <map>
#include <string_view>

#include "cxpm/config/yaml_reader.hpp"

namespace cxpm {

inline constexpr std::string_view kNotifyKey = "notify";

// The map's entries by option name ("notify_exec"); a key that is no notify option, a repeated
// one, or a value that is no map is reported at its place.
std::map<std::string_view, Entry> notify_entries(YamlReader& reader, const Entry& notify);

// Settings without exec or webhook tell nobody: refused in cxpm.yaml, a warning for an app (it
// is then told by the daemon-wide hooks, with their settings).
enum class NoHook { kRefused, kWarned };

// Checks the notify_* options read from `entries` into `spec` together: a hook, and
// notify_problem's checks. Problems are reported at the entry they are about, else at `where`.
void check_notify_entries(YamlReader& reader, const std::map<std::string_view, Entry>& entries,
                          const YAML::Node& where, const AppSpec& spec, NoHook no_hook);

}  // namespace cxpm
