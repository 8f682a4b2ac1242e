#pragma once
// One `cxpm reload`: for each instance in turn (or `parallel` at a time), start a replacement
// on the same sockets, wait until it is ready, then stop the old process gracefully. The
// number of ready workers never drops below what it was. The first replacement that exits or
// misses listen_timeout ends the reload there: it is removed, and the old process — and every
// instance not yet reloaded — keeps serving as before.

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cxpm/daemon/supervisor.hpp"
#include "cxpm/protocol/replies.hpp"

namespace cxpm {

// One instance the reload went through: what the reply reports of it, kept as the reload
// goes.
using ReloadStep = ReloadedInstance;

class Reload : public std::enable_shared_from_this<Reload> {
 public:
  using Finish =
      std::function<void(const std::vector<ReloadStep>&, const std::optional<std::string>&)>;

  static void run(Supervisor& supervisor, std::vector<int> instance_ids, int parallel,
                  Finish finish);

  Reload(Supervisor& supervisor, std::vector<int> instance_ids, int parallel, Finish finish);

 private:
  void next();
  void begin(Instance& old);
  void restart(Instance& old);
  void settle(int old_id, int replacement_id, bool ready, const std::string& why,
              TimePoint started);

  Supervisor& supervisor_;
  std::deque<int> pending_;
  int parallel_;
  int running_ = 0;
  bool finished_ = false;
  std::vector<ReloadStep> steps_;
  std::optional<std::string> error_;
  Finish finish_;
};

// `reload` with new settings (an ecosystem file's entry): the replacements start with `spec`;
// if the reload fails, the app gets its previous settings back, as its old processes still
// have them. A changed instance count is applied after the reload, with `scale`.
void reload_with_spec(Supervisor& supervisor, AppSpec spec, int parallel, Reload::Finish finish);

}  // namespace cxpm
