#pragma once
// What a cluster worker is handed at spawn: the app's declared listening sockets as fd 3, 4, …
// with systemd's socket-activation variables, and a broker channel through which the preload
// library hands it the daemon's socket for any address it binds itself.

#include <uv.h>

#include <memory>
#include <string>
#include <vector>

#include "cxpm/config/app_spec.hpp"
#include "cxpm/daemon/socket_broker.hpp"
#include "cxpm/daemon/socket_registry.hpp"

namespace cxpm {

struct WorkerSockets {
  std::vector<int> fds;  // fd 3, 4, … in the worker: the declared listen addresses, in order
  std::unique_ptr<SocketBroker> broker;
  std::string error;  // non-empty: the worker cannot start
};

// `owner`: the slot (instance index) and its generation (a reload's replacement is the next).
WorkerSockets prepare_worker_sockets(uv_loop_t* loop, SocketRegistry& registry, const AppSpec& spec,
                                     SocketOwner owner);

// LISTEN_FDS, LISTEN_FDNAMES, PORT, CXPM_BROKER_FD and LD_PRELOAD for the worker
// (LISTEN_PID is set by the spawner, which alone knows the pid).
void add_worker_environment(Environment& env, const AppSpec& spec, const WorkerSockets& sockets,
                            const std::string& preload_library);

// The preload library beside the binary (build tree) or in ../lib/cxpm (installed); empty when
// neither exists, and then only servers using LISTEN_FDS can share sockets.
std::string find_preload_library();

}  // namespace cxpm
