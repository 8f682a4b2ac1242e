#pragma once
// The control protocol's methods, registered in one place (see docs/protocol.md).

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "cxpm/daemon/control_server.hpp"
#include "cxpm/daemon/lifecycle_gate.hpp"
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

// How a method answers. A lifecycle operation's answer also frees its apps for the next
// operation; should the operation end without answering (a dropped continuation), the client
// still gets an error rather than waiting forever.
class Answer {
 public:
  explicit Answer(Responder responder, LifecycleGate::Hold hold = {});

  void reply(Json result) const;
  void fail(std::string_view code, std::string message, Json details = nullptr) const;
  const Responder& responder() const { return state_->responder; }

 private:
  struct State {
    State(Responder to, LifecycleGate::Hold held)
        : responder(std::move(to)), hold(std::move(held)) {}
    State(const State&) = delete;
    State& operator=(const State&) = delete;
    ~State();
    Responder responder;
    LifecycleGate::Hold hold;
    bool answered = false;
  };
  std::shared_ptr<State> state_;
};

class Commands {
 public:
  // How long a lifecycle operation waits for its apps unless the request says
  // (args.queue_wait_ms): longer than an ordinary stop, restart or reload takes.
  static constexpr Milliseconds kDefaultQueueWait{30000};
  static constexpr Milliseconds kLongestQueueWait{600000};

  Commands(Supervisor& supervisor, LifecycleGate& gate, std::function<void()> shut_down);

  void handle(const Request& request, const Responder& responder);
  // Kill and SIGTERM: refuse every waiting and later operation, start no process again, stop
  // every instance, then `done` with how many there were. Never waits behind an operation.
  void stop_everything(const std::string& why, std::function<void(std::size_t)> done);

 private:
  using Method = void (Commands::*)(const Request&, const Answer&);

  void dispatch(Method method, const Request& request, const Answer& answer);
  // The apps a lifecycle request touches, read from its targets, `apps` or `app`.
  AppScope scope_of(const Request& request);

  void ping(const Request&, const Answer&);
  void list(const Request&, const Answer&);
  void describe(const Request&, const Answer&);
  void start(const Request&, const Answer&);
  void stop(const Request&, const Answer&);
  void restart(const Request&, const Answer&);
  void remove(const Request&, const Answer&);
  void reset(const Request&, const Answer&);
  void kill(const Request&, const Answer&);
  void scale(const Request&, const Answer&);
  void reload(const Request&, const Answer&);
  // `restart` with new specs, and with --update-env, in restart_with_spec.cpp.
  void restart_with_specs(const Request&, const Answer&);
  void reload_with_specs(const Request&, const Answer&);
  // args.apps as specs of apps the daemon has, all checked; a CommandError says why not.
  std::vector<AppSpec> specs_of_known_apps(const Request& request, const std::string& verb);
  void reply_reloaded(const Answer& answer, const std::vector<ReloadStep>& steps,
                      const std::optional<std::string>& error, const std::vector<int>& ids);
  void merge_environment(const std::vector<Instance*>& instances, const Environment& env);
  // Log methods, in log_methods.cpp.
  void logs(const Request&, const Answer&);
  void flush(const Request&, const Answer&);
  void reload_logs(const Request&, const Answer&);
  // save, resurrect, cleardump, in persistence_methods.cpp.
  void save(const Request&, const Answer&);
  void resurrect(const Request&, const Answer&);
  void clear_dump(const Request&, const Answer&);

  // The instances that args.targets names ("all", a name, an id); a CommandError names the
  // unknown.
  std::vector<Instance*> targets_of(const Request& request);
  Json report(const std::vector<int>& ids, bool with_events = false);

  Supervisor& supervisor_;
  LifecycleGate& gate_;
  std::function<void()> shut_down_;
  std::map<std::string, Method, std::less<>> methods_;
  std::set<std::string, std::less<>> lifecycle_methods_;  // queued per app; the rest never wait
  std::int64_t started_at_ms_;
};

}  // namespace cxpm
