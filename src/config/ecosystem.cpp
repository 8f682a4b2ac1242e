#include "cxpm/config/ecosystem.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <csignal>
#include <filesystem>
#include <limits>
#include <map>
#include <optional>
#include <utility>

#include "cxpm/config/app_name.hpp"
#include "cxpm/config/command.hpp"
#include "cxpm/config/cron.hpp"
#include "cxpm/config/listen_address.hpp"
#include "cxpm/config/units.hpp"
#include "cxpm/core/parse_number.hpp"

namespace cxpm {

std::string ConfigError::format() const {
  std::string where = file.empty() ? "ecosystem" : file;
  if (line > 0) where += fmt::format(":{}", line);
  if (line > 0 && column > 0) where += fmt::format(":{}", column);
  return fmt::format("{}: {}", where, message);
}

namespace {

// Every spelling cxpm accepts for an app option, with the option it means. The aliases are
// pm2's (lib/API/schema.json) plus cmd/command, so pm2 files load unchanged.
struct Spelling {
  std::string_view key;
  std::string_view option;
};
constexpr auto kSpellings = std::to_array<Spelling>({
    {"name", "name"},
    {"script", "script"},
    {"exec", "script"},
    {"cmd", "script"},
    {"command", "script"},
    {"args", "args"},
    {"interpreter", "interpreter"},
    {"exec_interpreter", "interpreter"},
    {"interpreter_args", "interpreter_args"},
    {"node_args", "interpreter_args"},
    {"interpreterArgs", "interpreter_args"},
    {"cwd", "cwd"},
    {"instances", "instances"},
    {"exec_mode", "exec_mode"},
    {"listen", "listen"},
    {"port", "port"},
    {"socket_mode", "socket_mode"},
    {"instance_var", "instance_var"},
    {"increment_var", "increment_var"},
    {"env", "env"},
    {"autorestart", "autorestart"},
    {"autostart", "autostart"},
    {"max_restarts", "max_restarts"},
    {"min_uptime", "min_uptime"},
    {"restart_delay", "restart_delay"},
    {"exp_backoff_restart_delay", "exp_backoff_restart_delay"},
    {"stop_exit_codes", "stop_exit_codes"},
    {"restart_budget", "restart_budget"},
    {"restart_budget_window", "restart_budget_window"},
    {"kill_signal", "kill_signal"},
    {"kill_timeout", "kill_timeout"},
    {"treekill", "treekill"},
    {"shutdown_with_message", "shutdown_with_message"},
    {"wait_ready", "wait_ready"},
    {"listen_timeout", "listen_timeout"},
    {"out_file", "out_file"},
    {"output", "out_file"},
    {"out", "out_file"},
    {"out_log", "out_file"},
    {"error_file", "error_file"},
    {"error", "error_file"},
    {"err", "error_file"},
    {"err_file", "error_file"},
    {"err_log", "error_file"},
    {"log_file", "log_file"},
    {"log", "log_file"},
    {"merge_logs", "merge_logs"},
    {"combine_logs", "merge_logs"},
    {"time", "time"},
    {"log_date_format", "log_date_format"},
    {"log_type", "log_type"},
    {"max_size", "max_size"},
    {"retain", "retain"},
    {"compress", "compress"},
    {"watch", "watch"},
    {"ignore_watch", "ignore_watch"},
    {"watch_delay", "watch_delay"},
    {"cron_restart", "cron_restart"},
    {"cron", "cron_restart"},
    {"max_memory_restart", "max_memory_restart"},
    {"uid", "uid"},
    {"user", "uid"},
    {"gid", "gid"},
});

// pm2 options about its Node.js agent, Keymetrics or Windows: meaningless here, and harmless
// to skip, so files carrying them still load. pid_file is in pm2's own example file; cxpm
// answers `cxpm pid <app>` instead of writing pid files.
constexpr auto kIgnoredKeys = std::to_array<std::string_view>({
    "vizion",
    "automation",
    "pmx",
    "io",
    "trace",
    "disable_trace",
    "v8",
    "event_loop_inspector",
    "deep_monitoring",
    "source_map_support",
    "disable_source_map_support",
    "windowsHide",
    "post_update",
    "kill_retry_time",
    "username",
    "pid_file",
    "pid",
});

// pm2 options that change behaviour cxpm does not have: skipping them would mislead.
struct Unsupported {
  std::string_view key;
  std::string_view hint;
};
constexpr auto kUnsupportedKeys = std::to_array<Unsupported>({
    {"filter_env", ""},
    {"namespace", ""},
    {"name_prefix", ""},
    {"append_env_to_name", ""},
    {"watch_options", "; use watch, ignore_watch and watch_delay"},
    {"disable_logs", "; set out_file and error_file to /dev/null instead"},
    {"force", ""},
    {"install_url", ""},
    {"execute_command", ""},
    {"write", ""},
});

constexpr std::string_view kAppsKey = "apps";
// pm2's deployment section: cxpm does not deploy, and the section does not affect apps.
constexpr std::string_view kDeployKey = "deploy";
// Top-level keys starting with "x-" are extension fields, as in docker compose: a place for
// YAML anchors that apps then merge in (`<<: *defaults`).
constexpr std::string_view kExtensionPrefix = "x-";
// YAML's merge key (`<<: *defaults`), which yaml-cpp leaves to the application.
constexpr std::string_view kMergeKey = "<<";

constexpr long long kMaxInstances = 1024;

constexpr std::string_view kDurationHint =
    "a number of milliseconds or a number with a unit (ms, s, m, h, d) like \"5s\"";
constexpr std::string_view kSizeHint =
    "a number of bytes or a number with a unit (K, M, G) like \"300M\"";

const std::string_view* find_option(std::string_view key) {
  for (const Spelling& spelling : kSpellings) {
    if (spelling.key == key) return &spelling.option;
  }
  return nullptr;
}

bool is_ignored(std::string_view key) {
  return std::find(kIgnoredKeys.begin(), kIgnoredKeys.end(), key) != kIgnoredKeys.end();
}

const Unsupported* find_unsupported(std::string_view key) {
  for (const Unsupported& unsupported : kUnsupportedKeys) {
    if (unsupported.key == key) return &unsupported;
  }
  return nullptr;
}

bool is_profile_key(std::string_view key) {
  return key.size() > 4 && key.starts_with("env_");
}

bool is_app_key(std::string_view key) {
  return find_option(key) || is_profile_key(key) || is_ignored(key) || find_unsupported(key);
}

// --- "did you mean" -------------------------------------------------------------------

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// "maxMemoryRestart" and "max-memory-restart" both become "max_memory_restart".
std::string to_snake_case(std::string_view key) {
  std::string result;
  for (char c : key) {
    if (std::isupper(static_cast<unsigned char>(c))) {
      if (!result.empty() && result.back() != '_') result += '_';
      result += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else {
      result += c == '-' ? '_' : c;
    }
  }
  return result;
}

std::string did_you_mean(std::string_view key, const std::vector<std::string_view>& candidates) {
  const std::string wanted = to_snake_case(key);
  if (is_profile_key(wanted)) return fmt::format("; did you mean '{}'?", wanted);
  std::string_view best;
  std::size_t best_distance = std::string_view::npos;
  for (std::string_view candidate : candidates) {
    std::size_t distance = edit_distance(wanted, candidate);
    // A truncated name ("max_memory") is as good a clue as a typo.
    if (wanted.size() >= 4 && candidate.starts_with(wanted)) {
      distance = std::min<std::size_t>(distance, 1);
    }
    if (distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  const std::size_t allowed = wanted.size() <= 4 ? 1 : 2;
  if (best_distance > allowed) return "";
  return fmt::format("; did you mean '{}'?", best);
}

std::vector<std::string_view> app_key_candidates() {
  std::vector<std::string_view> keys;
  for (const Spelling& spelling : kSpellings) keys.push_back(spelling.key);
  return keys;
}

// --- small text helpers -----------------------------------------------------------------

std::string lower(std::string_view text) {
  std::string result(text);
  for (char& c : result) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return result;
}

std::optional<long long> parse_integer(std::string_view text) {
  if (text.starts_with("+") && !text.starts_with("+-")) text.remove_prefix(1);
  return parse_whole<long long>(text);
}

// Splits a command line into words as a POSIX shell would, without expansions.
std::optional<std::vector<std::string>> split_shell_words(std::string_view text,
                                                          std::string* error) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == ' ' || c == '\t' || c == '\n') {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
      continue;
    }
    in_word = true;
    if (c == '\\') {
      if (i + 1 < text.size()) ++i;
      word += text[i];
    } else if (c == '\'') {
      const std::size_t end = text.find('\'', i + 1);
      if (end == std::string_view::npos) {
        *error = "unterminated single quote";
        return std::nullopt;
      }
      word += text.substr(i + 1, end - i - 1);
      i = end;
    } else if (c == '"') {
      ++i;
      for (; i < text.size() && text[i] != '"'; ++i) {
        // Inside double quotes a backslash escapes only the characters the shell lists.
        if (text[i] == '\\' && i + 1 < text.size() &&
            std::string_view("\"\\$`").find(text[i + 1]) != std::string_view::npos) {
          ++i;
        }
        word += text[i];
      }
      if (i == text.size()) {
        *error = "unterminated double quote";
        return std::nullopt;
      }
    } else {
      word += c;
    }
  }
  if (in_word) words.push_back(std::move(word));
  return words;
}

// The items of a sequence as nodes (yaml-cpp's iterators yield a proxy, not a Node).
std::vector<YAML::Node> items(const YAML::Node& sequence) {
  std::vector<YAML::Node> result;
  for (std::size_t i = 0; i < sequence.size(); ++i) result.push_back(sequence[i]);
  return result;
}

std::string describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Scalar:
      return fmt::format("\"{}\"", node.Scalar());
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a map";
    default:
      return "nothing";
  }
}

