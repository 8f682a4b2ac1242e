#include "cxpm/sys/signals.hpp"

#include <signal.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <utility>

#include "cxpm/core/parse_number.hpp"

namespace cxpm {
namespace {

constexpr std::array<std::pair<std::string_view, int>, 22> kSignals{{
    {"HUP", SIGHUP},   {"INT", SIGINT},     {"QUIT", SIGQUIT}, {"ILL", SIGILL},   {"TRAP", SIGTRAP},
    {"ABRT", SIGABRT}, {"BUS", SIGBUS},     {"FPE", SIGFPE},   {"KILL", SIGKILL}, {"USR1", SIGUSR1},
    {"SEGV", SIGSEGV}, {"USR2", SIGUSR2},   {"PIPE", SIGPIPE}, {"ALRM", SIGALRM}, {"TERM", SIGTERM},
    {"CHLD", SIGCHLD}, {"CONT", SIGCONT},   {"STOP", SIGSTOP}, {"TSTP", SIGTSTP}, {"TTIN", SIGTTIN},
    {"TTOU", SIGTTOU}, {"WINCH", SIGWINCH},
}};

}  // namespace

std::optional<int> signal_from_name(std::string_view name) {
  if (const std::optional<int> number = parse_whole<int>(name)) {
    if (*number > 0 && *number < NSIG) return number;
    return std::nullopt;
  }
  std::string upper(name);
  std::ranges::transform(upper, upper.begin(), [](unsigned char c) { return std::toupper(c); });
  std::string_view bare = upper;
  if (bare.starts_with("SIG")) bare.remove_prefix(3);
  for (const auto& [signal_text, signal_number] : kSignals) {
    if (signal_text == bare) return signal_number;
  }
  return std::nullopt;
}

std::string signal_name(int signal_number) {
  for (const auto& [signal_text, number] : kSignals) {
    if (number == signal_number) return "SIG" + std::string(signal_text);
  }
  return "signal " + std::to_string(signal_number);
}

}  // namespace cxpm
