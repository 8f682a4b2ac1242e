#pragma once
// The control protocol's methods, registered in one place (see docs/protocol.md).

#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "cxpm/daemon/control_server.hpp"
#include "cxpm/daemon/reload.hpp"
#include "cxpm/daemon/supervisor.hpp"

namespace cxpm {

// A method's refusal with the protocol's error code: thrown from the checks at the top of a
// method (unknown targets, bad specs) so each method reads straight through; handle() turns
// it into the error reply.
struct CommandError : std::runtime_error {
  CommandError(std::string_view code, const std::string& message, Json details = nullptr)
      : std::runtime_error(message), body{std::string(code), message, std::move(details)} {}
  ErrorBody body;
};

class Commands {
 public:
  Commands(Supervisor& supervisor, std::function<void()> shut_down);

  void handle(const Request& request, const Responder& responder);

 private:
  using Method = void (Commands::*)(const Request&, const Responder&);

  void ping(const Request&, const Responder&);
  void list(const Request&, const Responder&);
  void describe(const Request&, const Responder&);
  void start(const Request&, const Responder&);
  void stop(const Request&, const Responder&);
  void restart(const Request&, const Responder&);
  void remove(const Request&, const Responder&);
  void reset(const Request&, const Responder&);
  void kill(const Request&, const Responder&);
  void scale(const Request&, const Responder&);
  void reload(const Request&, const Responder&);
  // `restart` with new specs, and with --update-env, in restart_with_spec.cpp.
  void restart_with_specs(const Request&, const Responder&);
  void reload_with_specs(const Request&, const Responder&);
  // args.apps as specs of apps the daemon has, all checked; a CommandError says why not.
  std::vector<AppSpec> specs_of_known_apps(const Request& request, const std::string& verb);
  void reply_reloaded(const Responder& responder, const std::vector<ReloadStep>& steps,
                      const std::optional<std::string>& error, const std::vector<int>& ids);
  void merge_environment(const std::vector<Instance*>& instances, const Environment& env);
  // Log methods, in log_methods.cpp.
  void logs(const Request&, const Responder&);
  void flush(const Request&, const Responder&);
  void reload_logs(const Request&, const Responder&);

  // The instances that args.targets names ("all", a name, an id); a CommandError names the
  // unknown.
  std::vector<Instance*> targets_of(const Request& request);
  Json report(const std::vector<int>& ids, bool with_events = false);

  Supervisor& supervisor_;
  std::function<void()> shut_down_;
  std::map<std::string, Method, std::less<>> methods_;
  std::int64_t started_at_ms_;
};

}  // namespace cxpm
