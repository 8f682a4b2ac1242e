#include "cxpm/config/notify_entries.hpp"

#include <fmt/format.h>

#include "cxpm/config/app_options.hpp"
#include "cxpm/config/notify_settings.hpp"

namespace cxpm {

std::map<std::string_view, Entry> notify_entries(YamlReader& reader, const Entry& notify) {
  std::map<std::string_view, Entry> found;
  if (!notify.value.IsMap()) {
    reader.error_at(notify, fmt::format("notify: expected a map (exec or webhook, events, "
                                        "interval, timeout), got {}",
                                        describe(notify.value)));
    return found;
  }
  for (Entry& item : reader.entries(notify.value, "notify")) {
    const OptionInfo* option = find_app_option("notify_" + item.key);
    if (!option || !option->name.starts_with("notify_")) {
      reader.error_at(item.key_node, fmt::format("unknown notify option '{}' (expected events, "
                                                 "exec, webhook, interval or timeout)",
                                                 item.key));
      continue;
    }
    // Messages name the option as the other notify problems do: "notify_timeout: ...".
    item.key = std::string(option->name);
    found.emplace(option->name, std::move(item));  // entries() reported a repeated key
  }
  return found;
}

void check_notify_entries(YamlReader& reader, const std::map<std::string_view, Entry>& entries,
                          const YAML::Node& where, const AppSpec& spec, NoHook no_hook) {
  if (entries.empty()) return;
  if (!entries.contains("notify_exec") && !entries.contains("notify_webhook")) {
    if (no_hook == NoHook::kRefused) {
      return reader.error_at(where,
                             "notify: needs exec or webhook (without either it tells "
                             "nobody)");
    }
    reader.warn_at(where,
                   "notify: no exec or webhook, so these settings have no effect (the "
                   "app is told by the daemon-wide notify of cxpm.yaml, if any)");
  }
  if (const auto problem = notify_problem(spec)) {
    const auto at = entries.find(problem->option);
    if (at != entries.end()) return reader.error_at(at->second, problem->message);
    reader.error_at(where, problem->message);
  }
}

}  // namespace cxpm
