#pragma once
// The apps and their instances: spawning, reaping, stopping (signal, then SIGKILL after
// kill_timeout), and restarting by the restart policy. Processes are started, signalled and
// reaped through a ProcessRunner and time comes from Timers, so that tests can drive every
// decision with fakes. Its parts, one file each: supervisor.cpp (the app registry),
// supervisor_launch.cpp, supervisor_readiness.cpp, supervisor_stop.cpp, supervisor_exit.cpp,
// spawn_failure.cpp, supervisor_restart.cpp, supervisor_scale.cpp, supervisor_log_paths.cpp,
// supervisor_describe.cpp.

#include <uv.h>

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cxpm/config/app_spec.hpp"
#include "cxpm/core/clock.hpp"
#include "cxpm/core/recent_ring.hpp"
#include "cxpm/core/restart_policy.hpp"
#include "cxpm/core/retry_backoff.hpp"
#include "cxpm/core/status.hpp"
#include "cxpm/daemon/connection_drain.hpp"
#include "cxpm/daemon/event_log.hpp"
#include "cxpm/daemon/kept_fds.hpp"
#include "cxpm/daemon/log_file.hpp"
#include "cxpm/daemon/node_channel.hpp"
#include "cxpm/daemon/notify_socket.hpp"
#include "cxpm/daemon/output_capture.hpp"
#include "cxpm/daemon/process_runner.hpp"
#include "cxpm/daemon/socket_broker.hpp"
#include "cxpm/daemon/socket_registry.hpp"
#include "cxpm/daemon/timers.hpp"
#include "cxpm/protocol/process_info.hpp"
#include "cxpm/sys/home.hpp"
#include "cxpm/sys/proc.hpp"

namespace cxpm {

struct App;

// The restart policy's settings, as an app's spec gives them.
RestartSettings restart_settings(const AppSpec& spec);
struct SavedApp;
struct SavedSocketGroup;
class StateWriter;

struct Instance {
  Instance(Timers& timers, App& app, int id, int index);

  App& app;
  int id;  // a reload's replacement takes over its predecessor's id
  int index;
  pid_t pid = 0;
  pid_t last_pid = 0;  // the process it last ran, still known after its exit
  Status status = Status::kStopped;
  int restarts = 0;
  TimePoint started_at{};
  std::uint64_t start_ticks = 0;  // the process's start time (/proc), to know it again
  std::optional<int> exit_code;
  std::optional<int> exit_signal;
  RestartPolicy policy;
  RetryBackoff spawn_retry;  // starts that failed for a passing reason (EMFILE, EAGAIN)
  SpawnTag spawn_tag;        // how the running process and all it started are found
  // kill_timeout while stopping; the restart delay while waiting-restart; listen_timeout
  // while launching
  std::unique_ptr<OneShotTimer> timer;
  std::unique_ptr<OutputCapture> output;
  std::unique_ptr<SocketBroker> broker;  // cluster workers: hands over sockets they bind
  std::unique_ptr<NodeChannel> channel;  // Node apps that wait_ready or shutdown_with_message
  std::string status_text;               // the app's last sd_notify STATUS=
  // Cluster, reuseport: which generation of its slot's sockets it listens on (a reload's
  // replacement has the next), whether new connections are steered to it (online, not
  // retiring), and while it retires, the watch on its connections draining.
  int socket_generation = 0;
  bool steered_in = false;
  std::unique_ptr<ConnectionDrain> drain;
  std::int64_t drained_ms = 0;  // how long its last drain took
  // Told once whether a launching instance became ready (true) or exited or timed out first.
  std::vector<std::function<void(bool ready, const std::string& why)>> on_ready;
  std::vector<pid_t> escaped_children;         // left the process group; killed on stop too
  std::vector<std::function<void()>> on_exit;  // run once the process is gone
  RecentRing<ProcessEvent, 20> events;         // the last 20, for describe
  std::uint64_t cpu_ticks_seen = 0;
  TimePoint cpu_seen_at{};
  double cpu_percent = 0;
  // Set by HealthChecks (health_checks.hpp): shown by ls (status unhealthy) and describe.
  bool health_failing = false;
  std::string health;
};

struct App {
  AppSpec spec;
  std::int64_t created_at_ms = 0;
  std::vector<std::unique_ptr<Instance>> instances;
};

// Told as apps and instances come and go, so features that hang off an app (watch,
// cron_restart, max_memory_restart: see app_features.hpp) live in files of their own.
class AppObserver {
 public:
  virtual ~AppObserver() = default;
  // After an app was added (before its instances start), and after its spec was replaced.
  virtual void on_app_added(App&) {}
  // Before an app is forgotten, and before its spec is replaced.
  virtual void on_app_removed(App&) {}
  virtual void on_instance_started(Instance&) {}
  // After an instance's process was reaped, before what follows is decided; `requested`
  // when a stop (or restart) asked for the exit.
  virtual void on_instance_exited(Instance&, bool /*requested*/) {}
};

class Supervisor {
 public:
  using Done = std::function<void()>;

