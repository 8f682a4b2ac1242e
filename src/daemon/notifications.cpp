#include "cxpm/daemon/notifications.hpp"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <variant>

#include "cxpm/config/health_check.hpp"
#include "cxpm/daemon/helper_run.hpp"
#include "cxpm/daemon/net_exchange.hpp"
#include "cxpm/protocol/notify_event.hpp"
#include "cxpm/sys/unique_fd.hpp"
#include "cxpm/sys/user.hpp"

extern char** environ;

namespace cxpm {
namespace {

// A message longer than this is cut, so the JSON always fits a pipe's buffer (written at once,
// before the command starts, and never waited on).
constexpr std::size_t kMaxMessage = 4096;

std::string label(const std::string& app, const std::string& kind, int count, bool webhook) {
  return "notify " + app + " " + kind + (count > 1 ? " (x" + std::to_string(count) + ")" : "") +
         " via " + (webhook ? "webhook" : "exec");
}

std::vector<std::string> assignments(const Environment& env) {
  std::vector<std::string> out;
  for (const auto& [name, value] : env) out.push_back(name + "=" + value);
  return out;
}

Environment daemon_environment() {
  Environment env;
  for (char** item = environ; item && *item; ++item) {
    const std::string_view text(*item);
    const auto equals = text.find('=');
    if (equals != std::string_view::npos) {
      env[std::string(text.substr(0, equals))] = std::string(text.substr(equals + 1));
    }
  }
  return env;
}

}  // namespace

Notifications::Notifications(Supervisor& supervisor)
    : supervisor_(supervisor), flush_timer_(supervisor.loop()), start_timer_(supervisor.loop()) {
  flush_timer_.unref();
  start_timer_.unref();
  // The event log outlives us (the supervisor owns it): a listener that finds us gone is silent.
  supervisor_.event_log().listen(
      [alive = std::weak_ptr<Notifications*>(alive_)](const DaemonEvent& event) {
        if (const auto self = alive.lock(); self && *self) (*self)->on_event(event);
      });
}

Notifications::~Notifications() {
  *alive_ = nullptr;
}

void Notifications::set_daemon_settings(std::optional<NotifySettings> settings) {
  daemon_settings_ = std::move(settings);
}

std::optional<Notifications::Target> Notifications::target_of(const DaemonEvent& event) const {
  if (std::ranges::find(kNotifyEventKinds, event.event) == kNotifyEventKinds.end()) {
    return std::nullopt;  // "info": starts, stops, readiness
  }
  App* app = supervisor_.find_app(event.app);
  Target target;
  if (app) target.settings = notify_settings_of(app->spec);
  if (target.settings.has_hook()) {
    target.uid = app->spec.uid;
    target.gid = app->spec.gid;
    target.cwd = app->spec.cwd;
    target.env = app->spec.env.merged();
  } else if (daemon_settings_) {
    target.settings = *daemon_settings_;
    target.daemon_wide = true;
    target.cwd = supervisor_.home().dir;
    target.env = daemon_environment();
  } else {
    return std::nullopt;
  }
  if (!target.settings.wants(event.event)) return std::nullopt;
  return target;
}

void Notifications::on_event(const DaemonEvent& event) {
  auto target = target_of(event);
  if (!target) return;
  const NotifyCoalescer::Key key{event.app, event.event};
  const auto count = coalescer_.offer(key, supervisor_.now(), target->settings.interval);
  Latest& latest = latest_[key];
  latest = {event, std::move(*target)};
  if (count) send(latest, *count);
  schedule_flush();
}

void Notifications::schedule_flush() {
  const auto due = coalescer_.next_due();
  if (!due) return flush_timer_.stop();
  const auto delay = std::max(Milliseconds{0}, *due - supervisor_.now());
  flush_timer_.start(delay, [this] { flush(); });
}

void Notifications::flush() {
  for (const auto& due : coalescer_.take_due(supervisor_.now())) {
    if (const auto found = latest_.find(due.key); found != latest_.end()) {
      send(found->second, due.count);
    }
  }
  std::erase_if(latest_, [this](const auto& item) { return !coalescer_.is_open(item.first); });
  schedule_flush();
}

void Notifications::send(const Latest& latest, int count) {
  if (!latest.target.settings.exec.empty()) {
    enqueue({latest.event, count, latest.target, /*webhook=*/false});
  }
  if (!latest.target.settings.webhook.empty()) {
    enqueue({latest.event, count, latest.target, /*webhook=*/true});
  }
}

void Notifications::enqueue(Job job) {
  JobKey key{job.event.app, job.event.event, job.webhook};
  if (const auto found = waiting_.find(key); found != waiting_.end()) {
    // Still waiting its turn: it tells the newer event, and the count of both.
    job.count += found->second.count;
    found->second = std::move(job);
    return;
  }
  waiting_.emplace(key, std::move(job));
  waiting_order_.push_back(std::move(key));
  // On the loop's next turn: the event is told from inside Supervisor::record, whose caller
  // (a restart, say) goes on first, not after a fork.
  if (!start_timer_.active()) start_timer_.start(Milliseconds{0}, [this] { start_waiting(); });
}

void Notifications::start_waiting() {
  while (in_flight_ < kMaxInFlight && !waiting_order_.empty()) {
    const auto found = waiting_.find(waiting_order_.front());
    waiting_order_.pop_front();
    if (found == waiting_.end()) continue;
    Job job = std::move(found->second);
    waiting_.erase(found);
    run(job);
  }
}

void Notifications::run(const Job& job) {
  ++in_flight_;
  auto done =
      [alive = std::weak_ptr<Notifications*>(alive_),
       what = label(job.event.app, job.event.event, job.count, job.webhook)](std::string error) {
        if (error.empty()) {
          spdlog::info("{}: sent", what);
        } else {
          spdlog::warn("{}: {}", what, error);
        }
        const auto self = alive.lock();
        if (!self || !*self) return;
        --(*self)->in_flight_;
        (*self)->start_waiting();
      };
  if (job.webhook) return run_webhook(job, std::move(done));
  run_exec(job, std::move(done));
}

void Notifications::run_exec(const Job& job, std::function<void(std::string)> done) {
  DaemonEvent event = job.event;
  if (event.message.size() > kMaxMessage) event.message.resize(kMaxMessage);
  const std::string json =
      notify_event_json(event, job.count).dump(-1, ' ', false, Json::error_handler_t::replace) +
      "\n";
  SpawnOptions options;
  options.argv = {"/bin/sh", "-c", job.target.settings.exec};
  options.cwd = job.target.cwd;
  Environment env = job.target.env;
  if (!job.target.uid.empty() || !job.target.gid.empty()) {
    const auto run_as = resolve_run_as(job.target.uid, job.target.gid);
    if (const auto* why = std::get_if<std::string>(&run_as)) return done(*why);
    const RunAs& user = std::get<RunAs>(run_as);
    options.uid = user.uid;
    options.gid = user.gid;
    options.groups = user.groups;
    for (const auto& [name, value] : user.environment) env[name] = value;
  }
  options.env = assignments(env);
  for (auto& variable : notify_event_environment(event, job.count)) {
    options.env.push_back(std::move(variable));
  }
  // The JSON is in the pipe before the command starts: the pipe's buffer holds it all.
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return done(std::string("pipe: ") + std::strerror(errno));
  UniqueFd read_end(fds[0]);
  UniqueFd write_end(fds[1]);
  ::fcntl(write_end.get(), F_SETFL, O_NONBLOCK);
  if (::write(write_end.get(), json.data(), json.size()) != static_cast<ssize_t>(json.size())) {
    return done(std::string("write the event to the command: ") + std::strerror(errno));
  }
  write_end.reset();
  options.stdin_fd = read_end.get();
  const Milliseconds timeout = job.target.settings.timeout;
  run_helper(
      supervisor_, options, timeout, [timeout, done = std::move(done)](const HelperExit& exit) {
        if (!exit.spawn_error.empty()) return done(exit.spawn_error);
        if (exit.timed_out) {
          return done("killed after notify_timeout " + std::to_string(timeout.count()) + " ms");
        }
        if (exit.succeeded()) return done({});
        done(describe_helper_status(exit.wait_status));
      });
}

void Notifications::run_webhook(const Job& job, std::function<void(std::string)> done) {
  std::string problem;
  const auto target = parse_http_url(job.target.settings.webhook, &problem);
  if (!target) return done("notify_webhook: " + problem);
  const std::string body =
      notify_event_json(job.event, job.count).dump(-1, ' ', false, Json::error_handler_t::replace);
  net_exchange(supervisor_.loop(), target->host, target->port,
               http_request_text("POST", *target, "cxpm-notify", "application/json", body),
               job.target.settings.timeout, "notify_timeout",
               [url = job.target.settings.webhook, done = std::move(done)](NetAnswer answer) {
                 if (answer.error) return done(*answer.error);
                 if (answer.status >= 200 && answer.status < 300) return done({});
                 done(url + " answered status " + std::to_string(answer.status));
               });
}

}  // namespace cxpm
