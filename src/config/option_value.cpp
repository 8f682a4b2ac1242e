#include "cxpm/config/option_value.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <stdexcept>

#include "cxpm/config/app_name.hpp"
#include "cxpm/config/cron.hpp"
#include "cxpm/config/listen_address.hpp"
#include "cxpm/config/shell_words.hpp"
#include "cxpm/config/units.hpp"
#include "cxpm/core/parse_number.hpp"
#include "cxpm/core/signal_names.hpp"

namespace cxpm {
namespace {

using T = OptionType;
using Problem = std::optional<std::string>;

constexpr long long kMaxInstances = 1024;
constexpr std::string_view kDurationHint =
    "a number of milliseconds or a number with a unit (ms, s, m, h, d) like \"5s\"";
constexpr std::string_view kSizeHint =
    "a number of bytes or a number with a unit (K, M, G) like \"300M\"";
constexpr std::string_view kSignalHint =
    "a signal name like \"SIGTERM\" or \"TERM\", or its number";

std::string lower(std::string_view text) {
  std::string result(text);
  for (char& c : result) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return result;
}

// A whole number, "+5" included, as YAML writes them.
std::optional<long long> parse_integer(std::string_view text) {
  if (text.starts_with("+") && !text.starts_with("+-")) text.remove_prefix(1);
  return parse_whole<long long>(text);
}

template <typename Field>
Field& field_of(const OptionInfo& option, AppSpec& spec) {
  return spec.*std::get<Field AppSpec::*>(option.field);
}

template <typename Field>
const Field& field_of(const OptionInfo& option, const AppSpec& spec) {
  return spec.*std::get<Field AppSpec::*>(option.field);
}

std::string expected(const OptionInfo& option, std::string_view own, std::string_view got) {
  return fmt::format("expected {}, got {}", option.expected.empty() ? own : option.expected, got);
}

std::string in_quotes(std::string_view text) {
  return fmt::format("\"{}\"", text);
}

Problem range_problem(const OptionInfo& option, long long number) {
  if (option.type == T::kInstances) {
    // A bound well above any machine's CPUs catches a slipped digit before it forks.
    if (number >= -kMaxInstances && number <= kMaxInstances) return std::nullopt;
    return fmt::format("must be from -{0} to {0}, got {1}", kMaxInstances, number);
  }
  if (number >= option.min && number <= option.max) return std::nullopt;
  if (option.min == 0 && number < 0) return fmt::format("must not be negative, got {}", number);
  if (option.max == INT_MAX) return fmt::format("must be {} or more, got {}", option.min, number);
  return fmt::format("must be from {} to {}, got {}", option.min, option.max, number);
}

// The value's items: a list's, or one text as a list of one.
std::optional<std::vector<std::string>> strings_of(const WrittenValue& value) {
  if (value.shape == WrittenValue::Shape::kText) return std::vector{value.text};
  if (value.shape == WrittenValue::Shape::kList) return value.items;
  return std::nullopt;
}

std::string log_path(const std::string& path, const ReadContext& context) {
  if (path == "NULL" || path == "/dev/null") return "/dev/null";
  return resolve_path(path, context.path_base, context.env);
}

bool is_text_type(OptionType type) {
  switch (type) {
    case T::kAppName:
    case T::kScript:
    case T::kText:
    case T::kNonEmpty:
    case T::kPath:
    case T::kLogPath:
    case T::kCron:
      return true;
    default:
      return false;
  }
}

// Options whose value is one text of a string field.
Problem read_text(const OptionInfo& option, const std::string& text, const ReadContext& context,
                  AppSpec& spec) {
  std::string& field = field_of<std::string>(option, spec);
  const bool may_be_empty = option.type == T::kText || option.type == T::kCron;
  if (text.empty() && !may_be_empty && option.type != T::kAppName) return "must not be empty";
  switch (option.type) {
    case T::kPath:
      field = resolve_path(text, context.path_base, context.env);
      break;
    case T::kLogPath:
      field = log_path(text, context);
      break;
    default:
      field = text;
  }
  return std::nullopt;
}

Problem read_list(const OptionInfo& option, const WrittenValue& value, const ReadContext& context,
                  AppSpec& spec) {
  auto items = strings_of(value);
  if (option.type == T::kWords) {
    if (value.shape == WrittenValue::Shape::kText) {
      std::string problem;
      items = split_shell_words(value.text, &problem);
      if (!items) return fmt::format("{} in {}", problem, in_quotes(value.text));
    } else if (!items) {
      return expected(option, "a list of strings or a string of words", value.shown());
    }
  }
  if (!items) return expected(option, "a string or a list of strings", value.shown());
  if (option.type == T::kExitCodes) {
    std::vector<int> codes;
    for (const std::string& text : *items) {
      const auto code = parse_integer(text);
      if (!code || *code < 0 || *code > 255) {
        return fmt::format("expected exit codes from 0 to 255, got {}", in_quotes(text));
      }
      codes.push_back(static_cast<int>(*code));
    }
    field_of<std::vector<int>>(option, spec) = std::move(codes);
    return std::nullopt;
  }
  if (option.type == T::kWatch) {
    for (std::string& path : *items) {
      if (path.empty()) return "paths must not be empty";
      path = resolve_path(path, context.path_base, context.env);
    }
  }
  field_of<std::vector<std::string>>(option, spec) = std::move(*items);
  return std::nullopt;
}

Problem read_scalar(const OptionInfo& option, const std::string& text, const ReadContext& context,
                    AppSpec& spec) {
  const std::string word = lower(text);
  switch (option.type) {
    case T::kBool:
      if (word == "true" || word == "yes" || word == "on") {
        field_of<bool>(option, spec) = true;
      } else if (word == "false" || word == "no" || word == "off") {
        field_of<bool>(option, spec) = false;
      } else {
        return expected(option, "true or false", in_quotes(text));
      }
      return std::nullopt;
    case T::kCount:
    case T::kInstances: {
      if (option.type == T::kInstances && word == "max") {
        field_of<int>(option, spec) = 0;
        return std::nullopt;
      }
      const auto number = parse_integer(text);
      if (!number) {
        return expected(option,
                        option.type == T::kInstances
                            ? "a number, \"max\", or a negative number (CPUs minus n)"
                            : "a whole number",
                        in_quotes(text));
      }
      if (auto problem = range_problem(option, *number)) return problem;
      field_of<int>(option, spec) = static_cast<int>(*number);
      return std::nullopt;
    }
    case T::kDuration:
      if (text.starts_with('-'))
        return fmt::format("must not be negative, got {}", in_quotes(text));
      if (auto duration = parse_duration(text)) {
        field_of<Milliseconds>(option, spec) = *duration;
        return std::nullopt;
      }
      return fmt::format("expected a duration: {}, got {}", kDurationHint, in_quotes(text));
    case T::kSize:
      if (auto bytes = parse_bytes(text)) {
        field_of<std::uint64_t>(option, spec) = *bytes;
        return std::nullopt;
      }
      return fmt::format("expected a size: {}, got {}", kSizeHint, in_quotes(text));
    case T::kExecMode:
      if (text == "fork" || text == "fork_mode") {
        field_of<ExecMode>(option, spec) = ExecMode::kFork;
      } else if (text == "cluster" || text == "cluster_mode") {
        field_of<ExecMode>(option, spec) = ExecMode::kCluster;
      } else {
        return expected(option, "\"fork\" or \"cluster\"", in_quotes(text));
      }
      return std::nullopt;
    case T::kSocketMode:
      if (text == "shared") {
        field_of<SocketMode>(option, spec) = SocketMode::kShared;
      } else if (text == "reuseport") {
        field_of<SocketMode>(option, spec) = SocketMode::kReuseport;
      } else {
        return expected(option, "\"shared\" or \"reuseport\"", in_quotes(text));
      }
      return std::nullopt;
    case T::kChoice:
      if (std::ranges::find(option.choices, text) == option.choices.end() || text.empty()) {
        return expected(option, "one of its words", in_quotes(text));
      }
      field_of<std::string>(option, spec) = text;
      return std::nullopt;
    case T::kSignal:
      field_of<std::string>(option, spec) = text;
      return std::nullopt;
    case T::kCombinedLog:
      if (word == "false") return std::nullopt;
      if (text.empty()) return "must not be empty";
      // pm2's `log_file: true`: the combined log at its default place. A relative path is
      // relative to $CXPM_HOME/logs (every path written in the file is made absolute).
      field_of<std::string>(option, spec) =
          word == "true" ? spec.name + ".log" : log_path(text, context);
      return std::nullopt;
    case T::kWatch:
      if (word == "false") return std::nullopt;
      if (word == "true") {
        field_of<std::vector<std::string>>(option, spec) = {spec.cwd.empty() ? "." : spec.cwd};
        return std::nullopt;
      }
      return read_list(option, WrittenValue::of_text(text), context, spec);
    default:
      return read_list(option, WrittenValue::of_text(text), context, spec);
  }
}

std::string own_expected(OptionType type) {
  switch (type) {
    case T::kBool:
      return "true or false";
    case T::kCount:
      return "a whole number";
    case T::kInstances:
      return "a number, \"max\", or a negative number (CPUs minus n)";
    case T::kDuration:
      return fmt::format("a duration: {}", kDurationHint);
    case T::kSize:
      return fmt::format("a size: {}", kSizeHint);
    case T::kSignal:
      return std::string(kSignalHint);
    case T::kWatch:
      return "a string or a list of strings";
    default:
      return "a string";
  }
}

}  // namespace

std::string WrittenValue::shown() const {
  switch (shape) {
    case Shape::kText:
      return in_quotes(text);
    case Shape::kList:
      return "a list";
    case Shape::kMap:
      return "a map";
    case Shape::kNothing:
      break;
  }
  return "nothing";
}

Problem read_option(const OptionInfo& option, const WrittenValue& value, const ReadContext& context,
                    AppSpec& spec) {
  if (option.type == T::kEnvironment || option.type == T::kPort ||
      option.type == T::kDependencies) {
    throw std::logic_error(std::string(option.name) + " is read by the ecosystem loader");
  }
  // Lists, and watch's paths (its words true and false are scalars).
  const bool list_type = option.type == T::kStrings || option.type == T::kWords ||
                         option.type == T::kExitCodes || option.type == T::kListen ||
                         (option.type == T::kWatch && value.shape == WrittenValue::Shape::kList);
  if (value.shape != WrittenValue::Shape::kText && !list_type) {
    return expected(option, own_expected(option.type), value.shown());
  }
  Problem problem = list_type                   ? read_list(option, value, context, spec)
                    : is_text_type(option.type) ? read_text(option, value.text, context, spec)
                                                : read_scalar(option, value.text, context, spec);
  if (problem) return problem;
  return check_option(option, spec);
}

Problem check_option(const OptionInfo& option, AppSpec& spec) {
  switch (option.type) {
    case T::kAppName:
      return app_name_problem(field_of<std::string>(option, spec));
    case T::kScript:
      if (field_of<std::string>(option, spec).empty()) return "required";
      return std::nullopt;
    case T::kChoice: {
      const std::string& text = field_of<std::string>(option, spec);
      if (text.empty() || std::ranges::find(option.choices, text) != option.choices.end()) {
        return std::nullopt;
      }
      return expected(option, "one of its words", in_quotes(text));
    }
    case T::kCount:
    case T::kInstances:
      return range_problem(option, field_of<int>(option, spec));
    case T::kDuration:
      if (const auto count = field_of<Milliseconds>(option, spec).count(); count < 0) {
        return fmt::format("must not be negative, got {}", count);
      }
      return std::nullopt;
    case T::kExitCodes:
      for (int code : field_of<std::vector<int>>(option, spec)) {
        if (code < 0 || code > 255) {
          return fmt::format("expected exit codes from 0 to 255, got \"{}\"", code);
        }
      }
      return std::nullopt;
    case T::kListen:
      for (const std::string& address : field_of<std::vector<std::string>>(option, spec)) {
        std::string problem;
        if (!parse_listen_address(address, &problem)) return problem;
      }
      return std::nullopt;
    case T::kSignal: {
      std::string& name = field_of<std::string>(option, spec);
      const auto canonical = canonical_signal_name(name);
      if (!canonical) return expected(option, kSignalHint, in_quotes(name));
      name = *canonical;
      return std::nullopt;
    }
    case T::kDependencies:
      for (const Dependency& dependency : field_of<std::vector<Dependency>>(option, spec)) {
        if (auto problem = app_name_problem(dependency.app)) {
          return fmt::format("'{}': {}", dependency.app, *problem);
        }
      }
      return std::nullopt;
    case T::kCron: {
      const std::string& pattern = field_of<std::string>(option, spec);
      std::string problem;
      if (pattern.empty() || CronSchedule::parse(pattern, &problem)) return std::nullopt;
      return fmt::format("bad cron pattern \"{}\": {}", pattern, problem);
    }
    default:
      return std::nullopt;
  }
}

std::string resolve_path(std::string_view path, const std::string& base, const Environment* env) {
  std::filesystem::path result{std::string(path)};
  if (env && (path == "~" || path.starts_with("~/"))) {
    if (const auto home = env->find("HOME"); home != env->end()) {
      result =
          std::filesystem::path(home->second) / std::string(path.substr(path.size() > 1 ? 2 : 1));
    }
  }
  if (result.is_relative() && !base.empty()) result = std::filesystem::path(base) / result;
  std::string normal = result.lexically_normal().string();
  if (normal.size() > 1 && normal.back() == '/') normal.pop_back();
  return normal;
}

}  // namespace cxpm