// Resolves `path` against `base`, expanding a leading "~" from HOME, without touching disk.
std::string resolve_path(std::string_view path, const std::string& base, const Environment& env) {
  std::filesystem::path result{std::string(path)};
  if (path == "~" || path.starts_with("~/")) {
    if (const auto home = env.find("HOME"); home != env.end()) {
      result =
          std::filesystem::path(home->second) / std::string(path.substr(path.size() > 1 ? 2 : 1));
    }
  }
  if (result.is_relative() && !base.empty()) result = std::filesystem::path(base) / result;
  std::string normal = result.lexically_normal().string();
  if (normal.size() > 1 && normal.back() == '/') normal.pop_back();
  return normal;
}

std::optional<std::string> normalize_signal(std::string_view text) {
  struct Signal {
    std::string_view name;
    int number;
  };
  static constexpr auto kSignals = std::to_array<Signal>({
      {"HUP", SIGHUP},   {"INT", SIGINT},       {"QUIT", SIGQUIT}, {"ILL", SIGILL},
      {"TRAP", SIGTRAP}, {"ABRT", SIGABRT},     {"BUS", SIGBUS},   {"FPE", SIGFPE},
      {"KILL", SIGKILL}, {"USR1", SIGUSR1},     {"SEGV", SIGSEGV}, {"USR2", SIGUSR2},
      {"PIPE", SIGPIPE}, {"ALRM", SIGALRM},     {"TERM", SIGTERM}, {"STKFLT", SIGSTKFLT},
      {"CHLD", SIGCHLD}, {"CONT", SIGCONT},     {"STOP", SIGSTOP}, {"TSTP", SIGTSTP},
      {"TTIN", SIGTTIN}, {"TTOU", SIGTTOU},     {"URG", SIGURG},   {"XCPU", SIGXCPU},
      {"XFSZ", SIGXFSZ}, {"VTALRM", SIGVTALRM}, {"PROF", SIGPROF}, {"WINCH", SIGWINCH},
      {"IO", SIGIO},     {"PWR", SIGPWR},       {"SYS", SIGSYS},
  });
  if (const auto number = parse_integer(text)) {
    for (const Signal& signal : kSignals) {
      if (signal.number == *number) return fmt::format("SIG{}", signal.name);
    }
    return std::nullopt;
  }
  std::string name = lower(text);
  if (name.starts_with("sig")) name.erase(0, 3);
  for (const Signal& signal : kSignals) {
    if (lower(signal.name) == name) return fmt::format("SIG{}", signal.name);
  }
  return std::nullopt;
}

