#include "cxpm/config/yaml_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "cxpm/core/parse_number.hpp"

namespace cxpm {
namespace {

// YAML's merge key (`<<: *defaults`), which yaml-cpp leaves to the application.
constexpr std::string_view kMergeKey = "<<";

}  // namespace

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

const AppEnvironment::Base& YamlReader::shared_caller_env() {
  if (!shared_caller_env_) {
    shared_caller_env_ = std::make_shared<const Environment>(context_.caller_env);
  }
  return shared_caller_env_;
}

void YamlReader::error_at(const YAML::Mark& mark, std::string message) {
  if (context_.evaluated) {
    // No position to show: the app, by index and name, says where.
    errors_->push_back({context_.file_name, 0, 0,
                        app_label_.empty() ? std::move(message) : app_label_ + ": " + message});
    return;
  }
  ConfigError error{context_.file_name, 0, 0, std::move(message)};
  if (!mark.is_null()) {
    error.line = mark.line + 1;
    error.column = mark.column + 1;
  }
  errors_->push_back(std::move(error));
}

void YamlReader::warn_at(const YAML::Node& node, std::string message) {
  ConfigError warning{context_.file_name, 0, 0, std::move(message)};
  if (const YAML::Mark mark = node.Mark(); !mark.is_null()) {
    warning.line = mark.line + 1;
    warning.column = mark.column + 1;
  }
  warnings_.push_back(std::move(warning));
}

void YamlReader::error_at(const YAML::Node& node, std::string message) {
  error_at(node.Mark(), std::move(message));
}

void YamlReader::error_at(const Entry& entry, std::string message) {
  const bool value_has_place =
      entry.value.IsDefined() && !entry.value.IsNull() && !entry.value.Mark().is_null();
  error_at(value_has_place ? entry.value : entry.key_node, std::move(message));
}

std::vector<Entry> YamlReader::entries(const YAML::Node& map, std::string_view what) {
  std::vector<YAML::Node> enclosing;
  return entries(map, what, enclosing);
}

std::vector<Entry> YamlReader::entries(const YAML::Node& map, std::string_view what,
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

std::optional<WrittenValue> YamlReader::written_value_of(const Entry& entry) {
  const YAML::Node& value = entry.value;
  if (value.IsScalar()) return WrittenValue::of_text(value.Scalar());
  if (value.IsMap()) return WrittenValue{WrittenValue::Shape::kMap, {}, {}};
  if (!value.IsSequence()) return WrittenValue{};
  std::vector<std::string> texts;
  bool ok = true;
  for (std::size_t i = 0; i < value.size(); ++i) {
    const YAML::Node item = value[i];
    if (item.IsScalar()) {
      texts.push_back(item.Scalar());
    } else {
      error_at(item.Mark().is_null() ? value : item,
               fmt::format("{}[{}]: expected a string, got {}", entry.key, i, describe(item)));
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return WrittenValue::of_list(std::move(texts));
}

void YamlReader::read_option_entry(const OptionInfo& option, const Entry& entry,
                                   const ReadContext& read_context, AppSpec& spec) {
  const auto value = written_value_of(entry);
  if (!value) return;
  if (auto problem = read_option(option, *value, read_context, spec)) {
    error_at(entry, fmt::format("{}: {}", entry.key, *problem));
  }
}

std::optional<std::string> YamlReader::string_of(const Entry& entry) {
  if (!entry.value.IsScalar()) {
    error_at(entry, fmt::format("{}: expected a string, got {}", entry.key, describe(entry.value)));
    return std::nullopt;
  }
  return entry.value.Scalar();
}

std::optional<int> YamlReader::int_of(const Entry& entry, int min, int max) {
  std::optional<long long> number;
  if (entry.value.IsScalar()) {
    std::string_view text = entry.value.Scalar();
    if (text.starts_with("+") && !text.starts_with("+-")) text.remove_prefix(1);
    number = parse_whole<long long>(text);
  }
  if (!number) {
    error_at(entry,
             fmt::format("{}: expected a whole number, got {}", entry.key, describe(entry.value)));
    return std::nullopt;
  }
  if (*number < min || *number > max) {
    error_at(entry, fmt::format("{}: must be from {} to {}, got {}", entry.key, min, max, *number));
    return std::nullopt;
  }
  return static_cast<int>(*number);
}

std::optional<Environment> YamlReader::environment_of(const Entry& entry) {
  Environment env;
  if (entry.value.IsNull()) return env;  // `env:` with nothing under it
  if (!entry.value.IsMap()) {
    error_at(entry, fmt::format("{}: expected a map of variables (NAME: value), got {}", entry.key,
                                describe(entry.value)));
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
      // YAML numbers and booleans arrive as the text that was written: exactly what the app
      // should see.
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

}  // namespace cxpm
