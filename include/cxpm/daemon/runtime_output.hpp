#pragma once
// The runtime's own output: every line the apps write, on the runtime's stdout (their stdout)
// or stderr (their stderr), so `docker logs` and `kubectl logs` show them. In pm2-runtime's
// shapes: "0|api | the line" (the instance's id and the app's name), the line alone (raw),
// or one JSON object a line with pm2's keys (message, timestamp, type, process_id, app_name).
//
// Written with plain blocking writes from the loop: the container's log reader sets the pace,
// and while it does not read, the apps' pipes fill and they wait too (nothing is dropped).
// Lines longer than LogHub::kMaxStreamedLine arrive cut; the log files have them whole.

#include "cxpm/config/runtime_settings.hpp"
#include "cxpm/daemon/log_hub.hpp"

namespace cxpm {

LogHub::Tap make_runtime_printer(RuntimeOutput output);

}  // namespace cxpm