// --- reading typed values with errors ------------------------------------------------------

struct Entry {
  std::string key;
  YAML::Node key_node;
  YAML::Node value;
};

class Reader {
 public:
  Reader(const EcosystemContext& context, std::vector<ConfigError>* errors)
      : context_(context), errors_(errors) {}

  const EcosystemContext& context() const { return context_; }
  // The caller's environment as the base every app of the file shares (copied once).
  const AppEnvironment::Base& shared_caller_env() {
    if (!shared_caller_env_)
      shared_caller_env_ = std::make_shared<const Environment>(context_.caller_env);
    return shared_caller_env_;
  }

  void error_at(const YAML::Mark& mark, std::string message) {
    ConfigError error{context_.file_name, 0, 0, std::move(message)};
    if (!mark.is_null()) {
      error.line = mark.line + 1;
      error.column = mark.column + 1;
    }
    errors_->push_back(std::move(error));
  }

  void error_at(const YAML::Node& node, std::string message) {
    error_at(node.Mark(), std::move(message));
  }

  // Points at the value, or at the key when the value is missing and has no place of its own.
  void error_at(const Entry& entry, std::string message) {
    const bool value_has_place =
        entry.value.IsDefined() && !entry.value.IsNull() && !entry.value.Mark().is_null();
    error_at(value_has_place ? entry.value : entry.key_node, std::move(message));
  }

  // The pairs of a map in order, with `<<` merges expanded (the map's own keys win) and
  // repeated keys reported: a repeated key is almost always an editing mistake.
  std::vector<Entry> entries(const YAML::Node& map, std::string_view what) {
    std::vector<YAML::Node> enclosing;
    return entries(map, what, enclosing);
  }

  std::optional<std::string> string_of(const Entry& entry) {
    if (!entry.value.IsScalar()) {
      error_at(entry,
               fmt::format("{}: expected a string, got {}", entry.key, describe(entry.value)));
      return std::nullopt;
    }
    return entry.value.Scalar();
  }

  std::optional<std::string> non_empty_string_of(const Entry& entry) {
    auto text = string_of(entry);
    if (text && text->empty()) {
      error_at(entry, fmt::format("{}: must not be empty", entry.key));
      return std::nullopt;
    }
    return text;
  }

  std::optional<bool> bool_of(const Entry& entry) {
    if (entry.value.IsScalar()) {
      const std::string word = lower(entry.value.Scalar());
      if (word == "true" || word == "yes" || word == "on") return true;
      if (word == "false" || word == "no" || word == "off") return false;
    }
    error_at(entry,
             fmt::format("{}: expected true or false, got {}", entry.key, describe(entry.value)));
    return std::nullopt;
  }

