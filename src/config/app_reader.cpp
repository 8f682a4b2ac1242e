#include "cxpm/config/app_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "cxpm/config/app_keys.hpp"
#include "cxpm/config/app_name.hpp"
#include "cxpm/config/command.hpp"
#include "cxpm/config/health_check.hpp"
#include "cxpm/config/notify_entries.hpp"
#include "cxpm/config/pm2_app_keys.hpp"

namespace cxpm {
namespace {

constexpr std::string_view kHealthCheckKey = "health_check";

class AppReader {
 public:
  AppReader(YamlReader& reader, const YAML::Node& node, std::size_t position,
            const NotifyDefaults* file_notify)
      : reader_(reader), node_(node), position_(position), file_notify_(file_notify) {}

  ParsedApp read() {
    ParsedApp app;
    app.name_mark = node_.Mark();
    collect_options();
    read_identity(app);
    AppSpec& spec = app.spec;
    const EcosystemContext& context = reader_.context();
    // Relative paths are relative to the file's directory for cwd, to the app's cwd after.
    spec.cwd = context.base_dir;
    ReadContext paths{context.base_dir, &context.caller_env};
    for (const OptionInfo& option : app_options()) {
      const Entry* entry = find(option);
      if (option.type == OptionType::kEnvironment) {
        read_environment(spec);
      } else if (option.type == OptionType::kPort) {
        read_port(spec);
      } else if (option.type == OptionType::kDependencies) {
        if (entry) app.dependency_marks = read_dependencies(*entry, spec);
      } else if (entry && option.type != OptionType::kAppName &&
                 option.type != OptionType::kScript) {
        reader_.read_option_entry(option, *entry, paths, spec);
      }
      if (option.type == OptionType::kPath && option.name == "cwd") paths.path_base = spec.cwd;
    }
    read_loader_keys(reader_, loader_keys_, spec);
    app.has_name = !spec.name.empty();
    check_health(spec);
    check_notify(spec);
    return app;
  }

 private:
  void collect_options() {
    static const std::vector<std::string_view> kCandidates = app_key_candidates();
    for (Entry& entry : reader_.entries(node_, "an app")) {
      if (entry.key == kHealthCheckKey) {
        collect_health_check(entry);
        continue;
      }
      if (entry.key == kNotifyKey) {
        collect_notify(entry);
        continue;
      }
      if (is_profile_key(entry.key)) {
        profiles_.push_back(std::move(entry));
        continue;
      }
      if (is_loader_key(entry.key)) {
        loader_keys_.push_back(std::move(entry));
        continue;
      }
      const OptionInfo* option = find_app_option(entry.key);
      if (!option && is_ignored_key(entry.key)) continue;
      if (const std::string_view* hint = unsupported_key_hint(entry.key)) {
        reader_.error_at(entry.key_node, fmt::format("'{}' is a pm2 option cxpm does not support{}",
                                                     entry.key, *hint));
        continue;
      }
      if (!option) {
        reader_.error_at(entry.key_node, fmt::format("unknown option '{}'{}", entry.key,
                                                     did_you_mean(entry.key, kCandidates)));
        continue;
      }
      const auto [it, inserted] = options_.emplace(option->name, entry);
      if (!inserted) {
        reader_.error_at(entry.key_node,
                         fmt::format("'{}' and '{}' are the same option; give only one",
                                     it->second.key, entry.key));
      }
    }
    add_file_notify();
  }

  // `health_check: {http: ..., interval: 5s}`: each key is the option health_<key>.
  void collect_health_check(const Entry& entry) {
    if (!entry.value.IsMap()) {
      reader_.error_at(entry, fmt::format("health_check: expected a map (http, tcp or exec, "
                                          "interval, timeout, failures, ...), got {}",
                                          describe(entry.value)));
      return;
    }
    for (Entry& item : reader_.entries(entry.value, "health_check")) {
      const std::string full = "health_" + item.key;
      const OptionInfo* option = find_app_option(full);
      if (!option || !option->name.starts_with("health_")) {
        reader_.error_at(item.key_node,
                         fmt::format("unknown health_check option '{}' (expected http, tcp, "
                                     "exec, status, interval, timeout, failures, start_period "
                                     "or wait_ready)",
                                     item.key));
        continue;
      }
      const auto [it, inserted] = options_.emplace(option->name, item);
      if (!inserted) {
        reader_.error_at(item.key_node,
                         fmt::format("'{}' is given twice (as '{}' too); give only one", item.key,
                                     it->second.key));
      }
    }
  }

