#pragma once
// Reading one app of an ecosystem file into an AppSpec: its keys checked against the option
// table, each option read through it, then what only a file has (profiles, `port`).

#include <cstddef>
#include <map>
#include <string_view>
#include <vector>

#include "cxpm/config/yaml_reader.hpp"

namespace cxpm {

struct ParsedApp {
  AppSpec spec;
  YAML::Mark name_mark;  // where the name was given, or the app itself when defaulted
  bool has_name = false;
  bool name_given = false;
  // Where each entry of spec.depends_on was written, for the checks across apps.
  std::vector<YAML::Mark> dependency_marks;
};

// The ecosystem file's top-level `notify:`, for the apps that do not set a key themselves.
struct NotifyDefaults {
  std::map<std::string_view, Entry> entries;  // by option name (notify_entries.hpp)
  YAML::Node where;
};

// `position` counts apps from 1, to name an app that has no name in messages.
ParsedApp read_app(YamlReader& reader, const YAML::Node& node, std::size_t position,
                   const NotifyDefaults* file_notify = nullptr);

}  // namespace cxpm
