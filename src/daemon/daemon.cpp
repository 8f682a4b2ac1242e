#include "cxpm/daemon/daemon.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <unistd.h>
#include <uv.h>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <stdexcept>

#include "cxpm/core/build_info.hpp"
#include "cxpm/daemon/adoption.hpp"
#include "cxpm/daemon/app_features.hpp"
#include "cxpm/daemon/commands.hpp"
#include "cxpm/daemon/control_server.hpp"
#include "cxpm/daemon/daemon_settings_file.hpp"
#include "cxpm/daemon/keeper_link.hpp"
#include "cxpm/daemon/memory_release.hpp"
#include "cxpm/daemon/notifications.hpp"
#include "cxpm/daemon/runtime_mode.hpp"
#include "cxpm/daemon/saved_apps.hpp"
#include "cxpm/daemon/service_notify.hpp"
#include "cxpm/daemon/supervisor.hpp"
#include "cxpm/daemon/web_metrics.hpp"
#include "cxpm/daemon/web_service.hpp"
#include "cxpm/sys/code_pages.hpp"
#include "cxpm/sys/error.hpp"
#include "cxpm/sys/unique_fd.hpp"

namespace cxpm {
namespace {

constexpr std::size_t kDaemonLogBytes = 10 * 1024 * 1024;
constexpr std::size_t kDaemonLogFiles = 3;

// daemon.log is opened by name: Home::prepare has checked that it is no link and that only
// we can write the home, so nobody can make it one now.
void set_up_logging(const DaemonOptions& options) {
  std::vector<spdlog::sink_ptr> sinks;
  sinks.push_back(std::make_shared<spdlog::sinks::rotating_file_sink_mt>(
      options.home.log_path(), kDaemonLogBytes, kDaemonLogFiles));
  if (options.log_to_stderr) {
    sinks.push_back(std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
  }
  auto logger = std::make_shared<spdlog::logger>("cxpm", sinks.begin(), sinks.end());
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%l%$ %v");
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
}

// Holds daemon.pid locked for the daemon's life: the lock, not the file, says who runs.
// Opened without following a link (Home::prepare has checked the home is ours alone).
UniqueFd lock_pid_file(const Home& home) {
  UniqueFd fd = home.open_file("daemon.pid", O_RDWR | O_CREAT, 0600);
  if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
    char text[32] = {};
    const ssize_t got = ::pread(fd.get(), text, sizeof text - 1, 0);
    std::string holder(text, got > 0 ? static_cast<std::size_t>(got) : 0);
    while (!holder.empty() && (holder.back() == '\n' || holder.back() == ' ')) holder.pop_back();
    throw std::runtime_error("another cxpm daemon" +
                             (holder.empty() ? std::string() : " (pid " + holder + ")") +
                             " is already running for CXPM_HOME=" + home.dir +
                             "; stop it with `cxpm kill`, or use another CXPM_HOME");
  }
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd.get(), 0) != 0 || ::pwrite(fd.get(), pid.data(), pid.size(), 0) < 0) {
    throw_system_error("cannot write " + home.pid_path());
  }
  return fd;
}

// Tells the CLI that started us how the start went, once.
void tell_parent(int& ready_fd, const std::string& message) {
  if (ready_fd < 0) return;
  const std::string line = message + "\n";
  [[maybe_unused]] auto written = ::write(ready_fd, line.data(), line.size());
  ::close(ready_fd);
  ready_fd = -1;
}

class Daemon {
 public:
  Daemon(const DaemonOptions& options, KeeperLink* keeper)
      : options_(options),
        keeper_(keeper),
        // A daemon a CLI started is not the service a NOTIFY_SOCKET it inherited belongs to;
        // under a keeper, the keeper (the service's main pid) sends on what we tell it.
        notifier_(ServiceNotifier::from_environment(/*ours=*/options.ready_fd < 0 && !keeper)),
        supervisor_(loop(), options.home),
        gate_(loop()),
        features_(loop(), supervisor_, gate_),
        notifications_(supervisor_),
        settings_(loop(), options.home,
                  [this](const DaemonSettings& settings) {
                    notifications_.set_daemon_settings(settings.notify);
                  }),
        commands_(supervisor_, gate_, [this] { shut_down(); }),
        server_(loop(),
                [this](const Request& request, const Responder& responder) {
                  commands_.handle(request, responder);
                }),
        metrics_(supervisor_) {}