  // `notify: {exec: ...}`: each key is the option notify_<key>. Then the file's top-level
  // `notify:` keys the app does not set itself.
  void collect_notify(const Entry& entry) {
    notify_node_ =
        entry.value.IsDefined() && !entry.value.Mark().is_null() ? entry.value : entry.key_node;
    for (auto& [name, item] : notify_entries(reader_, entry)) {
      const auto [it, inserted] = options_.emplace(name, item);
      if (!inserted) {
        reader_.error_at(item.key_node,
                         fmt::format("'{}' is given twice (as '{}' too); give only one", item.key,
                                     it->second.key));
      }
    }
  }

  void add_file_notify() {
    if (!file_notify_) return;
    const bool own = std::ranges::any_of(
        options_, [](const auto& option) { return option.first.starts_with("notify_"); });
    if (!own) notify_node_ = file_notify_->where;
    for (const auto& [name, item] : file_notify_->entries) options_.emplace(name, item);
  }

  void check_notify(const AppSpec& spec) {
    std::map<std::string_view, Entry> given;
    for (const auto& [name, entry] : options_) {
      if (name.starts_with("notify_")) given.emplace(name, entry);
    }
    check_notify_entries(reader_, given, notify_node_.value_or(node_), spec, NoHook::kWarned);
  }

  // Across the health options: one kind of check, a URL that parses, a status range.
  void check_health(const AppSpec& spec) {
    const auto problem = health_check_problem(spec);
    if (!problem) return;
    for (const OptionInfo& option : app_options()) {
      if (!option.name.starts_with("health_")) continue;
      if (const Entry* entry = find(option)) {
        reader_.error_at(*entry, *problem);
        return;
      }
    }
    reader_.error_at(node_, *problem);
  }

  const Entry* find(const OptionInfo& option) const {
    const auto it = options_.find(option.name);
    return it == options_.end() ? nullptr : &it->second;
  }
  const Entry* find(std::string_view name) const { return find(app_option(name)); }

  // The script, and the name (given, or the script's).
  void read_identity(ParsedApp& app) {
    AppSpec& spec = app.spec;
    const ReadContext as_written;
    if (const Entry* entry = find("script")) {
      reader_.read_option_entry(app_option("script"), *entry, as_written, spec);
    }
    if (const Entry* entry = find("name")) {
      if (auto name = reader_.string_of(*entry)) {
        if (const auto problem = app_name_problem(*name)) {
          reader_.error_at(*entry, fmt::format("name: {}", *problem));
        } else {
          spec.name = *name;
          app.name_mark = entry->value.Mark();
          app.name_given = true;
        }
      }
    } else if (!spec.script.empty()) {
      spec.name = default_app_name(spec.script);
      if (const auto problem = app_name_problem(spec.name)) {
        reader_.error_at(node_, fmt::format("name: {} (the name comes from the script; set "
                                            "'name')",
                                            *problem));
        spec.name.clear();
      }
    }
    app.has_name = !spec.name.empty();
    if (!find("script")) {
      reader_.error_at(node_, spec.name.empty()
                                  ? fmt::format("app #{} has no 'script' (the file or "
                                                "command to run)",
                                                position_)
                                  : fmt::format("app '{}' has no 'script' (the file or command "
                                                "to run)",
                                                spec.name));
    }
  }

