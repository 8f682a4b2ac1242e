#pragma once
// The control protocol's methods (protocol/methods.hpp), one handler each, grouped by subject:
//   command_dispatch.cpp  the registry, and how a request reaches its handler (its turn)
//   command_targets.cpp   what a request acts on: targets, apps, scopes; the processes report
//   process_methods.cpp   ping, list, describe, start, stop, delete, reset, scale, kill
//   restart_methods.cpp   restart and reload, with targets or with new specs
//   log_methods.cpp       logs, flush, reloadLogs
//   signal_methods.cpp    sendSignal
//   event_methods.cpp     events
//   persistence_methods.cpp  save, resurrect, cleardump
//   update_method.cpp        update
//   web_method.cpp           web
// A handler takes its method's typed arguments, already read and checked, and answers with its
// typed result; it refuses what needs the daemon's state (an unknown app) with CommandError.

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "cxpm/daemon/control_server.hpp"
#include "cxpm/daemon/lifecycle_gate.hpp"
#include "cxpm/daemon/reload.hpp"
#include "cxpm/daemon/supervisor.hpp"
#include "cxpm/protocol/methods.hpp"

namespace cxpm {

// A method's refusal with the protocol's error code: thrown from the checks at the top of a
// method (unknown targets, bad specs) so each method reads straight through; the dispatch
// turns it into the error reply.
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

  template <typename Result>
  void reply(const Result& result) const {
    send(to_json(result));
  }
  void fail(std::string_view code, std::string message) const { refuse(code, message, nullptr); }
  template <typename Details>
  void fail(std::string_view code, std::string message, const Details& details) const {
    refuse(code, std::move(message), to_json(details));
  }
  void fail(const ErrorBody& error) const { refuse(error.code, error.message, error.details); }
  const Responder& responder() const { return state_->responder; }

 private:
  void send(Json result) const;
  void refuse(std::string_view code, std::string message, Json details) const;

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
  Commands(Supervisor& supervisor, LifecycleGate& gate, std::function<void()> shut_down);

  void handle(const Request& request, const Responder& responder);
  // Kill and SIGTERM: refuse every waiting and later operation, start no process again, stop
  // every instance, then `done` with how many there were. Never waits behind an operation.
  void stop_everything(const std::string& why, std::function<void(std::size_t)> done);
  // How `update` hands the daemon over to another binary (the keeper link): "" once it is
  // under way, else why it cannot be. Unset: no keeper, so `update` is refused.
  using HandOver = std::function<std::string(const std::string& binary)>;
  void set_hand_over(HandOver hand_over) { hand_over_ = std::move(hand_over); }
  // What `web` does (web_service.hpp); unset: `web` is refused (the container runtime).
  using WebControl = std::function<WebResult(const WebArgs&)>;
  void set_web(WebControl control) { web_ = std::move(control); }
  // Adds the keeper's part to `ping`'s answer.
  void set_keeper_report(std::function<void(PingResult&)> report) {
    keeper_report_ = std::move(report);
  }

 private:
  template <typename Args>
  using Handler = void (Commands::*)(const Args&, const Answer&);
  using Entry = std::function<void(const Request&, const Responder&)>;

  // Registry and dispatch (command_dispatch.cpp).
  template <typename M>
  void add(Handler<typename M::Args> handler);
  void run(const std::string& method, const std::function<void(const Answer&)>& call,
           const Answer& answer);

  // What a request acts on (command_targets.cpp). Targets are "all", ids, names or absolute
  // script paths, then namespaces; an unknown one is a CommandError naming it.
  std::vector<Instance*> instances_of(const std::vector<std::string>& targets);
  // The apps a name or script path means, else the apps of that namespace.
  std::vector<App*> apps_named(const std::string& target);
  CommandError unknown_target(const std::string& target);
  // The instances of the apps of these names that still exist, in that order.
  std::vector<Instance*> instances_of_apps(const std::vector<std::string>& names);
  std::vector<Instance*> every_instance();
  // The apps a lifecycle request will touch, for its turn in the gate.
  AppScope scope_of(const std::vector<std::string>& targets);
  AppScope scope_of(const TargetsArgs& args) { return scope_of(args.targets); }
  AppScope scope_of(const StartArgs& args);
  AppScope scope_of(const RestartArgs& args);
  AppScope scope_of(const ScaleArgs& args) { return AppScope::of({args.app}); }
  AppScope scope_of(const SaveArgs&) { return AppScope::all(); }
  AppScope scope_of(const WholeListArgs&) { return AppScope::all(); }
  AppScope scope_of(const UpdateArgs&) { return AppScope::all(); }
  // Checks specs before anything is touched: unique names, each accepted by the daemon, and
  // new (for start) or the name of an app the daemon has (for restart and reload, `verb`).
  enum class SpecsName { kNewApps, kExistingApps };
  void check_specs(const std::vector<AppSpec>& specs, SpecsName names, const std::string& verb);
  // The instances of these ids that still exist, as `list` shows them.
  ProcessesResult report(const std::vector<int>& ids);

  // Processes (process_methods.cpp).
  void ping(const NoArgs&, const Answer&);
  void list(const NoArgs&, const Answer&);
  void describe(const TargetsArgs&, const Answer&);
  void start(const StartArgs&, const Answer&);
  void stop(const TargetsArgs&, const Answer&);
  void remove(const TargetsArgs&, const Answer&);
  void reset(const TargetsArgs&, const Answer&);
  void scale(const ScaleArgs&, const Answer&);
  void kill(const NoArgs&, const Answer&);

  // Restart and reload (restart_methods.cpp).
  void restart(const RestartArgs&, const Answer&);
  void reload(const ReloadArgs&, const Answer&);
  void restart_with_specs(std::vector<AppSpec> specs, const Answer& answer);
  void reload_with_specs(std::vector<AppSpec> specs, int parallel, const Answer& answer);
  void reply_reloaded(const Answer& answer, const std::vector<ReloadStep>& steps,
                      const std::optional<std::string>& error, const std::vector<int>& ids);
  void merge_environment(const std::vector<Instance*>& instances, const Environment& env);

  // Signals (signal_methods.cpp).
  void send_signal(const SignalArgs&, const Answer&);

  // Logs (log_methods.cpp).
  void logs(const LogsArgs&, const Answer&);
  void flush(const FlushArgs&, const Answer&);
  void reload_logs(const NoArgs&, const Answer&);
  // The daemon's recent events (event_methods.cpp).
  void events(const EventsArgs&, const Answer&);

  // The hand-over to another binary (update_method.cpp).
  void update(const UpdateArgs&, const Answer&);

  // The HTTP server's setting (web_method.cpp).
  void web(const WebArgs&, const Answer&);

  // The saved list (persistence_methods.cpp).
  void save(const SaveArgs&, const Answer&);
  void resurrect(const WholeListArgs&, const Answer&);
  void clear_dump(const WholeListArgs&, const Answer&);

  Supervisor& supervisor_;
  LifecycleGate& gate_;
  std::function<void()> shut_down_;
  HandOver hand_over_;
  WebControl web_;
  std::function<void(PingResult&)> keeper_report_;
  std::map<std::string, Entry, std::less<>> methods_;
  std::int64_t started_at_ms_;
};

// The ids of these instances, in order.
std::vector<int> ids_of(const std::vector<Instance*>& instances);

}  // namespace cxpm
