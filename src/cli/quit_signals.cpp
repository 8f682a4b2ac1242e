#include "cxpm/cli/quit_signals.hpp"

#include <cerrno>
#include <csignal>
#include <ctime>

#include "cxpm/sys/error.hpp"

namespace cxpm {
namespace {

constexpr int kQuitSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

volatile std::sig_atomic_t g_received = 0;

extern "C" void note_quit_signal(int signal) {
  g_received = signal;
}

}  // namespace

QuitSignals::QuitSignals() {
  g_received = 0;
  sigemptyset(&quit_set_);
  for (const int signal : kQuitSignals) sigaddset(&quit_set_, signal);
  if (::sigprocmask(SIG_BLOCK, &quit_set_, &old_mask_) != 0) throw_system_error("sigprocmask");
  wait_mask_ = old_mask_;
  for (const int signal : kQuitSignals) sigdelset(&wait_mask_, signal);
  struct sigaction action {};
  action.sa_handler = note_quit_signal;
  sigemptyset(&action.sa_mask);
  int i = 0;
  for (const int signal : kQuitSignals) ::sigaction(signal, &action, &old_actions_[i++]);
}

QuitSignals::~QuitSignals() {
  const timespec now{};
  while (::sigtimedwait(&quit_set_, nullptr, &now) > 0) {
  }
  int i = 0;
  for (const int signal : kQuitSignals) ::sigaction(signal, &old_actions_[i++], nullptr);
  ::sigprocmask(SIG_SETMASK, &old_mask_, nullptr);
}

bool QuitSignals::wait(std::vector<pollfd>& fds, std::chrono::milliseconds timeout) {
  if (g_received) return false;
  const auto millis = timeout.count() > 0 ? timeout.count() : 0;
  const timespec span{static_cast<std::time_t>(millis / 1000),
                      static_cast<long>(millis % 1000 * 1000000)};
  for (auto& fd : fds) fd.revents = 0;
  if (::ppoll(fds.data(), fds.size(), &span, &wait_mask_) < 0 && errno != EINTR) {
    throw_system_error("ppoll");
  }
  return !g_received;
}

int QuitSignals::received() const {
  return g_received;
}

}  // namespace cxpm