  std::optional<int> int_of(const Entry& entry, int min,
                            int max = std::numeric_limits<int>::max()) {
    const auto number = entry.value.IsScalar() ? parse_integer(entry.value.Scalar()) : std::nullopt;
    if (!number) {
      error_at(entry, fmt::format("{}: expected a whole number, got {}", entry.key,
                                  describe(entry.value)));
      return std::nullopt;
    }
    if (*number < min || *number > max) {
      error_at(entry, max == std::numeric_limits<int>::max()
                          ? fmt::format("{}: must be {} or more, got {}", entry.key, min, *number)
                          : fmt::format("{}: must be from {} to {}, got {}", entry.key, min, max,
                                        *number));
      return std::nullopt;
    }
    return static_cast<int>(*number);
  }

  std::optional<Milliseconds> duration_of(const Entry& entry) {
    if (entry.value.IsScalar()) {
      if (entry.value.Scalar().starts_with('-')) {
        error_at(entry, fmt::format("{}: must not be negative, got \"{}\"", entry.key,
                                    entry.value.Scalar()));
        return std::nullopt;
      }
      if (auto duration = parse_duration(entry.value.Scalar())) return duration;
    }
    error_at(entry, fmt::format("{}: expected a duration: {}, got {}", entry.key, kDurationHint,
                                describe(entry.value)));
    return std::nullopt;
  }

  std::optional<std::uint64_t> bytes_of(const Entry& entry) {
    if (entry.value.IsScalar()) {
      if (auto bytes = parse_bytes(entry.value.Scalar())) return bytes;
    }
    error_at(entry, fmt::format("{}: expected a size: {}, got {}", entry.key, kSizeHint,
                                describe(entry.value)));
    return std::nullopt;
  }

  // A list of strings, or a single string taken as one item.
  std::optional<std::vector<std::string>> strings_of(const Entry& entry) {
    if (entry.value.IsScalar()) return std::vector<std::string>{entry.value.Scalar()};
    return list_of(entry, "a string or a list of strings");
  }

  // A list of words, or a string split into words as a shell would (respecting quotes).
  std::optional<std::vector<std::string>> words_of(const Entry& entry) {
    if (entry.value.IsScalar()) {
      std::string problem;
      auto words = split_shell_words(entry.value.Scalar(), &problem);
      if (!words)
        error_at(entry, fmt::format("{}: {} in \"{}\"", entry.key, problem, entry.value.Scalar()));
      return words;
    }
    return list_of(entry, "a list of strings or a string of words");
  }

  std::optional<Environment> environment_of(const Entry& entry) {
    Environment env;
    if (entry.value.IsNull()) return env;  // `env:` with nothing under it
    if (!entry.value.IsMap()) {
      error_at(entry, fmt::format("{}: expected a map of variables (NAME: value), got {}",
                                  entry.key, describe(entry.value)));
      return std::nullopt;
    }
    bool ok = true;
    for (const Entry& variable : entries(entry.value, entry.key)) {
      if (variable.key.empty() || variable.key.find('=') != std::string::npos) {
        error_at(variable.key_node,
                 fmt::format("{}: \"{}\" is not a valid variable name", entry.key, variable.key));
        ok = false;
      } else if (variable.value.IsNull()) {
        env[variable.key] = "";
      } else if (variable.value.IsScalar()) {
        // YAML numbers and booleans arrive as the text that was written: exactly what the
        // app should see.
        env[variable.key] = variable.value.Scalar();
      } else {
        error_at(variable, fmt::format("{}.{}: expected a string, number or boolean, got {}",
                                       entry.key, variable.key, describe(variable.value)));
        ok = false;
      }
    }
    if (!ok) return std::nullopt;
    return env;
  }

 private:
  std::vector<Entry> entries(const YAML::Node& map, std::string_view what,
                             std::vector<YAML::Node>& enclosing) {
    enclosing.push_back(map);
    std::vector<Entry> result;
    std::vector<YAML::Node> merges;
    std::map<std::string, YAML::Mark> seen;
    for (const auto& pair : map) {
      if (pair.first.IsNull()) {
        error_at(pair.first, fmt::format("{}: a key is missing (a stray ',' or ':'?)", what));
        continue;
      }
      if (!pair.first.IsScalar()) {
        error_at(pair.first,
                 fmt::format("{}: keys must be plain names, got {}", what, describe(pair.first)));
        continue;
      }
      const std::string& key = pair.first.Scalar();
      if (key == kMergeKey) {
        merges.push_back(pair.second);
        continue;
      }
      if (const auto [it, inserted] = seen.emplace(key, pair.first.Mark()); !inserted) {
        error_at(pair.first, fmt::format("'{}' is given twice in {} (first at line {})", key, what,
                                         it->second.line + 1));
        continue;
      }
      result.push_back({key, pair.first, pair.second});
    }
    for (const YAML::Node& merge : merges) {
      std::vector<YAML::Node> sources;
      if (merge.IsMap()) sources.push_back(merge);
      if (merge.IsSequence()) sources = items(merge);
      if (sources.empty() || !std::all_of(sources.begin(), sources.end(),
                                          [](const YAML::Node& n) { return n.IsMap(); })) {
        error_at(merge, fmt::format("'<<' in {} expects a map or a list of maps, got {}", what,
                                    describe(merge)));
        continue;
      }
      for (const YAML::Node& source : sources) {
        // An alias may point back at a map that is merging it: that would never end.
        if (std::any_of(enclosing.begin(), enclosing.end(),
                        [&](const YAML::Node& node) { return node.is(source); })) {
          error_at(merge, fmt::format("'<<' in {} merges a map into itself", what));
          continue;
        }
        for (Entry& entry : entries(source, what, enclosing)) {
          if (seen.emplace(entry.key, entry.key_node.Mark()).second) {
            result.push_back(std::move(entry));
          }
        }
      }
    }
    enclosing.pop_back();
    return result;
  }

