// The protocol's log methods: logs (the files' last lines, then live lines), flush and
// reloadLogs. Members of Commands; they live here to keep commands.cpp about processes.

#include <algorithm>
#include <memory>

#include "cxpm/daemon/commands.hpp"
#include "cxpm/protocol/args.hpp"

namespace cxpm {
namespace {

constexpr std::int64_t kMaxTailLines = 100000;
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

// No targets means every app.
Request with_default_targets(const Request& request) {
  Request copy = request;
  if (!copy.args.contains("targets")) copy.args["targets"] = Json::array({"all"});
  return copy;
}

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

LogFilter filter_of(const Json& targets, bool out, bool err) {
  LogFilter filter;
  filter.out = out;
  filter.err = err;
  for (const auto& target : targets) {
    const auto& text = target.get_ref<const std::string&>();
    if (text == "all") {
      filter.all = true;
    } else if (!text.empty() && text.find_first_not_of("0123456789") == std::string::npos) {
      filter.ids.insert(std::stoi(text));
    } else {
      filter.apps.insert(text);
    }
  }
  return filter;
}

Json tail_event(const TailSource& source, Json lines) {
  const bool one_instance = source.ids.size() == 1;
  return Json{{"kind", "tail"},
              {"file", source.path},
              {"stream", source.stream},
              {"app", source.app},
              {"id", one_instance ? Json(source.ids.front()) : Json()},
              {"instance", one_instance ? Json(source.instances.front()) : Json()},
              {"json", source.json},
              {"lines", std::move(lines)}};
}

// Sends the sources' last lines; false when they are too many bytes for one reply.
bool send_tails(LogHub& hub, const Responder& responder, const std::vector<TailSource>& sources) {
  for (const auto& source : sources) {
    Json lines = Json::array();
    std::size_t bytes = 0;
    bool sent_any = false;
    auto send = [&] {
      sent_any = true;
      return hub.send_tail(responder, tail_event(source, std::move(lines)), kMaxTailReplyBytes);
    };
    for (const auto& line : source.lines) {
      lines.push_back(std::string_view(line).substr(0, LogHub::kMaxStreamedLine));
      bytes += std::min(line.size(), LogHub::kMaxStreamedLine) + 3;
      if (bytes < kTailEventBytes) continue;
      if (!send()) return false;
      lines = Json::array();
      bytes = 0;
    }
    if ((!lines.empty() || !sent_any) && !send()) return false;
  }
  return true;
}

}  // namespace

void Commands::logs(const Request& request, const Answer& answer) {
  // A stream, not a lifecycle operation: it answers through the connection directly.
  const Responder& responder = answer.responder();
  const Request targeted = with_default_targets(request);
  const ArgsReader args(request.args, "args");
  const std::int64_t count = args.integer("lines", 15);
  if (count < 0 || count > kMaxTailLines) {
    throw ArgsError(args.path_of("lines") + ": expected 0 to " + std::to_string(kMaxTailLines) +
                    ", got " + std::to_string(count));
  }
  const bool out = args.boolean("out", true);
  const bool err = args.boolean("err", true);
  const bool follow = args.boolean("follow", true);
  const auto targets = targets_of(targeted);

  auto sources = std::make_shared<std::vector<TailSource>>();
  for (auto* instance : targets) {
    if (out) add_source(*sources, supervisor_.out_log_path(*instance), "out", *instance);
    if (err) add_source(*sources, supervisor_.error_log_path(*instance), "err", *instance);
  }
  LogHub& hub = supervisor_.log_hub();
  // Following starts now, before the last lines are read: a line that is not in them is held
  // back for the reader, so none falls in between.
  const auto follower =
      follow ? hub.follow(filter_of(targeted.args.at("targets"), out, err), responder)
             : LogHub::FollowerId{0};
  auto finish = [&hub, responder, sources, follower, follow] {
    if (!send_tails(hub, responder, *sources)) {
      hub.unfollow(follower);
      responder.discard_unsent_events();
      return responder.fail(error_code::kTooSlow,
                            "the last lines asked for are more than " +
                                std::to_string(kMaxTailReplyBytes / (1024 * 1024)) +
                                " MiB, or the daemon holds too much unread output for log "
                                "readers; ask for fewer with --lines, or retry");
    }
    if (follow) return hub.release(follower);
    responder.reply(Json::object());
  };
  if (count == 0 || sources->empty()) return finish();
  auto remaining = std::make_shared<std::size_t>(sources->size());
  for (std::size_t i = 0; i < sources->size(); ++i) {
    const TailSource& source = (*sources)[i];
    hub.files()
        .open(source.path, source.rotation, source.user)
        ->tail(static_cast<std::size_t>(count),
               [sources, i, remaining, finish](LogFile::Lines lines) {
                 (*sources)[i].lines = std::move(lines);
                 if (--*remaining == 0) finish();
               });
  }
}

void Commands::flush(const Request& request, const Answer& answer) {
  const Responder& responder = answer.responder();
  const auto targets = targets_of(with_default_targets(request));
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
    Json paths = Json::array();
    std::vector<std::string> errors;
  };
  auto progress = std::make_shared<Progress>(Progress{files.size()});
  for (const auto& file : files) progress->paths.push_back(file.path);
  if (files.empty()) return responder.reply({{"files", progress->paths}});
  for (const auto& [path, rotation, user] : files) {
    supervisor_.log_hub()
        .files()
        .open(path, rotation, user)
        ->truncate([progress, responder](const std::string& error) {
          if (!error.empty()) progress->errors.push_back(error);
          if (--progress->remaining > 0) return;
          if (progress->errors.empty()) return responder.reply({{"files", progress->paths}});
          responder.fail("failed", join_errors(progress->errors, "not emptied"),
                         {{"files", progress->paths}, {"errors", progress->errors}});
        });
  }
}

void Commands::reload_logs(const Request&, const Answer& answer) {
  const Responder& responder = answer.responder();
  supervisor_.log_hub().reopen_all(
      [responder](std::size_t count, const std::vector<std::string>& errors) {
        if (errors.empty()) return responder.reply({{"reopened", count}});
        responder.fail("failed", join_errors(errors, "not reopened"),
                       {{"reopened", count - errors.size()}, {"errors", errors}});
      });
}

}  // namespace cxpm
