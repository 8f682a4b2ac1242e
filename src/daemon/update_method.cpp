// `update` (a member of Commands): hand the apps, sockets and pipes over to another binary.
// The CLI has already run `<binary> --version`; the keeper starts it once this daemon has
// exited, and starts this daemon's binary again if the new one fails to report ready.

#include <spdlog/spdlog.h>
#include <unistd.h>

#include "cxpm/daemon/adoption.hpp"
#include "cxpm/daemon/commands.hpp"

namespace cxpm {

void Commands::update(const UpdateArgs& args, const Answer& answer) {
  if (!hand_over_) {
    return answer.fail(error_code::kConflict,
                       "this daemon runs without a keeper (it was started without one, or the "
                       "keeper exited), so it cannot hand its apps over; `cxpm kill` then any "
                       "command starts the new binary, stopping the apps");
  }
  if (::access(args.binary.c_str(), X_OK) != 0) {
    return answer.fail(error_code::kInvalidArgs,
                       args.binary + " is not an executable file; nothing was changed");
  }
  // The new daemon learns the apps from state.json: without it now, it would adopt none.
  if (auto error = flush_state_now(supervisor_); !error.empty()) {
    return answer.fail(error_code::kConflict, "cannot update: " + error + "; nothing was changed");
  }
  if (auto error = hand_over_(args.binary); !error.empty()) {
    return answer.fail(error_code::kConflict, "cannot update: " + error + "; nothing was changed");
  }
  spdlog::info("update: handing over to {}", args.binary);
  answer.reply(UpdateResult{static_cast<int>(::getpid()), args.binary});
}

}  // namespace cxpm