  std::optional<std::vector<std::string>> list_of(const Entry& entry, std::string_view expected) {
    if (!entry.value.IsSequence()) {
      error_at(entry,
               fmt::format("{}: expected {}, got {}", entry.key, expected, describe(entry.value)));
      return std::nullopt;
    }
    std::vector<std::string> items;
    bool ok = true;
    for (std::size_t i = 0; i < entry.value.size(); ++i) {
      const YAML::Node item = entry.value[i];
      if (item.IsScalar()) {
        items.push_back(item.Scalar());
      } else {
        error_at(item.Mark().is_null() ? entry.value : item,
                 fmt::format("{}[{}]: expected a string, got {}", entry.key, i, describe(item)));
        ok = false;
      }
    }
    if (!ok) return std::nullopt;
    return items;
  }

  const EcosystemContext& context_;
  std::vector<ConfigError>* errors_;
  AppEnvironment::Base shared_caller_env_;
};

// --- one app -------------------------------------------------------------------------------

struct ParsedApp {
  AppSpec spec;
  YAML::Mark name_mark;  // where the name was given, or the app itself when defaulted
  bool has_name = false;
  bool name_given = false;
};

class AppReader {
 public:
  // `position` counts apps from 1, to name an app that has no name in messages.
  AppReader(Reader& reader, const YAML::Node& node, std::size_t position)
      : reader_(reader), node_(node), position_(position) {}

