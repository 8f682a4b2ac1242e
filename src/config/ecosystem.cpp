#include "cxpm/config/ecosystem.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "cxpm/config/app_keys.hpp"
#include "cxpm/config/app_reader.hpp"
#include "cxpm/config/dependency_check.hpp"
#include "cxpm/config/notify_entries.hpp"

// The file's shapes: {apps: [...]}, a list of apps, or one app; pm2's JSON with comments; and
// the checks that span apps (one name each).

namespace cxpm {

std::string ConfigError::format() const {
  std::string where = file.empty() ? "ecosystem" : file;
  if (line > 0) where += fmt::format(":{}", line);
  if (line > 0 && column > 0) where += fmt::format(":{}", column);
  return fmt::format("{}: {}", where, message);
}

namespace {

constexpr std::string_view kAppsKey = "apps";
// pm2's deployment section: cxpm does not deploy, and the section does not affect apps.
constexpr std::string_view kDeployKey = "deploy";
// Top-level keys starting with "x-" are extension fields, as in docker compose: a place for
// YAML anchors that apps then merge in (`<<: *defaults`).
constexpr std::string_view kExtensionPrefix = "x-";

// Finds the list of app maps in the three shapes pm2 accepts: {apps: [...]}, [...], or one app.
// `notify` is set to the top level's `notify:` (the file's apps' notifications) when it has one.
std::vector<YAML::Node> find_apps(YamlReader& reader, const YAML::Node& root,
                                  std::optional<Entry>* notify) {
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
    if (entry.key == kNotifyKey) {
      *notify = entry;
      continue;
    }
    if (entry.key.starts_with(kExtensionPrefix)) continue;
    const std::string suggestion = did_you_mean(entry.key, {kAppsKey, kDeployKey, kNotifyKey});
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

// "app 2 'api'": how an evaluated file's errors say which app they are about.
std::string app_label(const YAML::Node& app, std::size_t position) {
  const std::string label = fmt::format("app {}", position);
  // A key the map lacks is an invalid node: asked for its type, it throws.
  if (const YAML::Node name = app["name"]; name.IsDefined() && name.IsScalar()) {
    return label + fmt::format(" '{}'", name.Scalar());
  }
  if (const YAML::Node script = app["script"]; script.IsDefined() && script.IsScalar()) {
    return label + fmt::format(" (script '{}')", script.Scalar());
  }
  return label;
}

void read_ecosystem(std::string_view text, const EcosystemContext& context, Ecosystem* result) {
  YamlReader reader(context, &result->errors);
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
  std::vector<std::vector<YAML::Mark>> dependency_marks;
  std::vector<std::size_t> positions;  // of result->apps' entries among the file's apps
  std::optional<Entry> notify;
  const std::vector<YAML::Node> apps = find_apps(reader, root, &notify);
  std::optional<NotifyDefaults> file_notify;
  if (notify) {
    file_notify = NotifyDefaults{notify_entries(reader, *notify), notify->value};
    if (file_notify->entries.empty()) file_notify.reset();
  }
  for (std::size_t i = 0; i < apps.size(); ++i) {
    const YAML::Node& node = apps[i];
    if (!node.IsMap()) {
      reader.error_at(node,
                      fmt::format("each app must be a map of options, got {}", describe(node)));
      continue;
    }
    if (context.evaluated) reader.set_app_label(app_label(node, i + 1));
    ParsedApp app = read_app(reader, node, i + 1, file_notify ? &*file_notify : nullptr);
    reader.set_app_label("");
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
    dependency_marks.push_back(std::move(app.dependency_marks));
    positions.push_back(i);
  }
  // Across apps: what each depends on is in the file, and there is an order to start them in.
  for (const DependencyProblem& problem :
       dependency_problems(result->apps, nullptr, "in this file")) {
    const std::size_t position = positions[problem.app];
    if (context.evaluated) reader.set_app_label(app_label(apps[position], position + 1));
    reader.error_at(dependency_marks[problem.app][problem.dependency], problem.message);
    reader.set_app_label("");
  }
  result->warnings = reader.take_warnings();
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
