// `web` (a member of Commands): whether and where the daemon serves HTTP (docs/web.md).

#include <stdexcept>

#include "cxpm/daemon/commands.hpp"

namespace cxpm {

void Commands::web(const WebArgs& args, const Answer& answer) {
  if (!web_) {
    return answer.fail(error_code::kConflict, "this daemon serves no HTTP (a container runtime)");
  }
  try {
    answer.reply(web_(args));
  } catch (const std::invalid_argument& refused) {
    answer.fail(error_code::kInvalidArgs, std::string(refused.what()) + "; nothing was changed");
  } catch (const std::exception& error) {
    answer.fail(error_code::kFailed, std::string(error.what()) + "; nothing was changed");
  }
}

}  // namespace cxpm
