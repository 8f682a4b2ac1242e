// The method registry, and how a request reaches its handler. Its arguments are read and
// checked first, whole: a bad request is refused before it waits for anything. Lifecycle
// methods (start, stop, restart, reload, scale, delete, reset) then wait their turn on their
// apps in the LifecycleGate, so one operation per app runs at a time and none sees another's
// half-done state; the others (list, describe, logs, ...) run at once. `kill` and SIGTERM
// never wait: they close the gate and stop everything.

#include <spdlog/spdlog.h>

#include "cxpm/core/clock.hpp"
#include "cxpm/daemon/commands.hpp"

namespace cxpm {

Answer::Answer(Responder responder, LifecycleGate::Hold hold)
    : state_(std::make_shared<State>(std::move(responder), std::move(hold))) {}

Answer::State::~State() {
  if (answered || !hold.holds()) return;
  // Only a bug gets here; the client is told rather than left waiting.
  spdlog::error("an operation ended without answering its client");
  responder.fail(error_code::kFailed, "the operation ended without an answer (see daemon.log)");
}

void Answer::send(Json result) const {
  state_->answered = true;
  state_->responder.reply(std::move(result));
  state_->hold.release();
}

void Answer::refuse(std::string_view code, std::string message, Json details) const {
  state_->answered = true;
  state_->responder.fail(code, std::move(message), std::move(details));
  state_->hold.release();
}

template <typename M>
void Commands::add(Handler<typename M::Args> handler) {
  using Args = typename M::Args;
  methods_[std::string(M::kName)] = [this, handler](const Request& request,
                                                    const Responder& responder) {
    std::shared_ptr<const Args> args;
    AppScope scope;
    try {
      args = std::make_shared<const Args>(decode<Args>(request.args, "args"));
      if constexpr (M::kWaitsForItsApps) scope = scope_of(*args);
    } catch (const CommandError& error) {
      return responder.fail(error.body.code, error.body.message, error.body.details);
    } catch (const ArgsError& error) {
      return responder.fail(error_code::kInvalidArgs, error.what());
    }
    auto call = [this, handler, args](const Answer& answer) { (this->*handler)(*args, answer); };
    if constexpr (!M::kWaitsForItsApps) {
      run(request.method, call, Answer(responder));
    } else {
      // The handler reads its targets when its turn comes, not now: an app deleted meanwhile
      // is `not_found`, and no pointer taken now is used then.
      gate_.submit(
          request.method, std::move(scope), args->queue_wait.value_or(kDefaultQueueWait),
          [this, method = request.method, call, responder](LifecycleGate::Hold hold) {
            run(method, call, Answer(responder, std::move(hold)));
          },
          [responder](std::string_view code, const std::string& message, Json details) {
            responder.fail(code, message, std::move(details));
          });
    }
  };
}

Commands::Commands(Supervisor& supervisor, LifecycleGate& gate, std::function<void()> shut_down)
    : supervisor_(supervisor),
      gate_(gate),
      shut_down_(std::move(shut_down)),
      started_at_ms_(unix_now_ms()) {
  add<method::Ping>(&Commands::ping);
  add<method::List>(&Commands::list);
  add<method::Describe>(&Commands::describe);
  add<method::SendSignal>(&Commands::send_signal);
  add<method::Start>(&Commands::start);
  add<method::Stop>(&Commands::stop);
  add<method::Restart>(&Commands::restart);
  add<method::Reload>(&Commands::reload);
  add<method::Delete>(&Commands::remove);
  add<method::Reset>(&Commands::reset);
  add<method::Scale>(&Commands::scale);
  add<method::Kill>(&Commands::kill);
  add<method::Logs>(&Commands::logs);
  add<method::Flush>(&Commands::flush);
  add<method::ReloadLogs>(&Commands::reload_logs);
  add<method::Events>(&Commands::events);
  add<method::Save>(&Commands::save);
  add<method::Update>(&Commands::update);
  add<method::Resurrect>(&Commands::resurrect);
  add<method::ClearDump>(&Commands::clear_dump);
  add<method::Web>(&Commands::web);
}

void Commands::handle(const Request& request, const Responder& responder) {
  auto method = methods_.find(request.method);
  if (method == methods_.end()) {
    std::string known;
    for (const auto& [name, _] : methods_) known += (known.empty() ? "" : ", ") + name;
    return responder.fail(error_code::kUnknownMethod,
                          "unknown method \"" + request.method + "\"; known: " + known);
  }
  method->second(request, responder);
}

void Commands::run(const std::string& method, const std::function<void(const Answer&)>& call,
                   const Answer& answer) {
  try {
    call(answer);
  } catch (const CommandError& error) {
    answer.fail(error.body);
  } catch (const ArgsError& error) {
    answer.fail(error_code::kInvalidArgs, error.what());
  } catch (const std::exception& error) {
    spdlog::error("{} failed: {}", method, error.what());
    answer.fail(error_code::kFailed, error.what());
  }
}

void Commands::stop_everything(const std::string& why, std::function<void(std::size_t)> done) {
  gate_.close("the daemon is shutting down (" + why + "); nothing was done");
  supervisor_.stop_starting(why);
  const auto everything = every_instance();
  const auto count = everything.size();
  supervisor_.stop(everything, [count, done = std::move(done)] { done(count); });
}

}  // namespace cxpm
