// The protocol's `events`: the daemon's recent events across apps, then, when following, each
// new one as it happens (a stream, like `logs`: a follower gets no reply). A member of Commands.

#include "cxpm/daemon/commands.hpp"

namespace cxpm {

void Commands::events(const EventsArgs& args, const Answer& answer) {
  const Responder& responder = answer.responder();
  EventLog& log = supervisor_.event_log();
  // All at once on the loop: nothing new can come between the last ones and the follow.
  for (const auto& event : log.last(static_cast<std::size_t>(args.lines))) {
    responder.event(to_json(event));
  }
  if (args.follow) return log.follow(responder);
  answer.reply(EmptyResult{});
}

}  // namespace cxpm
