#include "cxpm/config/command.hpp"

#include <array>
#include <utility>

namespace cxpm {
namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 9> kInterpreters{{
    {".js", "node"},
    {".mjs", "node"},
    {".cjs", "node"},
    {".py", "python3"},
    {".sh", "bash"},
    {".bash", "bash"},
    {".rb", "ruby"},
    {".pl", "perl"},
    {".php", "php"},
}};

std::string_view base_name(std::string_view path) {
  const auto slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

}  // namespace

std::optional<std::string> interpreter_for(std::string_view script) {
  const std::string_view name = base_name(script);
  const auto dot = name.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return std::nullopt;
  const std::string_view extension = name.substr(dot);
  for (const auto& [known, interpreter] : kInterpreters) {
    if (known == extension) return std::string(interpreter);
  }
  return std::nullopt;
}

std::vector<std::string> command_argv(const AppSpec& spec) {
  std::vector<std::string> argv;
  std::optional<std::string> interpreter;
  if (spec.interpreter == "none") {
    interpreter.reset();
  } else if (!spec.interpreter.empty()) {
    interpreter = spec.interpreter;
  } else {
    interpreter = interpreter_for(spec.script);
  }
  if (interpreter) {
    argv.push_back(*interpreter);
    argv.insert(argv.end(), spec.interpreter_args.begin(), spec.interpreter_args.end());
  }
  argv.push_back(spec.script);
  argv.insert(argv.end(), spec.args.begin(), spec.args.end());
  return argv;
}

void make_shell_command(AppSpec& spec) {
  spec.interpreter = "bash";
  spec.interpreter_args = {"-c"};
}

std::string default_app_name(std::string_view script) {
  const auto space = script.find(' ');
  if (space != std::string_view::npos) return std::string(base_name(script.substr(0, space)));
  std::string_view name = base_name(script);
  if (const auto dot = name.rfind('.'); dot != std::string_view::npos && dot > 0) {
    name = name.substr(0, dot);
  }
  return std::string(name);
}

}  // namespace cxpm
