#include "cxpm/daemon/log_hub.hpp"

#include <memory>

#include "cxpm/sys/user.hpp"

namespace cxpm {
namespace {

constexpr std::string_view kTooSlow = "too_slow";

}  // namespace

RotationSettings rotation_settings_of(const AppSpec& spec) {
  return {spec.max_size, spec.retain, spec.compress};
}

std::optional<FileUser> log_file_user_of(const AppSpec& spec) {
  if (spec.uid.empty()) return std::nullopt;
  const auto run_as = resolve_run_as(spec.uid, spec.gid);
  const auto* resolved = std::get_if<RunAs>(&run_as);
  if (!resolved || !resolved->uid) return std::nullopt;  // refused at spawn, with the reason
  return FileUser{*resolved->uid, resolved->gid.value_or(0)};
}

bool LogFilter::matches(const LineSource& source, bool is_error) const {
  if (is_error ? !err : !out) return false;
  return all || apps.contains(source.app) || ids.contains(source.id);
}

LogHub::FollowerId LogHub::follow(LogFilter filter, Responder responder) {
  const FollowerId id = next_id_++;
  followers_.emplace(id, Follower{std::move(filter), std::move(responder)});
  return id;
}

void LogHub::release(FollowerId id) {
  auto it = followers_.find(id);
  if (it == followers_.end()) return;
  Follower& follower = it->second;
  follower.holding = false;
  auto held = std::move(follower.held);
  follower.held.clear();
  follower.held_bytes = 0;
  for (auto& event : held) {
    if (!follower.responder.event_if_keeping_up(std::move(event), kMaxReaderBacklog)) {
      cut_off(follower);
      followers_.erase(it);
      return;
    }
  }
}

void LogHub::unfollow(FollowerId id) {
  followers_.erase(id);
}

bool LogHub::wants(const LineSource& source, bool is_error) const {
  for (const auto& [id, follower] : followers_) {
    if (follower.filter.matches(source, is_error)) return true;
  }
  return false;
}

void LogHub::publish(const LineSource& source, bool is_error, std::int64_t unix_ms, Json lines) {
  std::size_t bytes = 0;
  for (const auto& line : lines) bytes += line.get_ref<const std::string&>().size() + 3;
  const Json event{{"kind", "live"},
                   {"app", source.app},
                   {"id", source.id},
                   {"instance", source.instance},
                   {"stream", is_error ? "err" : "out"},
                   {"time", unix_ms},
                   {"lines", std::move(lines)}};
  for (auto it = followers_.begin(); it != followers_.end();) {
    Follower& follower = it->second;
    bool keep = follower.responder.connected();
    if (keep && follower.filter.matches(source, is_error)) {
      if (follower.holding) {
        follower.held_bytes += bytes;
        keep = follower.held_bytes <= kMaxReaderBacklog;
        if (keep) follower.held.push_back(event);
      } else {
        keep = follower.responder.event_if_keeping_up(event, kMaxReaderBacklog);
      }
      if (!keep) cut_off(follower);
    }
    it = keep ? std::next(it) : followers_.erase(it);
  }
}

void LogHub::reopen_all(Reopened done) {
  auto files = files_.open_files();
  const std::size_t count = files.size();
  if (count == 0) {
    if (done) done(0, {});
    return;
  }
  struct Progress {
    std::size_t remaining;
    std::vector<std::string> errors;
  };
  auto progress = std::make_shared<Progress>(Progress{count, {}});
  for (auto& file : files) {
    file->reopen([progress, count, done](const std::string& error) {
      if (!error.empty()) progress->errors.push_back(error);
      if (--progress->remaining == 0 && done) done(count, progress->errors);
    });
  }
}

void LogHub::cut_off(const Follower& follower) {
  follower.responder.fail(
      kTooSlow, "this reader fell more than " + std::to_string(kMaxReaderBacklog / (1024 * 1024)) +
                    " MiB behind the apps' output and was cut off; the log files "
                    "have every line");
}

}  // namespace cxpm