  int run(const std::function<void()>& on_listening) {
    pid_file_ = lock_pid_file(options_.home);
    // Orphans of an app re-parent to us, not to init, so they are reaped and never pile up.
    ::prctl(PR_SET_CHILD_SUBREAPER, 1);
    ::signal(SIGPIPE, SIG_IGN);
    watch_signal(SIGCHLD, [this] { supervisor_.reap(); });
    watch_signal(SIGTERM, [this] { graceful_exit("SIGTERM"); });
    watch_signal(SIGINT, [this] { graceful_exit("SIGINT"); });
    watch_signal(SIGHUP, [this] {
      spdlog::info("SIGHUP: reading {} again", DaemonSettingsFile::kFileName);
      settings_.reload();
    });
    commands_.add_warning_source([this] { return settings_.problem(); });
    watch_signal(SIGUSR1, [this] {
      // For an external logrotate that moved the files away: write to new ones.
      supervisor_.log_hub().reopen_all(
          [](std::size_t count, const std::vector<std::string>& errors) {
            spdlog::info("SIGUSR1: reopened {} of {} log file(s)", count - errors.size(), count);
          });
    });
    if (keeper_) {
      keeper_->receive_hand_over();
      supervisor_.set_kept_fds(*keeper_);
      supervisor_.set_keeper(keeper_->keeper().pid);
      commands_.set_hand_over([this](const std::string& binary) { return hand_over(binary); });
      commands_.set_keeper_report([this](PingResult& result) {
        result.keeper_pid = keeper_->lost().empty() ? keeper_->keeper().pid : 0;
        result.keeper_version = keeper_->keeper().version;
        result.keeper_lost = keeper_->lost();
        result.update_failure = keeper_->keeper().update_failure;
      });
    }
    // The control socket an earlier daemon listened on, if the keeper holds it: commands
    // sent while no daemon ran wait in its backlog and are answered now.
    const int control = server_.listen(options_.home.socket_path(), kept().take("control"));
    kept().keep("control", control);
    spdlog::info("cxpm daemon {} started (pid {}, CXPM_HOME={}{})", build_description(), ::getpid(),
                 options_.home.dir,
                 keeper_ ? ", keeper pid " + std::to_string(keeper_->keeper().pid) : "");
    // Requests that come meanwhile wait in the socket's backlog: the loop has not run yet.
    // A container runtime runs the apps it was given, not a table an earlier run left.
    if (!options_.runtime) adopt_saved_state(supervisor_, options_.home);
    if (!options_.runtime) serve_web();
    std::string status = "answering";
    if (options_.resurrect) status = resurrect_at_start(supervisor_, options_.home);
    if (options_.runtime) {
      runtime_ = std::make_unique<RuntimeMode>(
          loop(), supervisor_, std::move(*options_.runtime),
          [this](const std::string& why) { graceful_exit(why.c_str()); });
      status = runtime_->start_apps();
    }
    on_listening();
    notify("READY=1\nSTATUS=" + status);
    // Exits the keeper reaped while no daemon ran come now, after the adoption.
    if (keeper_) keeper_->start(loop(), supervisor_);
    uv_run(loop(), UV_RUN_DEFAULT);
    spdlog::info("cxpm daemon stopped");
    return runtime_ ? runtime_->exit_code() : 0;
  }

 private:
  struct SignalWatch {
    UvHandle<uv_signal_t> handle;
    std::function<void()> on_signal;
  };

  static uv_loop_t* loop() { return uv_default_loop(); }

  KeptFds& kept() { return supervisor_.kept_fds(); }

  void notify(const std::string& message) {
    if (keeper_ && keeper_->lost().empty()) return keeper_->notify(message);
    notifier_.notify(message);
  }

  // `update`: the keeper starts `binary` once we are gone (and ours again if it fails). We
  // exit without stopping anything: the apps, their pipes and sockets stay with the keeper.
  std::string hand_over(const std::string& binary) {
    if (handing_over_) return "an update is under way already";
    if (!keeper_->hand_over_to(binary)) return "the keeper is gone: " + keeper_->lost();
    handing_over_ = true;
    // What comes now waits in the kept socket's backlog for the next daemon.
    server_.stop_accepting();
    // Lines being written finish and leave their pipes; the rest waits there for the next
    // daemon, so none is lost or written twice. Then 100 ms for the update's answer to be
    // written, and a plain exit; at most 5 s in all, for a file on a hung disk.
    static constexpr uv_timer_cb exit_now = [](uv_timer_t*) {
      spdlog::info("cxpm daemon handed over; exiting");
      spdlog::shutdown();
      std::_Exit(0);
    };
    uv_timer_init(loop(), exit_timer_.get());
    exit_timer_.mark_initialized();
    uv_timer_start(exit_timer_.get(), exit_now, 5000, 0);
    supervisor_.hand_over_output([this] { uv_timer_start(exit_timer_.get(), exit_now, 100, 0); });
    return {};
  }

  // `cxpm web`: the HTTP server on its own thread, asking the loop through a bridge; what
  // web.json says is served again by every daemon.
  void serve_web() {
    web_ = std::make_unique<WebService>(
        loop(), options_.home,
        [this](const Request& request, const Responder& responder) {
          commands_.handle(request, responder);
        },
        [this] { return metrics_.text(); });
    commands_.set_web([this](const WebArgs& args) { return web_->apply(args); });
    web_->start_from_setting();
  }