  ParsedApp read() {
    ParsedApp app;
    app.name_mark = node_.Mark();
    collect_options();
    AppSpec& spec = app.spec;
    const EcosystemContext& context = reader_.context();

    if (const Entry* entry = find("script")) {
      if (auto script = reader_.non_empty_string_of(*entry)) spec.script = *script;
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

    spec.cwd = context.base_dir;
    if (const Entry* entry = find("cwd")) {
      if (auto cwd = reader_.non_empty_string_of(*entry)) {
        spec.cwd = resolve_path(*cwd, context.base_dir, context.caller_env);
      }
    }
    read_into("args", &Reader::words_of, spec.args);
    read_into("interpreter", &Reader::non_empty_string_of, spec.interpreter);
    read_into("interpreter_args", &Reader::words_of, spec.interpreter_args);

    read_instances(spec);
    read_exec_mode(spec);
    read_listen(spec);
    read_into("instance_var", &Reader::non_empty_string_of, spec.instance_var);
    read_into("increment_var", &Reader::non_empty_string_of, spec.increment_var);
    read_environment(spec);

    read_into("autorestart", &Reader::bool_of, spec.autorestart);
    read_into("autostart", &Reader::bool_of, spec.autostart);
    read_int("max_restarts", 0, spec.max_restarts);
    read_into("min_uptime", &Reader::duration_of, spec.min_uptime);
    read_into("restart_delay", &Reader::duration_of, spec.restart_delay);
    read_into("exp_backoff_restart_delay", &Reader::duration_of, spec.exp_backoff_restart_delay);
    read_stop_exit_codes(spec);
    read_int("restart_budget", 0, spec.restart_budget);
    read_into("restart_budget_window", &Reader::duration_of, spec.restart_budget_window);

    read_kill_signal(spec);
    read_into("kill_timeout", &Reader::duration_of, spec.kill_timeout);
    read_into("treekill", &Reader::bool_of, spec.treekill);
    read_into("shutdown_with_message", &Reader::bool_of, spec.shutdown_with_message);
    read_into("wait_ready", &Reader::bool_of, spec.wait_ready);
    read_into("listen_timeout", &Reader::duration_of, spec.listen_timeout);

    read_log_paths(spec);
    read_into("merge_logs", &Reader::bool_of, spec.merge_logs);
    read_into("time", &Reader::bool_of, spec.time);
    read_into("log_date_format", &Reader::string_of, spec.log_date_format);
    read_log_type(spec);
    read_into("max_size", &Reader::bytes_of, spec.max_size);
    read_int("retain", 0, spec.retain);
    read_into("compress", &Reader::bool_of, spec.compress);

    read_watch(spec);
    read_into("ignore_watch", &Reader::strings_of, spec.ignore_watch);
    read_into("watch_delay", &Reader::duration_of, spec.watch_delay);
    read_cron(spec);
    read_into("max_memory_restart", &Reader::bytes_of, spec.max_memory_restart);
    read_into("uid", &Reader::non_empty_string_of, spec.uid);
    read_into("gid", &Reader::non_empty_string_of, spec.gid);
    return app;
  }

 private:
  void collect_options() {
    static const std::vector<std::string_view> kCandidates = app_key_candidates();
    for (Entry& entry : reader_.entries(node_, "an app")) {
      if (is_profile_key(entry.key)) {
        profiles_.push_back(std::move(entry));
        continue;
      }
      if (is_ignored(entry.key)) continue;
      if (const Unsupported* unsupported = find_unsupported(entry.key)) {
        reader_.error_at(entry.key_node, fmt::format("'{}' is a pm2 option cxpm does not support{}",
                                                     entry.key, unsupported->hint));
        continue;
      }
      const std::string_view* option = find_option(entry.key);
      if (!option) {
        reader_.error_at(entry.key_node, fmt::format("unknown option '{}'{}", entry.key,
                                                     did_you_mean(entry.key, kCandidates)));
        continue;
      }
      const auto [it, inserted] = options_.emplace(*option, entry);
      if (!inserted) {
        reader_.error_at(entry.key_node,
                         fmt::format("'{}' and '{}' are the same option; give only one",
                                     it->second.key, entry.key));
      }
    }
  }

  const Entry* find(std::string_view option) const {
    const auto it = options_.find(option);
    return it == options_.end() ? nullptr : &it->second;
  }

  template <typename T, typename Field>
  void read_into(std::string_view option, std::optional<T> (Reader::*read)(const Entry&),
                 Field& field) {
    if (const Entry* entry = find(option)) {
      if (auto value = (reader_.*read)(*entry)) field = std::move(*value);
    }
  }

  void read_int(std::string_view option, int min, int& field) {
    if (const Entry* entry = find(option)) {
      if (auto value = reader_.int_of(*entry, min)) field = *value;
    }
  }

  void read_instances(AppSpec& spec) {
    const Entry* entry = find("instances");
    if (!entry) return;
    if (entry->value.IsScalar()) {
      const std::string& text = entry->value.Scalar();
      if (lower(text) == "max") {
        spec.instances = 0;
        return;
      }
      if (const auto number = parse_integer(text)) {
        // A bound well above any machine's CPUs catches a slipped digit before it forks.
        if (*number >= -kMaxInstances && *number <= kMaxInstances) {
          spec.instances = static_cast<int>(*number);
        } else {
          reader_.error_at(*entry, fmt::format("instances: must be from -{0} to {0}, got {1}",
                                               kMaxInstances, *number));
        }
        return;
      }
    }
    reader_.error_at(*entry, fmt::format("instances: expected a number, \"max\", or a negative "
                                         "number (CPUs minus n), got {}",
                                         describe(entry->value)));
  }

  void read_exec_mode(AppSpec& spec) {
    const Entry* entry = find("exec_mode");
    if (!entry) return;
    const std::string mode = entry->value.IsScalar() ? entry->value.Scalar() : "";
    if (mode == "fork" || mode == "fork_mode") {
      spec.exec_mode = ExecMode::kFork;
    } else if (mode == "cluster" || mode == "cluster_mode") {
      spec.exec_mode = ExecMode::kCluster;
    } else {
      reader_.error_at(*entry, fmt::format("exec_mode: expected \"fork\" or \"cluster\", got {}",
                                           describe(entry->value)));
    }
  }

  void read_listen(AppSpec& spec) {
    if (const Entry* entry = find("listen")) {
      if (auto addresses = reader_.strings_of(*entry)) {
        for (const std::string& address : *addresses) {
          std::string problem;
          if (parse_listen_address(address, &problem)) {
            spec.listen.push_back(address);
          } else {
            reader_.error_at(*entry, "listen: " + problem);
          }
        }
      }
    }
    if (const Entry* entry = find("port")) {
      if (auto port = reader_.int_of(*entry, 1, 65535)) {
        port_ = std::to_string(*port);
        if (std::find(spec.listen.begin(), spec.listen.end(), *port_) == spec.listen.end()) {
          spec.listen.push_back(*port_);
        }
      }
    }
    if (const Entry* entry = find("socket_mode")) {
      const std::string mode = entry->value.IsScalar() ? entry->value.Scalar() : "";
      if (mode == "shared") {
        spec.socket_mode = SocketMode::kShared;
      } else if (mode == "reuseport") {
        spec.socket_mode = SocketMode::kReuseport;
      } else {
        reader_.error_at(*entry,
                         fmt::format("socket_mode: expected \"shared\" or \"reuseport\", got {}",
                                     describe(entry->value)));
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

  void read_stop_exit_codes(AppSpec& spec) {
    const Entry* entry = find("stop_exit_codes");
    if (!entry) return;
    const auto codes = entry->value.IsScalar() ? std::optional(std::vector{entry->value.Scalar()})
                                               : reader_.strings_of(*entry);
    if (!codes) return;
    for (const std::string& text : *codes) {
      const auto code = parse_integer(text);
      if (!code || *code < 0 || *code > 255) {
        reader_.error_at(*entry, fmt::format("stop_exit_codes: expected exit codes from 0 to 255, "
                                             "got \"{}\"",
                                             text));
        return;
      }
      spec.stop_exit_codes.push_back(static_cast<int>(*code));
    }
  }

  void read_kill_signal(AppSpec& spec) {
    const Entry* entry = find("kill_signal");
    if (!entry) return;
    if (entry->value.IsScalar()) {
      if (auto signal = normalize_signal(entry->value.Scalar())) {
        spec.kill_signal = *signal;
        return;
      }
    }
    reader_.error_at(*entry, fmt::format("kill_signal: expected a signal name like \"SIGTERM\" or "
                                         "\"TERM\", or its number, got {}",
                                         describe(entry->value)));
  }

  // Relative log paths are relative to the app's cwd, as in pm2; "NULL" is pm2's /dev/null.
  std::string log_path(const std::string& path, const AppSpec& spec) {
    if (path == "NULL" || path == "/dev/null") return "/dev/null";
    return resolve_path(path, spec.cwd, reader_.context().caller_env);
  }

  void read_log_paths(AppSpec& spec) {
    std::string path;
    read_into("out_file", &Reader::non_empty_string_of, path);
    if (!path.empty()) spec.out_file = log_path(path, spec);
    path.clear();
    read_into("error_file", &Reader::non_empty_string_of, path);
    if (!path.empty()) spec.error_file = log_path(path, spec);

    const Entry* entry = find("log_file");
    if (!entry) return;
    const std::string word = entry->value.IsScalar() ? lower(entry->value.Scalar()) : "";
    if (word == "false") return;
    if (word == "true") {
      // pm2's `log_file: true`: the combined log at its default place. A relative path is
      // relative to $CXPM_HOME/logs (every path written in the file is made absolute).
      spec.log_file = spec.name + ".log";
      return;
    }
    if (auto file = reader_.non_empty_string_of(*entry)) spec.log_file = log_path(*file, spec);
  }

  void read_log_type(AppSpec& spec) {
    const Entry* entry = find("log_type");
    if (!entry) return;
    if (entry->value.IsScalar() && entry->value.Scalar() == "json") {
      spec.log_type = "json";
      return;
    }
    reader_.error_at(*entry, fmt::format("log_type: expected \"json\" (leave it out for plain "
                                         "text), got {}",
                                         describe(entry->value)));
  }

  void read_watch(AppSpec& spec) {
    const Entry* entry = find("watch");
    if (!entry) return;
    if (entry->value.IsScalar()) {
      const std::string word = lower(entry->value.Scalar());
      if (word == "false") return;
      if (word == "true") {
        spec.watch = {spec.cwd.empty() ? "." : spec.cwd};
        return;
      }
    }
    if (auto paths = reader_.strings_of(*entry)) {
      for (const std::string& path : *paths) {
        if (path.empty()) {
          reader_.error_at(*entry, "watch: paths must not be empty");
          return;
        }
        spec.watch.push_back(resolve_path(path, spec.cwd, reader_.context().caller_env));
      }
    }
  }

  void read_cron(AppSpec& spec) {
    const Entry* entry = find("cron_restart");
    if (!entry) return;
    auto pattern = reader_.string_of(*entry);
    if (!pattern || pattern->empty()) return;
    std::string problem;
    if (!CronSchedule::parse(*pattern, &problem)) {
      reader_.error_at(
          *entry, fmt::format("{}: bad cron pattern \"{}\": {}", entry->key, *pattern, problem));
      return;
    }
    spec.cron_restart = *pattern;
  }

  Reader& reader_;
  YAML::Node node_;
  std::size_t position_;
  std::map<std::string_view, Entry> options_;
  std::vector<Entry> profiles_;
  std::optional<std::string> port_;
};

// --- the file ------------------------------------------------------------------------------

// Finds the list of app maps in the three shapes pm2 accepts: {apps: [...]}, [...], or one app.
std::vector<YAML::Node> find_apps(Reader& reader, const YAML::Node& root) {
  if (root.IsSequence()) {
    if (root.size() == 0) reader.error_at(root, "the list of apps is empty; add at least one app");
    return items(root);
  }
  if (!root.IsMap()) {
    reader.error_at(
        root, fmt::format("expected a map with 'apps:' (a list of apps), got {}", describe(root)));
    return {};
  }
  std::vector<Entry> top = reader.entries(root, "the file");
  const auto apps = std::find_if(top.begin(), top.end(),
                                 [](const Entry& entry) { return entry.key == kAppsKey; });
  if (apps == top.end()) {
    if (std::any_of(top.begin(), top.end(),
                    [](const Entry& entry) { return is_app_key(entry.key); })) {
      return {root};  // a single app, as in some pm2 process.json files
    }
    std::vector<std::string_view> candidates = app_key_candidates();
    candidates.push_back(kAppsKey);
    for (const Entry& entry : top) {
      reader.error_at(entry.key_node, fmt::format("unknown option '{}'{}", entry.key,
                                                  did_you_mean(entry.key, candidates)));
    }
    if (top.empty()) reader.error_at(root, "expected 'apps:' with a list of apps");
    return {};
  }
  for (const Entry& entry : top) {
    if (entry.key == kAppsKey || entry.key == kDeployKey) continue;
    if (entry.key.starts_with(kExtensionPrefix)) continue;
    const std::string suggestion = did_you_mean(entry.key, {kAppsKey, kDeployKey});
    reader.error_at(entry.key_node,
                    fmt::format("unknown top-level key '{}'{}{}", entry.key, suggestion,
                                is_app_key(entry.key) ? " (app options go inside 'apps:')" : ""));
  }
  if (apps->value.IsMap()) return {apps->value};
  if (!apps->value.IsSequence()) {
    reader.error_at(*apps,
                    fmt::format("apps: expected a list of apps, got {}", describe(apps->value)));
    return {};
  }
  if (apps->value.size() == 0) {
    reader.error_at(*apps, "apps: the list is empty; add at least one app with a 'script'");
  }
  return items(apps->value);
}

// pm2 evaluates .json files as JavaScript, so real ones carry // and /* */ comments, and
// JSON allows tabs where YAML's indentation does not. Comments and tabs outside strings
// become spaces (newlines stay), so yaml-cpp reads the file and positions stay put.
void prepare_json(std::string& text) {
  enum class State { kCode, kString, kLineComment, kBlockComment };
  State state = State::kCode;
  char quote = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char& c = text[i];
    const char next = i + 1 < text.size() ? text[i + 1] : '\0';
    switch (state) {
      case State::kCode:
        if (c == '"' || c == '\'') {
          state = State::kString;
          quote = c;
        } else if (c == '/' && (next == '/' || next == '*')) {
          state = next == '/' ? State::kLineComment : State::kBlockComment;
          c = ' ';
          text[++i] = ' ';
        } else if (c == '\t') {
          c = ' ';
        }
        break;
      case State::kString:
        if (c == '\\') {
          ++i;
        } else if (c == quote) {
          state = State::kCode;
        }
        break;
      case State::kLineComment:
        if (c == '\n') {
          state = State::kCode;
        } else {
          c = ' ';
        }
        break;
      case State::kBlockComment:
        if (c == '*' && next == '/') {
          state = State::kCode;
          c = ' ';
          text[++i] = ' ';
        } else if (c != '\n') {
          c = ' ';
        }
        break;
    }
  }
}

void read_ecosystem(std::string_view text, const EcosystemContext& context, Ecosystem* result) {
  Reader reader(context, &result->errors);
  std::string source(text);
  if (const std::size_t start = source.find_first_not_of(" \t\r\n");
      start != std::string::npos && (source[start] == '{' || source[start] == '[')) {
    prepare_json(source);
  }
  YAML::Node root;
  try {
    root = YAML::Load(source);
  } catch (const YAML::Exception& error) {
    reader.error_at(error.mark, fmt::format("invalid YAML: {}", error.msg));
    return;
  }
  if (root.IsNull()) {
    reader.error_at(YAML::Mark(), "the file is empty; expected 'apps:' with a list of apps");
    return;
  }

  std::map<std::string, YAML::Mark> first_seen;
  const std::vector<YAML::Node> apps = find_apps(reader, root);
  for (std::size_t i = 0; i < apps.size(); ++i) {
    const YAML::Node& node = apps[i];
    if (!node.IsMap()) {
      reader.error_at(node,
                      fmt::format("each app must be a map of options, got {}", describe(node)));
      continue;
    }
    ParsedApp app = AppReader(reader, node, i + 1).read();
    if (app.has_name) {
      const auto [it, inserted] = first_seen.emplace(app.spec.name, app.name_mark);
      if (!inserted) {
        reader.error_at(app.name_mark,
                        fmt::format("duplicate app name '{}' (first defined at line {}){}",
                                    app.spec.name, it->second.line + 1,
                                    app.name_given ? ""
                                                   : "; it comes from the script: set 'name' "
                                                     "to tell the apps apart"));
      }
    }
    result->apps.push_back(std::move(app.spec));
  }
}

}  // namespace

Ecosystem parse_ecosystem(std::string_view text, const EcosystemContext& context) {
  Ecosystem result;
  try {
    read_ecosystem(text, context, &result);
  } catch (const std::exception& error) {
    // yaml-cpp documents few of its throws; a surprise must still become a message.
    result.errors.push_back(
        {context.file_name, 0, 0, fmt::format("cannot read: {}", error.what())});
  }
  if (!result.errors.empty()) {
    result.apps.clear();
    std::stable_sort(result.errors.begin(), result.errors.end(),
                     [](const ConfigError& a, const ConfigError& b) {
                       return std::pair(a.line, a.column) < std::pair(b.line, b.column);
                     });
    // A mistake in a map that several apps merge in is reported once.
    const auto same = [](const ConfigError& a, const ConfigError& b) {
      return a.line == b.line && a.column == b.column && a.message == b.message;
    };
    result.errors.erase(std::unique(result.errors.begin(), result.errors.end(), same),
                        result.errors.end());
  }
  return result;
}

}  // namespace cxpm
