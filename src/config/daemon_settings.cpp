#include "cxpm/config/daemon_settings.hpp"

#include <fmt/format.h>

#include "cxpm/config/app_keys.hpp"
#include "cxpm/config/app_options.hpp"
#include "cxpm/config/notify_entries.hpp"
#include "cxpm/config/yaml_reader.hpp"

namespace cxpm {
namespace {

void read_settings(std::string_view text, YamlReader& reader, DaemonSettings& settings) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& error) {
    reader.error_at(error.mark, fmt::format("invalid YAML: {}", error.msg));
    return;
  }
  if (root.IsNull()) return;
  if (!root.IsMap()) {
    reader.error_at(root,
                    fmt::format("expected a map of settings (notify:), got {}", describe(root)));
    return;
  }
  for (const Entry& entry : reader.entries(root, "the settings")) {
    if (entry.key != kNotifyKey) {
      reader.error_at(entry.key_node,
                      fmt::format("unknown setting '{}'{} (cxpm.yaml has: notify)", entry.key,
                                  did_you_mean(entry.key, {kNotifyKey})));
      continue;
    }
    const auto entries = notify_entries(reader, entry);
    if (entries.empty()) continue;
    AppSpec spec;  // the option table reads into an AppSpec's notify_* fields
    const ReadContext as_written;
    for (const auto& [name, item] : entries) {
      reader.read_option_entry(app_option(name), item, as_written, spec);
    }
    check_notify_entries(reader, entries, entry.value, spec, NoHook::kRefused);
    settings.notify = notify_settings_of(spec);
  }
}

}  // namespace

ParsedDaemonSettings parse_daemon_settings(std::string_view text, const std::string& file_name) {
  ParsedDaemonSettings result;
  const EcosystemContext context{.file_name = file_name};
  YamlReader reader(context, &result.errors);
  try {
    read_settings(text, reader, result.settings);
  } catch (const std::exception& error) {
    result.errors.push_back({file_name, 0, 0, fmt::format("cannot read: {}", error.what())});
  }
  if (!result.errors.empty()) result.settings = {};
  return result;
}

}  // namespace cxpm
