#include "cxpm/daemon/event_log.hpp"

#include <algorithm>

#include "cxpm/protocol/message.hpp"

namespace cxpm {

void EventLog::add(DaemonEvent event) {
  if (!readers_.empty()) {
    const Json json = to_json(event);
    std::erase_if(readers_, [&json](const Responder& reader) {
      if (!reader.connected()) return true;
      if (reader.backlog() > kMaxUnread) {
        reader.discard_unsent_events();
        reader.fail(error_code::kTooSlow, "the events reader left too many events unread");
        return true;
      }
      reader.event(json);
      return false;
    });
  }
  recent_.push(std::move(event));
  for (const auto& listener : listeners_) listener(recent_.back());
}

std::vector<DaemonEvent> EventLog::last(std::size_t count) const {
  std::vector<DaemonEvent> all(recent_.begin(), recent_.end());
  if (all.size() > count) all.erase(all.begin(), all.end() - static_cast<std::ptrdiff_t>(count));
  return all;
}

void EventLog::follow(Responder reader) {
  std::erase_if(readers_, [](const Responder& old) { return !old.connected(); });
  readers_.push_back(std::move(reader));
}

}  // namespace cxpm
