// monit: a full-screen dashboard of every process (docs/monit.md). This file is the loop: it
// asks the daemon, feeds the view, and draws; what is shown and what keys mean are in
// monit_view, where it goes on screen in monit_layout and monit_text.

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <csignal>
#include <optional>

#include "cxpm/cli/client.hpp"
#include "cxpm/cli/commands.hpp"
#include "cxpm/cli/daemon_stream.hpp"
#include "cxpm/cli/monit_screen.hpp"
#include "cxpm/cli/monit_view.hpp"
#include "cxpm/cli/quit_signals.hpp"
#include "cxpm/cli/terminal_text.hpp"
#include "cxpm/core/clock.hpp"

namespace cxpm {
namespace {

constexpr Milliseconds kRefreshEvery{1000};
// Log lines drawn at most this often: an app writing thousands of lines a second costs one
// frame per interval, not one per line.
constexpr Milliseconds kFrameEvery{50};
// Each process's last lines when it is selected.
constexpr std::int64_t kTailLines = 200;

constexpr const char* kDescription =
    "A live dashboard of every process: status, CPU and memory with the last minute's history,\n"
    "restarts and uptime, and the selected process's log lines as they are written. Refreshed\n"
    "once a second by one `list` request, whatever the number of processes.\n\n"
    "Keys (shown at the bottom): Up/Down or j/k select a process; r restarts it, l reloads it,\n"
    "s stops it (after y to confirm); PgUp/PgDn scroll its log lines, Home/End go to the oldest\n"
    "kept and back to the newest; q or Ctrl-C quits, leaving the terminal as it was.\n\n"
    "Needs a terminal: for scripts, `cxpm ls`, `cxpm jlist` or `cxpm logs`.";

std::string who(const MonitCommand& command) {
  return fmt::format("{} (id {})", command.name, command.id);
}

// How the message line speaks of an action.
struct ActionWords {
  const char* verb;
  const char* doing;
  const char* done;
};

ActionWords words_for(MonitAction action) {
  switch (action) {
    case MonitAction::kRestart:
      return {"restart", "restarting", "restarted"};
    case MonitAction::kReload:
      return {"reload", "reloading", "reloaded"};
    default:
      return {"stop", "stopping", "stopped"};
  }
}

class Monit {
 public:
  Monit(const Home& home, std::vector<ProcessInfo> first_list)
      : home_(home), list_(DaemonStream::connect(home)) {
    view_.update(std::move(first_list));
  }

  // Returns the signal that ended it (0 for q).
  int run() {
    QuitSignals signals;
    MonitScreen screen;
    TimePoint next_refresh = steady_now() + kRefreshEvery;
    TimePoint drawn_at{};
    bool dirty = true;
    for (;;) {
      for (const MonitKey key : screen.read_keys()) {
        const MonitCommand command = view_.press(key, log_rows(screen));
        if (command.action == MonitAction::kQuit) return 0;
        if (command.action != MonitAction::kNone) start_action(command);
        dirty = true;
        drawn_at = {};  // a key is answered at once
      }
      follow_selected();
      const TimePoint now = steady_now();
      if (now >= next_refresh) {
        ask_for_list();
        next_refresh = now + kRefreshEvery;
      }
      if (dirty && now - drawn_at >= kFrameEvery) {
        screen.draw(view_, title());
        drawn_at = now;
        dirty = false;
      }

      std::vector<pollfd> fds{{STDIN_FILENO, POLLIN, 0}, {list_.fd(), POLLIN, 0}};
      if (logs_) fds.push_back({logs_->fd(), POLLIN, 0});
      if (action_) fds.push_back({action_->fd(), POLLIN, 0});
      Milliseconds wait = next_refresh - now;
      if (dirty) wait = std::min(wait, kFrameEvery - (now - drawn_at));
      if (!signals.wait(fds, wait)) return signals.received();
      // The terminal went (its window closed without a SIGHUP): nobody is looking.
      if ((fds[0].revents & (POLLHUP | POLLERR | POLLNVAL)) != 0) return SIGHUP;
      // A resize (SIGWINCH) ends the wait without input; its key is read at the top.
      dirty = true;
      if (fds[1].revents != 0) read_list();
      std::size_t next = 2;
      if (logs_ && fds[next++].revents != 0) read_logs();
      if (action_ && fds[next].revents != 0) read_action();
    }
  }

 private:
  std::size_t log_rows(const MonitScreen& screen) const {
    const MonitLayout layout = screen.layout(view_);
    return layout.fits ? static_cast<std::size_t>(layout.log_rows) : 1;
  }

  std::string title() const {
    const std::size_t count = view_.processes().size();
    return fmt::format("cxpm monit  {} process{}  {:%H:%M:%S}", count, count == 1 ? "" : "es",
                       fmt::localtime(std::chrono::system_clock::to_time_t(refreshed_at_)));
  }

  // One `list` for every process, never a second while one is unanswered.
  void ask_for_list() {
    if (list_in_flight_) return;
    list_.send<method::List>({});
    list_in_flight_ = true;
  }

  void read_list() {
    DaemonStream::Arrived arrived = list_.read_ready();
    if (arrived.ended) reconnect();
    if (!arrived.reply) return;
    list_in_flight_ = false;
    if (!arrived.reply->ok()) {
      view_.set_message("the daemon could not list its processes: " +
                        arrived.reply->error().message);
      return;
    }
    try {
      view_.update(decode<ProcessesResult>(arrived.reply->result(), "result").processes);
    } catch (const ArgsError& error) {
      throw CliError(std::string("the daemon's answer to list does not read: ") + error.what());
    }
    refreshed_at_ = std::chrono::system_clock::now();
  }