  // `depends_on: [db, {app: api, condition: healthy}]` (or one name); returns where each entry
  // was written. Whether the apps exist is the file's check (ecosystem.cpp).
  std::vector<YAML::Mark> read_dependencies(const Entry& entry, AppSpec& spec) {
    std::vector<YAML::Mark> marks;
    const std::vector<YAML::Node> list =
        entry.value.IsSequence() ? items(entry.value) : std::vector<YAML::Node>{entry.value};
    if (entry.value.IsNull() || (!entry.value.IsSequence() && !entry.value.IsScalar())) {
      reader_.error_at(entry, fmt::format("depends_on: expected a list of app names or "
                                          "{{app, condition}} maps, got {}",
                                          describe(entry.value)));
      return marks;
    }
    for (std::size_t i = 0; i < list.size(); ++i) {
      const YAML::Node& item = list[i];
      const YAML::Node& place = item.Mark().is_null() ? entry.value : item;
      Dependency dependency;
      if (item.IsScalar()) {
        dependency.app = item.Scalar();
      } else if (item.IsMap()) {
        bool ok = true;
        for (const Entry& key : reader_.entries(item, "depends_on")) {
          if (key.key == "app" && key.value.IsScalar()) {
            dependency.app = key.value.Scalar();
          } else if (key.key == "condition" && key.value.IsScalar()) {
            const auto condition = dependency_condition_from(key.value.Scalar());
            if (!condition) {
              reader_.error_at(
                  key, fmt::format("depends_on: {}", bad_condition_problem(key.value.Scalar())));
              ok = false;
            } else {
              dependency.condition = *condition;
            }
          } else {
            reader_.error_at(key.key_node,
                             fmt::format("depends_on[{}]: '{}' {}", i, key.key,
                                         key.key == "app" || key.key == "condition"
                                             ? "must be a string"
                                             : "is not a key here (expected app and condition)"));
            ok = false;
          }
        }
        if (!ok) continue;
        if (dependency.app.empty()) {
          reader_.error_at(place, fmt::format("depends_on[{}]: 'app' is missing", i));
          continue;
        }
      } else {
        reader_.error_at(place, fmt::format("depends_on[{}]: expected an app name or "
                                            "{{app, condition}}, got {}",
                                            i, describe(item)));
        continue;
      }
      if (const auto problem = app_name_problem(dependency.app)) {
        reader_.error_at(place, fmt::format("depends_on: '{}': {}", dependency.app, *problem));
        continue;
      }
      spec.depends_on.push_back(std::move(dependency));
      marks.push_back(place.Mark());
    }
    return marks;
  }

  // pm2's `port`: listen on it, and set PORT (below env_<profile>).
  void read_port(AppSpec& spec) {
    const Entry* entry = find("port");
    if (!entry) return;
    if (auto port = reader_.int_of(*entry, 1, 65535)) {
      port_ = std::to_string(*port);
      if (std::ranges::find(spec.listen, *port_) == spec.listen.end()) {
        spec.listen.push_back(*port_);
      }
    }
  }

  // pm2's order: the caller's environment < env < port's PORT < env_<profile>.
  void read_environment(AppSpec& spec) {
    const EcosystemContext& context = reader_.context();
    spec.env = AppEnvironment(reader_.shared_caller_env());
    const auto overlay = [&spec](const Environment& env) {
      for (const auto& [name, value] : env) spec.env[name] = value;
    };
    if (const Entry* entry = find("env")) {
      if (auto env = reader_.environment_of(*entry)) overlay(*env);
    }
    if (port_) spec.env["PORT"] = *port_;
    // Every profile is checked, not just the selected one: a typo must fail on every run.
    for (const Entry& profile : profiles_) {
      auto env = reader_.environment_of(profile);
      if (env && profile.key.substr(4) == context.env_profile) overlay(*env);
    }
  }

  YamlReader& reader_;
  YAML::Node node_;
  std::size_t position_;
  std::map<std::string_view, Entry> options_;
  std::vector<Entry> profiles_;
  std::vector<Entry> loader_keys_;  // pm2_app_keys.hpp
  std::optional<std::string> port_;
  const NotifyDefaults* file_notify_;
  // Where the app's notify settings come from (its `notify:`, the file's), for messages.
  std::optional<YAML::Node> notify_node_;
};

}  // namespace

ParsedApp read_app(YamlReader& reader, const YAML::Node& node, std::size_t position,
                   const NotifyDefaults* file_notify) {
  return AppReader(reader, node, position, file_notify).read();
}

}  // namespace cxpm
