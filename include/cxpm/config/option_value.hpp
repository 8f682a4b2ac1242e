#pragma once
// Reading, checking and showing the value of an app option (app_options.hpp), the same way for
// ecosystem files and start flags, so both accept exactly the same values; the wire mapping
// (protocol/) reads typed JSON and runs the same check.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cxpm/config/app_options.hpp"

namespace cxpm {

// A value as a person wrote it: a file's scalar, list or map, or a flag's text(s).
struct WrittenValue {
  enum class Shape { kNothing, kText, kList, kMap };
  Shape shape = Shape::kNothing;
  std::string text;                // kText
  std::vector<std::string> items;  // kList

  static WrittenValue of_text(std::string text) { return {Shape::kText, std::move(text), {}}; }
  static WrittenValue of_list(std::vector<std::string> items) {
    return {Shape::kList, {}, std::move(items)};
  }

  // For messages: "\"5 parsecs\"", "a list", "a map", "nothing".
  std::string shown() const;
};

struct ReadContext {
  std::string path_base;             // relative paths are relative to this
  const Environment* env = nullptr;  // HOME expands a leading "~"
};

// Reads `value` into the option's field of `spec`, then checks it (check_option). A problem is
// the words that follow "<key>: " in a message: "expected a duration: ..., got \"5 parsecs\"".
// kEnvironment and kPort have no single field to read into; their readers are the loader's.
std::optional<std::string> read_option(const OptionInfo& option, const WrittenValue& value,
                                       const ReadContext& context, AppSpec& spec);

// Checks the option's value in `spec`, whichever way it arrived, and puts it in its one form
// (a signal's name): a count within its range, a signal cxpm knows, a cron pattern that
// parses, addresses that parse. Empty text is the default and passes.
std::optional<std::string> check_option(const OptionInfo& option, AppSpec& spec);

// The option's value in `spec` for people: "1600 ms", "10.0 MiB", "yes", "a, b".
std::string format_option(const OptionInfo& option, const AppSpec& spec);

// The option's help with its default when that says something: "... (default 1600 ms)".
std::string option_help(const OptionInfo& option);

// `path` against `base`, with a leading "~" from HOME in `env`, without touching the disk.
std::string resolve_path(std::string_view path, const std::string& base, const Environment* env);

}  // namespace cxpm