  // The daemon closed the list's connection: a new daemon may be there (the keeper starts
  // one); if none is, monit has nothing left to show.
  void reconnect() {
    try {
      list_ = DaemonStream::connect(home_);
    } catch (const CliError& error) {
      throw CliError(std::string("the daemon went away; monit stopped (") + error.what() +
                     "). `cxpm ls` starts a new one");
    }
    list_in_flight_ = false;
    logs_.reset();
    logs_for_ = -1;
    ask_for_list();
    view_.set_message("the daemon restarted; following it again");
  }

  // A log stream for the selected process, opened again when the selection moves.
  void follow_selected() {
    const ProcessInfo* selected = view_.selected();
    const int id = selected ? selected->id : -1;
    if (id == logs_for_) return;
    logs_.reset();
    view_.clear_logs();
    logs_for_ = id;
    if (!selected) return;
    LogsArgs args;
    args.targets = {std::to_string(id)};
    args.lines = kTailLines;
    try {
      logs_.emplace(DaemonStream::connect(home_));
      logs_->send<method::Logs>(args);
    } catch (const CliError& error) {
      logs_.reset();
      view_.set_message(std::string("cannot follow the logs: ") + error.what());
    }
  }

  void read_logs() {
    DaemonStream::Arrived arrived = logs_->read_ready();
    for (const Json& data : arrived.events) {
      LogEvent event;
      try {
        event = decode<LogEvent>(data, "event");
      } catch (const ArgsError&) {
        continue;  // a kind of event this monit does not know: nothing to show
      }
      const auto add = [&](const std::string& stream, const std::vector<std::string>& lines) {
        for (const auto& line : lines) view_.add_log_line(stream + " | " + printable_text(line));
      };
      if (const auto* tail = std::get_if<TailEvent>(&event)) {
        add(tail->stream, tail->lines);
      } else {
        const auto& live = std::get<LiveEvent>(event);
        add(live.stream, live.lines);
      }
    }
    // A follow ends only when the process went or the daemon did: the next list says which.
    if (arrived.reply && !arrived.reply->ok()) {
      view_.set_message("logs: " + arrived.reply->error().message);
    }
    if (arrived.reply || arrived.ended) logs_.reset();
  }

  void start_action(const MonitCommand& command) {
    if (action_) {
      view_.set_message(fmt::format("the {} of {} is still under way",
                                    words_for(action_for_.action).verb, who(action_for_)));
      return;
    }
    const std::string target = std::to_string(command.id);
    try {
      action_.emplace(DaemonStream::connect(home_));
      switch (command.action) {
        case MonitAction::kRestart: {
          RestartArgs args;
          args.targets = {target};
          action_->send<method::Restart>(args);
          break;
        }
        case MonitAction::kReload: {
          ReloadArgs args;
          args.targets = {target};
          action_->send<method::Reload>(args);
          break;
        }
        default: {
          TargetsArgs args;
          args.targets = {target};
          action_->send<method::Stop>(args);
          break;
        }
      }
    } catch (const CliError& error) {
      action_.reset();
      view_.set_message(fmt::format("cannot {} {}: {}", words_for(command.action).verb,
                                    who(command), error.what()));
      return;
    }
    action_for_ = command;
    view_.set_message(fmt::format("{} {}...", words_for(command.action).doing, who(command)));
  }

  void read_action() {
    DaemonStream::Arrived arrived = action_->read_ready();
    if (!arrived.reply && !arrived.ended) return;
    const ActionWords words = words_for(action_for_.action);
    if (!arrived.reply) {
      view_.set_message(fmt::format("no answer to the {} of {}: the daemon closed the connection",
                                    words.verb, who(action_for_)));
    } else if (arrived.reply->ok()) {
      view_.set_message(fmt::format("{} {}", words.done, who(action_for_)));
      ask_for_list();  // the new restart count and pid now, not in up to a second
    } else {
      view_.set_message(fmt::format("the {} of {} failed: {}", words.verb, who(action_for_),
                                    arrived.reply->error().message));
    }
    action_.reset();
  }

  Home home_;
  MonitView view_;
  DaemonStream list_;
  bool list_in_flight_ = false;
  std::chrono::system_clock::time_point refreshed_at_ = std::chrono::system_clock::now();
  std::optional<DaemonStream> logs_;
  int logs_for_ = -1;
  std::optional<DaemonStream> action_;
  MonitCommand action_for_;
};

}  // namespace

void register_monit_command(CLI::App& app, CommandContext& context) {
  auto* command = app.add_subcommand("monit", "A live dashboard of every process (keys: q quits)");
  command->footer(kDescription);
  command->callback([&context] {
    if (::isatty(STDOUT_FILENO) != 1 || ::isatty(STDIN_FILENO) != 1) {
      throw CliError("monit needs a terminal; try `cxpm ls` or `cxpm jlist`");
    }
    // The first list before the screen is taken: starting the daemon, or failing to, is
    // said on the terminal as every command says it.
    std::vector<ProcessInfo> processes =
        Client::connect(context.home)->call<method::List>().processes;
    Monit monit(context.home, std::move(processes));
    // Ctrl-C is how a dashboard is left, as q is; a signal from elsewhere says so.
    const int signal = monit.run();
    if (signal != 0 && signal != SIGINT) context.exit_code = 128 + signal;
  });
}

}  // namespace cxpm
