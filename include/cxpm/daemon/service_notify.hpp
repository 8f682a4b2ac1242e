#pragma once
// The daemon's own readiness, told to the service manager that started it (systemd's
// Type=notify): READY=1 once it answers and the saved apps are started, STOPPING=1 when it
// begins to stop. The sd_notify protocol is one datagram of KEY=VALUE lines to the unix
// socket named by $NOTIFY_SOCKET ('@' first: an abstract address), written here directly
// rather than linking libsystemd for one sendto.

#include <string>

namespace cxpm {

class ServiceNotifier {
 public:
  // Takes $NOTIFY_SOCKET and removes it from the environment, so nothing the daemon starts
  // talks to the service manager in its name. Without one, or unless `ours` (the daemon is
  // the service's own process, not one a CLI started), notify() does nothing.
  static ServiceNotifier from_environment(bool ours);

  bool enabled() const { return !address_.empty(); }
  // Sends `message` ("READY=1\nSTATUS=..."); a failure is logged, never fatal: the daemon
  // works the same without a service manager listening.
  void notify(const std::string& message) const;

 private:
  std::string address_;
};

}  // namespace cxpm
