#pragma once
// Reading an ecosystem file's YAML nodes with errors at file:line:column: the pairs of a map
// (with `<<` merges and repeated keys), and values as written (option_value.hpp reads them).

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cxpm/config/ecosystem.hpp"
#include "cxpm/config/option_value.hpp"

namespace cxpm {

// One pair of a map.
struct Entry {
  std::string key;
  YAML::Node key_node;
  YAML::Node value;
};

// The items of a sequence as nodes (yaml-cpp's iterators yield a proxy, not a Node).
std::vector<YAML::Node> items(const YAML::Node& sequence);

// For messages: "\"text\"", "a list", "a map", "nothing".
std::string describe(const YAML::Node& node);

class YamlReader {
 public:
  YamlReader(const EcosystemContext& context, std::vector<ConfigError>* errors)
      : context_(context), errors_(errors) {}

  const EcosystemContext& context() const { return context_; }
  // The caller's environment as the base every app of the file shares (copied once).
  const AppEnvironment::Base& shared_caller_env();

  void error_at(const YAML::Mark& mark, std::string message);
  // For an evaluated file: the app the errors that follow are in ("app 2 'api'"); "" after.
  void set_app_label(std::string label) { app_label_ = std::move(label); }
  void error_at(const YAML::Node& node, std::string message);
  // Points at the value, or at the key when the value is missing and has no place of its own.
  void error_at(const Entry& entry, std::string message);
  // Something the file asks that has no effect: said, but the file is used.
  void warn_at(const YAML::Node& node, std::string message);
  std::vector<ConfigError> take_warnings() { return std::move(warnings_); }

  // The pairs of a map in order, with `<<` merges expanded (the map's own keys win) and
  // repeated keys reported: a repeated key is almost always an editing mistake.
  std::vector<Entry> entries(const YAML::Node& map, std::string_view what);

  // The value as written; a list's items must be scalars (each other item is reported where
  // it is).
  std::optional<WrittenValue> written_value_of(const Entry& entry);

  // Reads the entry into the option's field, reporting a problem at the entry.
  void read_option_entry(const OptionInfo& option, const Entry& entry,
                         const ReadContext& read_context, AppSpec& spec);

  std::optional<std::string> string_of(const Entry& entry);
  std::optional<int> int_of(const Entry& entry, int min, int max);
  std::optional<Environment> environment_of(const Entry& entry);

 private:
  std::vector<Entry> entries(const YAML::Node& map, std::string_view what,
                             std::vector<YAML::Node>& enclosing);

  const EcosystemContext& context_;
  std::vector<ConfigError>* errors_;
  std::vector<ConfigError> warnings_;
  AppEnvironment::Base shared_caller_env_;
  std::string app_label_;
};

}  // namespace cxpm
