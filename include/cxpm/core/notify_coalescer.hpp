#pragma once
// The storm rule of notifications (docs/notifications.md): per key — an app and an event kind —
// at most one notification per interval. The first event of a quiet key goes out at once and
// opens a window of `interval`; the events within it are only counted, and when the window
// ends with some counted, one notification tells their count and opens the next window. A
// crash loop so makes one notification per interval, each with the number of crashes since
// the one before. Pure: the caller's clock drives it (`take_due` when `next_due` comes).

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cxpm/core/clock.hpp"

namespace cxpm {

class NotifyCoalescer {
 public:
  struct Key {
    std::string app;
    std::string kind;
    auto operator<=>(const Key&) const = default;
  };
  struct Due {
    Key key;
    int count = 0;  // the events it stands for
    bool operator==(const Due&) const = default;
  };

  // An event of `key` at `now`: the count to send at once (1, or more when a window ended with
  // events counted and nobody took them yet), or nullopt when it is counted into its window.
  std::optional<int> offer(const Key& key, TimePoint now, Milliseconds interval);

  // The windows ended by `now`: those with events counted give one notification each (and open
  // a new window from `now`); the empty ones close, so the key's next event goes out at once.
  std::vector<Due> take_due(TimePoint now);

  // When the first open window ends; nullopt when none is open.
  std::optional<TimePoint> next_due() const;

  bool is_open(const Key& key) const { return windows_.contains(key); }
  std::size_t open_windows() const { return windows_.size(); }

 private:
  struct Window {
    TimePoint ends;
    Milliseconds interval;
    int counted = 0;
  };
  std::map<Key, Window> windows_;
};

}  // namespace cxpm
