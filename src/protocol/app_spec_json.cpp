#include "cxpm/protocol/app_spec_json.hpp"

#include <climits>
#include <map>

#include "cxpm/config/option_value.hpp"

namespace cxpm {
namespace {

// The app's `env` over the request's shared environment, without the variables it names in
// `env_unset`. An app that unsets some is given a whole copy of its own: rare, and the shared
// base must stay the same for every app that holds it.
AppEnvironment environment_from(const ArgsReader& reader, const AppEnvironment::Base& shared) {
  Environment own = reader.string_map("env");
  const auto unset = reader.strings("env_unset");
  if (!shared || unset.empty()) return AppEnvironment(shared, std::move(own));
  Environment whole = *shared;
  for (const auto& name : unset) whole.erase(name);
  for (auto& [name, value] : own) whole.insert_or_assign(name, std::move(value));
  return AppEnvironment(std::move(whole));
}

// The base most of the specs share (nullptr when none has one): sent once as shared_env.
AppEnvironment::Base most_shared_base(const std::vector<AppSpec>& specs) {
  std::vector<const AppSpec*> pointers;
  pointers.reserve(specs.size());
  for (const auto& spec : specs) pointers.push_back(&spec);
  return cxpm::most_shared_base(pointers);
}

// The spec's variables as `env` (what differs from `shared`) and `env_unset` (what it lacks).
void put_environment(Json& out, const AppSpec& spec, const AppEnvironment::Base& shared) {
  if (shared && spec.env.base() == shared) {
    if (!spec.env.own().empty()) out["env"] = spec.env.own();
    return;
  }
  const Environment whole = spec.env.merged();
  Json env = Json::object();
  for (const auto& [name, value] : whole) {
    if (!shared) {
      env[name] = value;
    } else if (auto found = shared->find(name); found == shared->end() || found->second != value) {
      env[name] = value;
    }
  }
  if (!env.empty()) out["env"] = std::move(env);
  if (!shared) return;
  Json unset = Json::array();
  for (const auto& [name, _] : *shared) {
    if (!whole.contains(name)) unset.push_back(name);
  }
  if (!unset.empty()) out["env_unset"] = std::move(unset);
}

// One option's field as JSON: text, numbers (durations in milliseconds, sizes in bytes),
// booleans, lists, and modes by their names.
Json field_json(const OptionInfo& option, const AppSpec& spec) {
  return std::visit(
      [&spec](auto member) -> Json {
        using Member = decltype(member);
        if constexpr (std::is_same_v<Member, std::monostate> ||
                      std::is_same_v<Member, AppEnvironment AppSpec::*>) {
          return nullptr;
        } else {
          const auto& value = spec.*member;
          using Value = std::decay_t<decltype(value)>;
          if constexpr (std::is_same_v<Value, Milliseconds>) {
            return value.count();
          } else if constexpr (std::is_same_v<Value, ExecMode> ||
                               std::is_same_v<Value, SocketMode>) {
            return to_string(value);
          } else if constexpr (std::is_same_v<Value, std::vector<Dependency>>) {
            Json list = Json::array();
            for (const Dependency& dependency : value) {
              list.push_back(
                  {{"app", dependency.app}, {"condition", to_string(dependency.condition)}});
            }
            return list;
          } else {
            return value;
          }
        }
      },
      option.field);
}

// Reads one option's field from the request, then checks it as a file's value is checked.
void read_field(const OptionInfo& option, const ArgsReader& reader, AppSpec& spec) {
  const char* key = option.name.data();  // the table's names are literals: NUL-terminated
  const std::string path = reader.path_of(key);
  std::visit(
      [&](auto member) {
        using Member = decltype(member);
        if constexpr (!std::is_same_v<Member, std::monostate> &&
                      !std::is_same_v<Member, AppEnvironment AppSpec::*>) {
          auto& value = spec.*member;
          using Value = std::decay_t<decltype(value)>;
          if constexpr (std::is_same_v<Value, std::string>) {
            value = reader.string(key, value);
          } else if constexpr (std::is_same_v<Value, bool>) {
            value = reader.boolean(key, value);
          } else if constexpr (std::is_same_v<Value, std::vector<std::string>>) {
            if (reader.has(key)) value = reader.strings(key);
          } else if constexpr (std::is_same_v<Value, std::vector<int>>) {
            if (reader.has(key)) value = reader.integers(key);
          } else if constexpr (std::is_same_v<Value, std::vector<Dependency>>) {
            if (!reader.has(key)) return;
            value.clear();
            for (const ArgsReader& item : reader.objects(key)) {
              const std::string condition = item.string("condition", "ready");
              const auto parsed = dependency_condition_from(condition);
              if (!parsed) {
                throw ArgsError(item.path_of("condition") + ": " +
                                bad_condition_problem(condition));
              }
              value.push_back({item.string("app"), *parsed});
            }
          } else if constexpr (std::is_same_v<Value, ExecMode> ||
                               std::is_same_v<Value, SocketMode>) {
            if (!reader.has(key)) return;
            if (auto problem =
                    read_option(option, WrittenValue::of_text(reader.string(key)), {}, spec)) {
              throw ArgsError(path + ": " + *problem);
            }
          } else {
            const std::int64_t number = reader.integer(key, -1);
            if (!reader.has(key)) return;
            if constexpr (std::is_same_v<Value, Milliseconds>) {
              value = Milliseconds{number};
            } else {
              if (number < 0 && std::is_unsigned_v<Value>) {
                throw ArgsError(path + ": must not be negative");
              }
              if constexpr (std::is_same_v<Value, int>) {
                if (number < INT_MIN || number > INT_MAX) throw ArgsError(path + ": out of range");
              }
              value = static_cast<Value>(number);
            }
          }
        }
      },
      option.field);
  if (auto problem = check_option(option, spec)) throw ArgsError(path + ": " + *problem);
}

// Every field but env.
Json settings_of(const AppSpec& spec) {
  Json out = Json::object();
  for (const OptionInfo& option : app_options()) {
    Json value = field_json(option, spec);
    if (!value.is_null()) out[std::string(option.name)] = std::move(value);
  }
  return out;
}

}  // namespace

AppEnvironment::Base most_shared_base(const std::vector<const AppSpec*>& specs) {
  std::map<const Environment*, std::size_t> uses;
  AppEnvironment::Base best;
  std::size_t best_uses = 0;
  for (const AppSpec* spec : specs) {
    const auto& base = spec->env.base();
    if (!base) continue;
    if (const std::size_t count = ++uses[base.get()]; count > best_uses) {
      best = base;
      best_uses = count;
    }
  }
  return best;
}

Json to_json(const AppSpec& spec, const AppEnvironment::Base& shared) {
  Json out = settings_of(spec);
  if (!shared) {
    out["env"] = spec.env.merged();
  } else {
    put_environment(out, spec, shared);
  }
  return out;
}

Json to_json(const AppSpec& spec) {
  Json out = settings_of(spec);
  out["env"] = spec.env.merged();
  return out;
}

AppSpec app_spec_from_json(const ArgsReader& reader, const AppEnvironment::Base& shared_env) {
  AppSpec spec;
  for (const OptionInfo& option : app_options()) {
    if (option.type == OptionType::kEnvironment) {
      spec.env = environment_from(reader, shared_env);
    } else {
      read_field(option, reader, spec);
    }
  }
  return spec;
}

Json app_specs_to_json(const std::vector<AppSpec>& specs) {
  // Only what differs from AppSpec's defaults goes on the wire: the daemon reads a missing
  // field as its default. A file of 10,000 apps is then a few MiB, not tens.
  static const Json kDefaults = settings_of(AppSpec{});
  const AppEnvironment::Base shared = most_shared_base(specs);
  Json apps = Json::array();
  for (const auto& spec : specs) {
    Json app = Json::object();
    Json settings = settings_of(spec);
    for (auto& [key, value] : settings.items()) {
      if (auto fallback = kDefaults.find(key); fallback != kDefaults.end() && *fallback == value) {
        continue;
      }
      app[key] = std::move(value);
    }
    put_environment(app, spec, shared);
    apps.push_back(std::move(app));
  }
  Json args{{"apps", std::move(apps)}};
  if (shared) args["shared_env"] = *shared;
  return args;
}

std::vector<AppSpec> app_specs_from_json(const ArgsReader& args) {
  AppEnvironment::Base shared;
  if (args.has("shared_env")) {
    shared = std::make_shared<const Environment>(args.string_map("shared_env"));
  }
  std::vector<AppSpec> specs;
  for (const auto& reader : args.objects("apps")) {
    specs.push_back(app_spec_from_json(reader, shared));
  }
  return specs;
}

}  // namespace cxpm
