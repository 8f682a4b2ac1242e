#include "cxpm/daemon/log_hub.hpp"

#include <algorithm>
#include <memory>

#include "cxpm/protocol/log_events.hpp"
#include "cxpm/sys/user.hpp"

namespace cxpm {
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
  follower.allowance = follower.responder.backlog();
  auto held = std::move(follower.held);
  follower.held.clear();
  follower.held_bytes = 0;
  for (const auto& event : held) {
    if (follower.responder.backlog() > kMaxReaderBacklog + follower.allowance) {
      cut_off(follower);
      break;
    }
    follower.responder.event(event);
  }
  erase_dropped();
}

void LogHub::unfollow(FollowerId id) {
  followers_.erase(id);
}

bool LogHub::wants(const LineSource& source, bool is_error) const {
  if (tap_) return true;
  for (const auto& [id, follower] : followers_) {
    if (follower.filter.matches(source, is_error)) return true;
  }
  return false;
}

std::size_t LogHub::readers_backlog() const {
  std::size_t bytes = 0;
  for (const auto& [id, follower] : followers_) {
    if (!follower.dropped) bytes += follower.held_bytes + follower.responder.backlog();
  }
  for (const auto& reader : tail_readers_) bytes += reader.backlog();
  return bytes;
}

bool LogHub::drop_furthest_behind() {
  Follower* furthest = nullptr;
  std::size_t most = 0;
  for (auto& [id, follower] : followers_) {
    const std::size_t behind = follower.held_bytes + follower.responder.backlog();
    if (!follower.dropped && behind > most) {
      most = behind;
      furthest = &follower;
    }
  }
  if (!furthest) return false;
  cut_off(*furthest);
  return true;
}

void LogHub::count_written(const LineSource& source, bool is_error, std::uint64_t lines,
                           std::uint64_t bytes) {
  WrittenCount& count = written_[WrittenKey{source.app, source.instance, is_error}];
  count.lines += lines;
  count.bytes += bytes;
}

void LogHub::publish(const LineSource& source, bool is_error, std::int64_t unix_ms,
                     std::vector<std::string> lines) {
  if (tap_) tap_(source, is_error, unix_ms, lines);
  if (followers_.empty()) return;
  EncodedEventData encoded =
      encode_event_data(to_json(LiveEvent{source.app, source.id, source.instance,
                                          is_error ? "err" : "out", unix_ms, std::move(lines)}));
  // One copy for every reader; each is sent it inside an envelope of its own.
  const auto event = std::make_shared<const std::string>(std::move(encoded.json));
  const std::size_t bytes = event->size() + 64;  // and the envelope around it
  std::erase_if(tail_readers_, [](const Responder& reader) { return reader.backlog() == 0; });
  std::size_t all = readers_backlog();
  for (auto& [id, follower] : followers_) {
    if (follower.dropped) continue;
    if (!follower.responder.connected()) {
      follower.dropped = true;
      continue;
    }
    if (!follower.filter.matches(source, is_error)) continue;
    const std::size_t behind = follower.held_bytes + follower.responder.backlog();
    follower.allowance = std::min(follower.allowance, behind);
    // A reader that has read what it was sent gets the next event, however large.
    if (behind > kMaxReaderBacklog + follower.allowance) {
      cut_off(follower);
      continue;
    }
    // Over the bound for all: whoever is furthest behind makes room (maybe this one).
    while (all + bytes > kMaxAllReadersBacklog && !follower.dropped && drop_furthest_behind()) {
      all = readers_backlog();
    }
    if (follower.dropped) continue;
    all += bytes;
    if (follower.holding) {
      follower.held_bytes += bytes;
      follower.held.push_back(event);
    } else {
      follower.responder.event(event);
    }
  }
  erase_dropped();
}

bool LogHub::send_tail(const Responder& responder, Json event, std::size_t reader_limit) {
  if (responder.backlog() > reader_limit) return false;
  std::erase_if(tail_readers_, [](const Responder& reader) { return reader.backlog() == 0; });
  std::size_t all = readers_backlog();
  while (all > kMaxAllReadersBacklog && drop_furthest_behind()) all = readers_backlog();
  erase_dropped();
  if (all > kMaxAllReadersBacklog) return false;
  responder.event(std::move(event));
  if (std::ranges::none_of(
          tail_readers_, [&](const Responder& reader) { return reader.same_request(responder); })) {
    tail_readers_.push_back(responder);
  }
  return true;
}

void LogHub::erase_dropped() {
  std::erase_if(followers_, [](const auto& entry) { return entry.second.dropped; });
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

void LogHub::cut_off(Follower& follower) {
  // What it has not been sent yet is dropped now, so the memory is free at once; it learns
  // why as soon as it reads again.
  follower.dropped = true;
  follower.held.clear();
  follower.held_bytes = 0;
  follower.responder.discard_unsent_events();
  follower.responder.fail(error_code::kTooSlow,
                          "this reader fell too far behind the apps' output (more than " +
                              std::to_string(kMaxReaderBacklog / 1024) +
                              " KiB unread, or all readers together " +
                              std::to_string(kMaxAllReadersBacklog / (1024 * 1024)) +
                              " MiB) and was cut off; the log files have every line");
}

}  // namespace cxpm
