// Showing an option's value to people: `describe`'s sheet and the defaults in `start --help`.

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "cxpm/config/option_value.hpp"
#include "cxpm/config/units.hpp"

namespace cxpm {
namespace {

template <typename Field>
const Field& field_of(const OptionInfo& option, const AppSpec& spec) {
  return spec.*std::get<Field AppSpec::*>(option.field);
}

}  // namespace

std::string format_option(const OptionInfo& option, const AppSpec& spec) {
  return std::visit(
      [&](auto member) -> std::string {
        using Member = decltype(member);
        if constexpr (std::is_same_v<Member, std::monostate>) {
          return "";
        } else {
          const auto& value = spec.*member;
          using Value = std::decay_t<decltype(value)>;
          if constexpr (std::is_same_v<Value, bool>) {
            return value ? "yes" : "no";
          } else if constexpr (std::is_same_v<Value, Milliseconds>) {
            return fmt::format("{} ms", value.count());
          } else if constexpr (std::is_same_v<Value, std::uint64_t>) {
            return format_bytes(value);
          } else if constexpr (std::is_same_v<Value, int>) {
            if (option.type == OptionType::kInstances && value <= 0) {
              return value == 0 ? "max" : fmt::format("max {}", value);
            }
            return std::to_string(value);
          } else if constexpr (std::is_same_v<Value, ExecMode> ||
                               std::is_same_v<Value, SocketMode>) {
            return to_string(value);
          } else if constexpr (std::is_same_v<Value, AppEnvironment>) {
            return fmt::format("{} variables", value.merged().size());
          } else if constexpr (std::is_same_v<Value, std::string>) {
            return value;
          } else if constexpr (std::is_same_v<Value, std::vector<Dependency>>) {
            std::string text;
            for (const Dependency& dependency : value) {
              text += fmt::format("{}{} ({})", text.empty() ? "" : ", ", dependency.app,
                                  to_string(dependency.condition));
            }
            return text;
          } else {
            return fmt::format("{}", fmt::join(value, ", "));
          }
        }
      },
      option.field);
}

std::string option_help(const OptionInfo& option) {
  std::string help(option.help);
  switch (option.type) {
    case OptionType::kSize:
      if (AppSpec{}.*std::get<std::uint64_t AppSpec::*>(option.field) == 0) break;  // off
      [[fallthrough]];
    case OptionType::kCount:
    case OptionType::kDuration:
    case OptionType::kSignal:
      if (help.find("default") == std::string::npos) {
        help += fmt::format(" (default {})", format_option(option, AppSpec{}));
      }
      break;
    default:
      break;
  }
  return help;
}

}  // namespace cxpm
