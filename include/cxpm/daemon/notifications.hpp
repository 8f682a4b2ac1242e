#pragma once
// Notifications (docs/notifications.md): the events of the event log that an app's notify
// settings (its own, else the daemon's cxpm.yaml ones) ask for are told to its hooks — `exec`,
// a command line run through sh -c as the app's user with the event as JSON on stdin and in
// CXPM_* variables, and `webhook`, the JSON POSTed over plain HTTP. Nothing here waits on the
// loop: commands are forked and reaped like health checks, requests are libuv's. Bounded: a hook
// is killed (or its request aborted) at its timeout, at most kMaxInFlight run at once, and the
// rest wait one per app, kind and hook — a notification waiting takes in the next one's count.
// A storm is coalesced by NotifyCoalescer (core/): at most one notification per app and event
// kind per interval.

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <tuple>

#include "cxpm/config/notify_settings.hpp"
#include "cxpm/core/notify_coalescer.hpp"
#include "cxpm/daemon/supervisor.hpp"
#include "cxpm/daemon/uv_handle.hpp"

namespace cxpm {

class Notifications {
 public:
  static constexpr int kMaxInFlight = 8;

  explicit Notifications(Supervisor& supervisor);
  ~Notifications();
  Notifications(const Notifications&) = delete;
  Notifications& operator=(const Notifications&) = delete;

  // The daemon-wide settings (cxpm.yaml's notify), for apps without a hook of their own.
  void set_daemon_settings(std::optional<NotifySettings> settings);

  int in_flight() const { return in_flight_; }

 private:
  // Whom an event is told, as it was when it happened (the app may go meanwhile).
  struct Target {
    NotifySettings settings;
    bool daemon_wide = false;
    std::string uid, gid, cwd;
    Environment env;  // an app's own hook runs with the app's environment
  };
  struct Latest {
    DaemonEvent event;
    Target target;
  };
  struct Job {
    DaemonEvent event;
    int count = 0;
    Target target;
    bool webhook = false;
  };
  using JobKey = std::tuple<std::string, std::string, bool>;  // app, kind, webhook

  void on_event(const DaemonEvent& event);
  std::optional<Target> target_of(const DaemonEvent& event) const;
  void schedule_flush();
  void flush();
  void send(const Latest& latest, int count);
  void enqueue(Job job);
  void start_waiting();
  void run(const Job& job);
  void run_exec(const Job& job, std::function<void(std::string)> done);
  void run_webhook(const Job& job, std::function<void(std::string)> done);

  Supervisor& supervisor_;
  std::optional<NotifySettings> daemon_settings_;
  NotifyCoalescer coalescer_;
  std::map<NotifyCoalescer::Key, Latest> latest_;  // of each open window
  Timer flush_timer_;
  Timer start_timer_;  // runs what waits, a turn after it was queued
  std::map<JobKey, Job> waiting_;
  std::deque<JobKey> waiting_order_;
  int in_flight_ = 0;
  // Hooks outlive this object (they own themselves): their reports check it is still there.
  std::shared_ptr<Notifications*> alive_ = std::make_shared<Notifications*>(this);
};

}  // namespace cxpm
