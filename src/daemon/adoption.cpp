// Until the state helper's branch is merged, nothing is adopted: the keeper keeps the apps
// alive and their descriptors open, and the new daemon starts with an empty table.
#include "cxpm/daemon/adoption.hpp"

namespace cxpm {

void adopt_saved_state(Supervisor&, const Home&) {}

void flush_state_now(Supervisor&) {}

}  // namespace cxpm
