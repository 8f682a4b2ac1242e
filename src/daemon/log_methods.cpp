// The protocol's log methods: logs (the files' last lines, then live lines), flush and
// reloadLogs. Members of Commands.

#include <algorithm>
#include <memory>

#include "cxpm/core/parse_number.hpp"
#include "cxpm/daemon/commands.hpp"

namespace cxpm {
namespace {

// The last lines go out in events of about this size, well under the 1 MiB frame limit.
constexpr std::size_t kTailEventBytes = 256 * 1024;
// All the last lines of one request together; a reader asking for more is asked for less.
constexpr std::size_t kMaxTailReplyBytes = 8 * 1024 * 1024;

// A file `logs` reads the last lines of, and whose lines they are.
struct TailSource {
  std::string path;
  std::string stream;  // "out" or "err"
  std::string app;
  std::vector<int> ids;
  std::vector<int> instances;
  bool json = false;
  RotationSettings rotation;
  std::optional<FileUser> user;
  LogFile::Lines lines;
};

void add_source(std::vector<TailSource>& sources, const std::string& path, const char* stream,
                const Instance& instance) {
  if (path.empty() || path == "/dev/null") return;
  for (auto& source : sources) {
    if (source.path == path) {  // merge_logs: instances share the file
      source.ids.push_back(instance.id);
      source.instances.push_back(instance.index);
      return;
    }
  }
  const AppSpec& spec = instance.app.spec;
  sources.push_back({path,
                     stream,
                     spec.name,
                     {instance.id},
                     {instance.index},
                     spec.log_type == "json",
                     rotation_settings_of(spec),
                     log_file_user_of(spec),
                     {}});
}

// "2 log file(s) not emptied: …; …", for a reply that lists what went wrong.
std::string join_errors(const std::vector<std::string>& errors, const char* what) {
  std::string message = std::to_string(errors.size()) + " log file(s) " + what + ": ";
  for (std::size_t i = 0; i < errors.size(); ++i) message += (i ? "; " : "") + errors[i];
  return message;
}

// Targets are known to exist: instances_of has read them.
LogFilter filter_of(const std::vector<std::string>& targets, bool out, bool err) {
  LogFilter filter;
  filter.out = out;
  filter.err = err;
  for (const auto& target : targets) {
    if (target == "all") {
      filter.all = true;
    } else if (auto id = parse_whole<int>(target)) {
      filter.ids.insert(*id);
    } else {
      filter.apps.insert(target);
    }
  }
  return filter;
}

// An event of the source's lines; the lines are filled in by the caller.
TailEvent tail_event(const TailSource& source) {
  const bool one_instance = source.ids.size() == 1;
  TailEvent event;
  event.file = source.path;
  event.stream = source.stream;
  event.app = source.app;
  if (one_instance) {
    event.id = source.ids.front();
    event.instance = source.instances.front();
  }
  event.json = source.json;
  return event;
}

// Sends the sources' last lines; false when they are too many bytes for one reply.
bool send_tails(LogHub& hub, const Responder& responder, const std::vector<TailSource>& sources) {
  for (const auto& source : sources) {
    TailEvent event = tail_event(source);
    std::size_t bytes = 0;
    bool sent_any = false;
    auto send = [&] {
      sent_any = true;
      const bool sent = hub.send_tail(responder, to_json(event), kMaxTailReplyBytes);
      event.lines.clear();
      return sent;
    };
    for (const auto& line : source.lines) {
      event.lines.emplace_back(std::string_view(line).substr(0, LogHub::kMaxStreamedLine));
      bytes += std::min(line.size(), LogHub::kMaxStreamedLine) + 3;
      if (bytes < kTailEventBytes) continue;
      if (!send()) return false;
      bytes = 0;
    }
    if ((!event.lines.empty() || !sent_any) && !send()) return false;
  }
  return true;
}

}  // namespace

void Commands::logs(const LogsArgs& args, const Answer& answer) {
  // A stream, not a lifecycle operation: it answers through the connection directly.
  const Responder& responder = answer.responder();
  const auto targets = instances_of(args.targets);
  auto sources = std::make_shared<std::vector<TailSource>>();
  for (auto* instance : targets) {
    if (args.out) add_source(*sources, supervisor_.out_log_path(*instance), "out", *instance);
    if (args.err) add_source(*sources, supervisor_.error_log_path(*instance), "err", *instance);
  }
  LogHub& hub = supervisor_.log_hub();
  // Following starts now, before the last lines are read: a line that is not in them is held
  // back for the reader, so none falls in between.
  const bool follow = args.follow;
  const auto follower = follow ? hub.follow(filter_of(args.targets, args.out, args.err), responder)
                               : LogHub::FollowerId{0};
  auto finish = [&hub, answer, responder, sources, follower, follow] {
    if (!send_tails(hub, responder, *sources)) {
      hub.unfollow(follower);
      responder.discard_unsent_events();
      return answer.fail(error_code::kTooSlow,
                         "the last lines asked for are more than " +
                             std::to_string(kMaxTailReplyBytes / (1024 * 1024)) +
                             " MiB, or the daemon holds too much unread output for log "
                             "readers; ask for fewer with --lines, or retry");
    }
    if (follow) return hub.release(follower);
    answer.reply(EmptyResult{});
  };
  if (args.lines == 0 || sources->empty()) return finish();
  auto remaining = std::make_shared<std::size_t>(sources->size());
  for (std::size_t i = 0; i < sources->size(); ++i) {
    const TailSource& source = (*sources)[i];
    hub.files()
        .open(source.path, source.rotation, source.user)
        ->tail(static_cast<std::size_t>(args.lines),
               [sources, i, remaining, finish](LogFile::Lines lines) {
                 (*sources)[i].lines = std::move(lines);
                 if (--*remaining == 0) finish();
               });
  }
}

void Commands::flush(const FlushArgs& args, const Answer& answer) {
  const auto targets = instances_of(args.targets);
  struct File {
    std::string path;
    RotationSettings rotation;
    std::optional<FileUser> user;
  };
  std::vector<File> files;
  for (auto* instance : targets) {
    const RotationSettings rotation = rotation_settings_of(instance->app.spec);
    const auto user = log_file_user_of(instance->app.spec);
    for (const auto& path :
         {supervisor_.out_log_path(*instance), supervisor_.error_log_path(*instance),
          supervisor_.combined_log_path(*instance)}) {
      if (path.empty() || path == "/dev/null") continue;
      if (std::ranges::find(files, path, &File::path) != files.end()) continue;
      files.push_back({path, rotation, user});
    }
  }
  struct Progress {
    std::size_t remaining;
    std::vector<std::string> paths;
    std::vector<std::string> errors;
  };
  auto progress = std::make_shared<Progress>(Progress{files.size(), {}, {}});
  for (const auto& file : files) progress->paths.push_back(file.path);
  if (files.empty()) return answer.reply(FlushResult{});
  for (const auto& [path, rotation, user] : files) {
    supervisor_.log_hub()
        .files()
        .open(path, rotation, user)
        ->truncate([progress, answer](const std::string& error) {
          if (!error.empty()) progress->errors.push_back(error);
          if (--progress->remaining > 0) return;
          if (progress->errors.empty()) return answer.reply(FlushResult{progress->paths});
          answer.fail(error_code::kFailed, join_errors(progress->errors, "not emptied"),
                      FlushFailure{progress->paths, progress->errors});
        });
  }
}

void Commands::reload_logs(const NoArgs&, const Answer& answer) {
  supervisor_.log_hub().reopen_all(
      [answer](std::size_t count, const std::vector<std::string>& errors) {
        if (errors.empty()) return answer.reply(ReloadLogsResult{static_cast<std::int64_t>(count)});
        answer.fail(error_code::kFailed, join_errors(errors, "not reopened"),
                    ReopenFailure{static_cast<std::int64_t>(count - errors.size()), errors});
      });
}

}  // namespace cxpm
