// How a request reaches its method: lifecycle methods (start, stop, restart, reload, scale,
// delete, reset) wait their turn on their apps in the LifecycleGate, so one operation per app
// runs at a time and none sees another's half-done state; read-only methods (list, describe,
// logs, ...) run at once. `kill` and SIGTERM never wait: they close the gate and stop
// everything. Members of Commands.

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <charconv>

#include "cxpm/core/parse_number.hpp"
#include "cxpm/daemon/commands.hpp"
#include "cxpm/protocol/args.hpp"
#include "cxpm/protocol/persistence.hpp"

namespace cxpm {
namespace {

std::optional<int> parse_id(std::string_view text) {
  return parse_whole<int>(text);
}

}  // namespace

Answer::Answer(Responder responder, LifecycleGate::Hold hold)
    : state_(std::make_shared<State>(std::move(responder), std::move(hold))) {}

Answer::State::~State() {
  if (answered || !hold.holds()) return;
  // Only a bug gets here; the client is told rather than left waiting.
  spdlog::error("an operation ended without answering its client");
  responder.fail(error_code::kFailed, "the operation ended without an answer (see daemon.log)");
}

void Answer::reply(Json result) const {
  state_->answered = true;
  state_->responder.reply(std::move(result));
  state_->hold.release();
}

void Answer::fail(std::string_view code, std::string message, Json details) const {
  state_->answered = true;
  state_->responder.fail(code, std::move(message), std::move(details));
  state_->hold.release();
}

void Commands::handle(const Request& request, const Responder& responder) {
  auto method = methods_.find(request.method);
  if (method == methods_.end()) {
    std::string known;
    for (const auto& [name, _] : methods_) known += (known.empty() ? "" : ", ") + name;
    return responder.fail(error_code::kUnknownMethod,
                          "unknown method \"" + request.method + "\"; known: " + known);
  }
  if (!lifecycle_methods_.contains(request.method)) {
    return dispatch(method->second, request, Answer(responder));
  }
  AppScope scope;
  Milliseconds wait = kDefaultQueueWait;
  try {
    scope = scope_of(request);
    const ArgsReader args(request.args, "args");
    const auto wait_ms = args.integer("queue_wait_ms", kDefaultQueueWait.count());
    if (wait_ms < 0 || wait_ms > kLongestQueueWait.count()) {
      throw ArgsError(args.path_of("queue_wait_ms") + ": expected 0 to " +
                      std::to_string(kLongestQueueWait.count()) + " ms, got " +
                      std::to_string(wait_ms));
    }
    wait = Milliseconds{wait_ms};
  } catch (const CommandError& error) {
    return responder.fail(error.body.code, error.body.message, error.body.details);
  } catch (const ArgsError& error) {
    return responder.fail(error_code::kInvalidArgs, error.what());
  }
  // The method reads its targets when its turn comes, not now: an app deleted meanwhile is
  // `not_found`, and no pointer taken now is used then.
  gate_.submit(
      request.method, std::move(scope), wait,
      [this, method = method->second, request, responder](LifecycleGate::Hold hold) {
        dispatch(method, request, Answer(responder, std::move(hold)));
      },
      [responder](std::string_view code, const std::string& message, Json details) {
        responder.fail(code, message, std::move(details));
      });
}

void Commands::dispatch(Method method, const Request& request, const Answer& answer) {
  try {
    (this->*method)(request, answer);
  } catch (const CommandError& error) {
    answer.fail(error.body.code, error.body.message, error.body.details);
  } catch (const ArgsError& error) {
    answer.fail(error_code::kInvalidArgs, error.what());
  } catch (const std::exception& error) {
    spdlog::error("{} failed: {}", request.method, error.what());
    answer.fail(error_code::kFailed, error.what());
  }
}

AppScope Commands::scope_of(const Request& request) {
  const ArgsReader args(request.args, "args");
  if (request.method == "scale") return AppScope::of({args.string("app")});
  // The saved list is every app's: save and resurrect wait for all that is under way.
  if (request.method == method::kSave || request.method == method::kResurrect ||
      request.method == method::kClearDump) {
    return AppScope::all();
  }
  std::set<std::string> names;
  if (args.has("apps")) {
    for (const auto& app : args.objects("apps")) names.insert(app.string("name"));
    return AppScope::of(std::move(names));
  }
  for (const auto& target : args.strings("targets")) {
    if (target == "all") return AppScope::all();
    if (auto id = parse_id(target)) {
      const Instance* instance = supervisor_.find_instance(*id);
      if (!instance) {
        throw CommandError(error_code::kNotFound,
                           "no process with id " + target + " (see `cxpm ls` for ids)");
      }
      names.insert(instance->app.spec.name);
    } else {
      names.insert(target);
    }
  }
  return AppScope::of(std::move(names));
}

void Commands::stop_everything(const std::string& why, std::function<void(std::size_t)> done) {
  gate_.close("the daemon is shutting down (" + why + "); nothing was done");
  supervisor_.stop_starting(why);
  std::vector<Instance*> everything;
  for (auto& app : supervisor_.apps()) {
    for (auto& instance : app->instances) everything.push_back(instance.get());
  }
  const auto count = everything.size();
  supervisor_.stop(everything, [count, done = std::move(done)] { done(count); });
}

void Commands::kill(const Request&, const Answer& answer) {
  stop_everything("kill", [this, answer](std::size_t count) {
    answer.reply({{"stopped", count}, {"pid", ::getpid()}});
    shut_down_();
  });
}

}  // namespace cxpm
