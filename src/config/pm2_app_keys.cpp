#include "cxpm/config/pm2_app_keys.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <memory>

#include "cxpm/config/app_name.hpp"

namespace cxpm {
namespace {

std::optional<bool> bool_of(YamlReader& reader, const Entry& entry) {
  if (entry.value.IsScalar()) {
    const std::string& text = entry.value.Scalar();
    if (text == "true") return true;
    if (text == "false") return false;
  }
  reader.error_at(
      entry, fmt::format("{}: expected true or false, got {}", entry.key, describe(entry.value)));
  return std::nullopt;
}

void append_env_to_name(YamlReader& reader, const Entry& entry, AppSpec& spec) {
  const auto on = bool_of(reader, entry);
  const std::string& profile = reader.context().env_profile;
  if (!on || !*on || profile.empty() || spec.name.empty()) return;
  const std::string name = spec.name + "-" + profile;
  if (const auto problem = app_name_problem(name)) {
    reader.error_at(entry, fmt::format("append_env_to_name: the name '{}': {}", name, *problem));
    return;
  }
  spec.name = name;
}

void filter_env(YamlReader& reader, const Entry& entry, AppSpec& spec) {
  std::vector<std::string> prefixes;
  if (entry.value.IsSequence()) {
    for (const auto& item : items(entry.value)) {
      if (!item.IsScalar() || item.Scalar().empty()) {
        reader.error_at(item, "filter_env: expected variable name prefixes");
        return;
      }
      prefixes.push_back(item.Scalar());
    }
  } else if (entry.value.IsScalar() && entry.value.Scalar() != "true" &&
             entry.value.Scalar() != "false" && !entry.value.Scalar().empty()) {
    prefixes.push_back(entry.value.Scalar());
  } else {
    const auto on = bool_of(reader, entry);
    if (!on || !*on) return;
  }
  Environment inherited;
  if (spec.env.base() && !prefixes.empty()) {
    for (const auto& variable : *spec.env.base()) {
      const std::string& name = variable.first;
      const bool dropped = std::ranges::any_of(
          prefixes, [&name](const std::string& prefix) { return name.starts_with(prefix); });
      if (!dropped) inherited.emplace(name, variable.second);
    }
  }
  // The app's own variables (env, env_<profile>, port) stay whatever their names.
  spec.env =
      AppEnvironment(std::make_shared<const Environment>(std::move(inherited)), spec.env.own());
}

void warn_watch_options(YamlReader& reader, const Entry& entry) {
  std::string keys;
  if (entry.value.IsMap()) {
    for (const auto& pair : entry.value) {
      keys += fmt::format("{}{}", keys.empty() ? "" : ", ", pair.first.as<std::string>(""));
    }
  }
  reader.warn_at(entry.key_node,
                 fmt::format("watch_options{}: chokidar's options have no effect; cxpm watches "
                             "with inotify (use watch, ignore_watch and watch_delay)",
                             keys.empty() ? "" : " (" + keys + ")"));
}

}  // namespace

void read_loader_keys(YamlReader& reader, const std::vector<Entry>& entries, AppSpec& spec) {
  for (const Entry& entry : entries) {
    if (entry.key == "append_env_to_name") {
      append_env_to_name(reader, entry, spec);
    } else if (entry.key == "filter_env") {
      filter_env(reader, entry, spec);
    } else if (entry.key == "force") {
      if (bool_of(reader, entry).value_or(false)) {
        reader.warn_at(entry.key_node,
                       "force: no effect; cxpm starts apps of the same script under different "
                       "names without it (`cxpm start app.js -f` adds a copy of a running app)");
      }
    } else if (entry.key == "watch_options") {
      warn_watch_options(reader, entry);
    }
  }
}

}  // namespace cxpm