  // The daemon's: real processes (SystemProcessRunner) and libuv's timers.
  Supervisor(uv_loop_t* loop, Home home);
  Supervisor(uv_loop_t* loop, Home home, std::unique_ptr<ProcessRunner> runner,
             std::unique_ptr<Timers> timers);
  ~Supervisor();

  const std::vector<std::unique_ptr<App>>& apps() const { return apps_; }
  uv_loop_t* loop() const { return loop_; }
  const Home& home() const { return home_; }
  App* find_app(std::string_view name);
  Instance* find_instance(int id);
  // Observers are told in the order they were added; they must outlive the supervisor's loop.
  void add_observer(AppObserver* observer) { observers_.push_back(observer); }

  // Adds an app and starts its instances (unless autostart is off). On a spawn failure the
  // app is removed again and the error returned: nothing changes.
  std::optional<std::string> add_app(AppSpec spec);

  // From now on no process starts (kill, SIGTERM): starts, restarts and reloads under way or
  // to come record `why` instead of spawning.
  void stop_starting(std::string why) { stop_starting_because_ = std::move(why); }
  bool starting_stopped() const { return !stop_starting_because_.empty(); }

  // Starts instances that are not running. Returns the spawn errors, if any.
  std::vector<std::string> start(const std::vector<Instance*>& instances);
  void stop(const std::vector<Instance*>& instances, Done done);
  // A signal to each running instance's processes as stop sends kill_signal; nothing waits
  // (supervisor_signal.cpp).
  void send_signal(const std::vector<Instance*>& instances, int signal_number);
  void restart(const std::vector<Instance*>& instances, Done done);
  // Stops every instance of the app named spec.name, gives it `spec` (and its instance
  // count), then starts them all; `done` gets the spawn failures. The caller checks that the
  // app exists.
  void restart_with_spec(AppSpec spec, std::function<void(std::vector<std::string>)> done);
  // Gives a running app new settings; its processes keep running until restarted or reloaded.
  void replace_spec(App& app, AppSpec spec);
  // Stops the instances, then forgets them (and their apps once empty).
  void remove(const std::vector<Instance*>& instances, Done done);
  void reset_counters(const std::vector<Instance*>& instances);
  // To `count` instances: new ones take the lowest free indexes and start at once; removed
  // ones (the highest indexes) stop gracefully first. `done` runs when all is settled, with
  // the spawn failures of new instances.
  void scale(App& app, int count, std::function<void(std::vector<std::string>)> done);

  // Reload's steps: a not-yet-started instance for `old`'s slot; then, once it is ready,
  // `retire` stops `old` gracefully and hands the replacement its id, counters and history.
  Instance& add_replacement(Instance& old);
  void retire(Instance& old, Instance& replacement, Done done);

  // For `cxpm update`: every instance's output stops being read once the lines being written
  // are in the files and out of their pipes (OutputCapture::hand_over); then `done`. What the
  // apps write from then on waits in the pipes for the next daemon.
  void hand_over_output(Done done);
  // Called on SIGCHLD: reaps every exited child.
  void reap();
  // A process of ours exited: reaped here (reap) or, for a process adopted from an earlier
  // daemon, reaped by the keeper and reported to us. Unknown pids are ignored.
  void process_exited(pid_t pid, int wait_status);
  // Where descriptors that must outlive this daemon are kept (see kept_fds.hpp); NoKeeper
  // until the daemon gives it its keeper. `kept` must outlive the supervisor.
  void set_kept_fds(KeptFds& kept) {
    kept_ = &kept;
    sockets_.set_kept_fds(kept);
  }
  KeptFds& kept_fds() { return *kept_; }
  // Under a keeper (pid `keeper`), where an earlier daemon's processes went when it died.
  void set_keeper(pid_t keeper) { runner_->look_under_keeper(keeper); }
  // After the adoption: a process an earlier daemon started after the last table it saved
  // (its spawn is none of `recorded`) belongs to no app here and nobody reads its output. It
  // is killed, and daemon.log says so.
  void stop_untracked(const std::vector<SpawnTag>& recorded);
  // A process the daemon runs for itself (a health check's command): reaped with the apps'
  // processes, so its exit is handed to `exited` (the wait status) instead.
  void watch_helper(pid_t pid, std::function<void(int wait_status)> exited);
  // A launching instance is ready (it said so, or its first health check passed): it becomes
  // online and whoever waits on it is told.
  void mark_ready(Instance& instance, const std::string& how);
  // What an app sent the notify socket (sd_notify): READY=1, STATUS=, STOPPING=1.
  void on_notify(pid_t sender, const NotifySocket::Fields& fields);
  TimePoint now() const { return timers_->now(); }

  ProcessInfo describe(Instance& instance, bool with_events);
  // A running instance's memory and CPU time (its cgroup's where it has one, else its
  // process's), read once: what describe and the metrics show. Nothing when it runs no
  // process or the process is gone.
  struct Usage {
    std::uint64_t memory_bytes = 0;
    std::uint64_t cpu_ticks = 0;
  };
  std::optional<Usage> usage_of(const Instance& instance);
  // How new connections reach the app's workers and how retiring ones drain, for describe.
  std::string connection_steering(const App& app);
  // How an app's processes are found ("cgroup" or "environ"): see app_processes.hpp.
  const char* process_tracking() const { return runner_->tracking(); }