  void watch_signal(int signal_number, std::function<void()> on_signal) {
    auto watch = std::make_unique<SignalWatch>();
    watch->on_signal = std::move(on_signal);
    uv_signal_init(loop(), watch->handle.get());
    watch->handle.mark_initialized();
    watch->handle.get()->data = watch.get();
    uv_signal_start(
        watch->handle.get(),
        [](uv_signal_t* handle, int) { static_cast<SignalWatch*>(handle->data)->on_signal(); },
        signal_number);
    signals_.push_back(std::move(watch));
  }

  void graceful_exit(const char* why) {
    if (exiting_) return;
    exiting_ = true;
    if (runtime_) runtime_->stopping();
    spdlog::info("{}: stopping every app, then exiting", why);
    tell_stopping(std::string("stopping every app (") + why + ")");
    // Never behind an operation under way: it is left to its end, but starts nothing more.
    commands_.stop_everything(why, [this](std::size_t) { shut_down(); });
  }

  void tell_stopping(const std::string& status) {
    if (told_stopping_) return;
    told_stopping_ = true;
    notify("STOPPING=1\nSTATUS=" + status);
  }

  void shut_down() {
    tell_stopping("exiting");
    if (keeper_) {
      keeper_->bye();  // the keeper exits with us
      keeper_->close();
    }
    server_.close();
    if (web_) web_->close();
    ::unlink(options_.home.socket_path().c_str());
    // Keep SIGCHLD watched until the loop ends; the others go so the loop can end.
    for (std::size_t i = 1; i < signals_.size(); ++i) signals_[i]->handle.close();
    signals_.front()->handle.close();
  }

  DaemonOptions options_;
  KeeperLink* keeper_;        // null without a keeper
  ServiceNotifier notifier_;  // systemd's NOTIFY_SOCKET, taken before any app can inherit it
  Supervisor supervisor_;
  LifecycleGate gate_;    // one lifecycle operation per app at a time
  AppFeatures features_;  // watch, cron_restart, max_memory_restart
  Notifications notifications_;
  DaemonSettingsFile settings_;  // $CXPM_HOME/cxpm.yaml
  Commands commands_;
  ControlServer server_;
  WebMetrics metrics_;
  std::unique_ptr<WebService> web_;  // not in a container runtime
  UniqueFd pid_file_;
  std::vector<std::unique_ptr<SignalWatch>> signals_;
  std::unique_ptr<RuntimeMode> runtime_;  // in the foreground for a container (runtime_mode.hpp)
  UvHandle<uv_timer_t> exit_timer_;
  bool handing_over_ = false;
  bool exiting_ = false;
  bool told_stopping_ = false;
};

}  // namespace

DaemonOptions DaemonOptions::from_environment(const Home& home) {
  DaemonOptions options{home};
  if (const char* ready = std::getenv("CXPM_READY_FD")) {
    options.ready_fd = std::atoi(ready);
    options.log_to_stderr = false;
    ::unsetenv("CXPM_READY_FD");
  }
  // Under a keeper: it says whether our stderr is a terminal or journal (or daemon.log).
  if (const char* to_stderr = std::getenv("CXPM_DAEMON_STDERR")) {
    options.log_to_stderr = std::string_view(to_stderr) == "1";
    ::unsetenv("CXPM_DAEMON_STDERR");
  }
  return options;
}

int run_daemon(const DaemonOptions& options) {
  tune_malloc_for_daemon();
  int ready_fd = options.ready_fd;
  const auto keeper = KeeperLink::from_environment();
  // Whoever started us hears once how the start went: the keeper, or a CLI's pipe.
  auto tell = [&](const std::string& message) {
    if (!keeper) return tell_parent(ready_fd, message);
    if (message == "ok") return keeper->ready();
    keeper->failed(message.starts_with("error: ") ? message.substr(7) : message);
  };
  try {
    options.home.prepare();
    set_up_logging(options);
  } catch (const std::exception& error) {
    tell(std::string("error: ") + error.what());
    std::fprintf(stderr, "cxpm daemon: %s\n", error.what());
    return 1;
  }
  int exit_code = 1;
  try {
    Daemon daemon(options, keeper.get());
    exit_code = daemon.run([&] {
      tell("ok");
      release_code_pages();  // what starting up ran (code_pages.hpp)
    });
  } catch (const std::exception& error) {
    spdlog::error("{}", error.what());
    tell(std::string("error: ") + error.what());
  }
  // Let the close callbacks of the handles the daemon's parts released run, then free the loop.
  uv_run(uv_default_loop(), UV_RUN_DEFAULT);
  uv_loop_close(uv_default_loop());
  return exit_code;
}

}  // namespace cxpm
