#include "cxpm/core/signal_names.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <csignal>

#include "cxpm/core/parse_number.hpp"

namespace cxpm {
namespace {

struct Signal {
  std::string_view name;  // without "SIG"
  int number;
};

constexpr auto kSignals = std::to_array<Signal>({
    {"HUP", SIGHUP},   {"INT", SIGINT},       {"QUIT", SIGQUIT}, {"ILL", SIGILL},
    {"TRAP", SIGTRAP}, {"ABRT", SIGABRT},     {"BUS", SIGBUS},   {"FPE", SIGFPE},
    {"KILL", SIGKILL}, {"USR1", SIGUSR1},     {"SEGV", SIGSEGV}, {"USR2", SIGUSR2},
    {"PIPE", SIGPIPE}, {"ALRM", SIGALRM},     {"TERM", SIGTERM}, {"STKFLT", SIGSTKFLT},
    {"CHLD", SIGCHLD}, {"CONT", SIGCONT},     {"STOP", SIGSTOP}, {"TSTP", SIGTSTP},
    {"TTIN", SIGTTIN}, {"TTOU", SIGTTOU},     {"URG", SIGURG},   {"XCPU", SIGXCPU},
    {"XFSZ", SIGXFSZ}, {"VTALRM", SIGVTALRM}, {"PROF", SIGPROF}, {"WINCH", SIGWINCH},
    {"IO", SIGIO},     {"PWR", SIGPWR},       {"SYS", SIGSYS},
});

const Signal* find_signal(std::string_view text) {
  if (text.starts_with('+')) text.remove_prefix(1);
  if (const std::optional<int> number = parse_whole<int>(text)) {
    const auto found = std::ranges::find(kSignals, *number, &Signal::number);
    return found == kSignals.end() ? nullptr : &*found;
  }
  std::string upper(text);
  std::ranges::transform(upper, upper.begin(), [](unsigned char c) { return std::toupper(c); });
  std::string_view bare = upper;
  if (bare.starts_with("SIG")) bare.remove_prefix(3);
  const auto found = std::ranges::find(kSignals, bare, &Signal::name);
  return found == kSignals.end() ? nullptr : &*found;
}

}  // namespace

std::optional<int> signal_from_name(std::string_view text) {
  if (const Signal* signal = find_signal(text)) return signal->number;
  return std::nullopt;
}

std::optional<std::string> canonical_signal_name(std::string_view text) {
  if (const Signal* signal = find_signal(text)) return "SIG" + std::string(signal->name);
  return std::nullopt;
}

std::string signal_name(int signal_number) {
  const auto found = std::ranges::find(kSignals, signal_number, &Signal::number);
  if (found == kSignals.end()) return "signal " + std::to_string(signal_number);
  return "SIG" + std::string(found->name);
}

}  // namespace cxpm