  // The table on disk (state.json, see state_writer.hpp), from adoption on: told of every
  // change (`changed`), it rewrites the file soon after, coalesced.
  void record_state_with(std::unique_ptr<StateWriter> writer);
  StateWriter* state_writer() { return state_writer_.get(); }
  void changed();
  int next_id() const { return next_id_; }
  // An app as an earlier daemon recorded it, rebuilt with its ids and history; its running
  // instances are adopted or, when their process is gone, restarted by their policy
  // (supervisor_adopt.cpp). `next_id`: the earlier daemon's, so ids are never given twice.
  // `same_boot` false: the machine restarted since, so no recorded pid is adopted.
  void adopt(SavedApp saved, int next_id, bool same_boot = true);
  // The cluster apps' listening sockets the keeper held (`listen/<app>/<address>/<slot>`),
  // before any instance starts: a worker started now gets the socket its predecessors used.
  void adopt_listening_sockets();
  // Each reuseport group's sockets in the kernel's order (for state.json); and, once every
  // recorded app is adopted, the earlier daemon's order given back, so that a group whose
  // sockets are exactly those recorded is steered again (supervisor_steering.cpp).
  std::vector<SavedSocketGroup> socket_groups() const;
  void restore_socket_groups(const std::vector<SavedSocketGroup>& groups);
  // Adds to the instance's recent events (`describe`), the daemon's log and its events
  // (`cxpm events`, notifications) as an event of this kind (daemon_events.hpp).
  void record(Instance& instance, std::string message, std::string_view kind = "info");
  EventLog& event_log() { return event_log_; }

  LogHub& log_hub() { return log_hub_; }
  // An instance's log files; "" or /dev/null when disabled.
  std::string out_log_path(const Instance& instance) const;
  std::string error_log_path(const Instance& instance) const;
  std::string combined_log_path(const Instance& instance) const;

 private:
  // `tree`: the processes at the moment the stop began, to find children that left the group.
  void stop_one(Instance& instance, Done done, const ProcessTree& tree);
  // The signal that asks a stopping instance to go, and the kill_timeout that follows it.
  void send_stop_signal(Instance& instance, const ProcessTree& tree);
  // Connection steering (supervisor_steering.cpp): the app's accepting workers told to the
  // kernel; the instances given no new connection; a retiring instance drained first.
  void steer(const App& app);
  void steer_in(Instance& instance);
  void steer_out(const std::vector<Instance*>& instances);
  bool can_drain(const Instance& instance);
  void begin_drain(Instance& instance);
  // kill_retry_time: SIGKILL again to what is still there, until the exit is reported.
  void kill_again_every(Milliseconds interval, Instance& instance, bool noted);
  void readiness_timed_out(Instance& instance);
  void tell_ready_waiters(Instance& instance, bool ready, const std::string& why);
  Instance* instance_of_process(pid_t pid);
  bool spawn(Instance& instance);
  // Records why a spawn failed; a passing shortage (EMFILE, ENFILE, EAGAIN, ENOMEM) is
  // retried with backoff instead of leaving the instance errored. Returns false.
  bool spawn_failed(Instance& instance, const std::string& why, int error_number);
  void handle_exit(Instance& instance, int wait_status);
  void finish_after_output(Instance& instance, int wait_status);
  void finish_exit(Instance& instance, int wait_status);
  void after_unplanned_exit(Instance& instance, const Exit& exit);
  // SIGKILL to what is left of an instance whose leader exited; returns the pids killed.
  std::vector<pid_t> kill_leftovers(Instance& instance);
  OutputSettings output_settings(const Instance& instance);
  std::string log_path(const Instance& instance, const std::string& option,
                       const char* stream) const;
  void forget(Instance& instance);
  // Adoption's parts (supervisor_adopt.cpp).
  void adopt_instance(Instance& instance, const ProcessStat& process);
  void restart_vanished(Instance& instance, pid_t pid, SpawnTag tag, std::string why);
  void replace_without_pipes(Instance& instance);
  void restart_adopted(Instance& instance);
  void finish_adopted_stop(Instance& instance, pid_t pid);

  uv_loop_t* loop_;
  Home home_;
  std::unique_ptr<ProcessRunner> runner_;
  std::unique_ptr<Timers> timers_;
  LogHub log_hub_;
  EventLog event_log_;
  SocketRegistry sockets_;
  NotifySocket notify_;
  std::string preload_library_;
  std::vector<std::unique_ptr<App>> apps_;
  int next_id_ = 0;
  std::vector<AppObserver*> observers_;
  std::map<pid_t, std::function<void(int)>> helpers_;
  std::string stop_starting_because_;
  NoKeeper no_keeper_;
  KeptFds* kept_ = &no_keeper_;
  std::unique_ptr<StateWriter> state_writer_;
};

}  // namespace cxpm
