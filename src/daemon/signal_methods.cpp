// The protocol's sendSignal method. A member of Commands.

#include "cxpm/core/signal_names.hpp"
#include "cxpm/daemon/commands.hpp"

namespace cxpm {

void Commands::send_signal(const SignalArgs& args, const Answer& answer) {
  const auto instances = instances_of(args.targets);
  // The name was read through the same table (SignalArgs), so it has a number.
  supervisor_.send_signal(instances, signal_from_name(args.signal).value());
  answer.reply(report(ids_of(instances)));
}

}  // namespace cxpm
