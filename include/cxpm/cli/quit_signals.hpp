#pragma once
// SIGINT, SIGTERM, SIGHUP and SIGQUIT as requests to leave (`cxpm monit`), so the terminal is given
// back before the process ends. While the object lives they are blocked except inside wait(), whose
// ppoll() they interrupt: none is lost between a check and the wait.

#include <poll.h>
#include <signal.h>

#include <chrono>
#include <vector>

namespace cxpm {

class QuitSignals {
 public:
  QuitSignals();
  // Takes back what the constructor changed; any signal still pending is taken out first, so
  // it cannot end the process after the terminal was given back.
  ~QuitSignals();
  QuitSignals(const QuitSignals&) = delete;
  QuitSignals& operator=(const QuitSignals&) = delete;

  // poll() over `fds` for at most `timeout`; false when a quit signal came meanwhile (or had
  // come before). Other signals (SIGWINCH) only end the wait early.
  bool wait(std::vector<pollfd>& fds, std::chrono::milliseconds timeout);

  // The signal that asked to quit, 0 for none.
  int received() const;

 private:
  sigset_t quit_set_{};
  sigset_t old_mask_{};
  sigset_t wait_mask_{};
  struct sigaction old_actions_[4]{};
};

}  // namespace cxpm
