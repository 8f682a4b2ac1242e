#pragma once
// The daemon's end of a cluster worker's broker channel: the preload library in the worker
// asks here for the listening socket of an address the app is binding, and gets the daemon's
// descriptor back (SCM_RIGHTS), so unmodified servers that call listen(3000) share it.
//
// One SOCK_SEQPACKET pair per worker; a request is one datagram "bind <host> <port>", the
// answer "ok" with the descriptor or "error <sentence>". See src/preload/cxpm_preload.c.

#include <uv.h>

#include <functional>
#include <string>
#include <variant>

#include "cxpm/config/listen_address.hpp"
#include "cxpm/daemon/uv_handle.hpp"
#include "cxpm/sys/unique_fd.hpp"

namespace cxpm {

class SocketBroker {
 public:
  using Resolve = std::function<std::variant<int, std::string>(const ListenAddress&)>;

  // Creates the pair; worker_end() goes to the worker, the other end is watched on `loop`.
  SocketBroker(uv_loop_t* loop, Resolve resolve);
  // The daemon's end of a worker's channel, adopted from an earlier daemon.
  SocketBroker(uv_loop_t* loop, Resolve resolve, UniqueFd daemon_end);

  int worker_end() const { return worker_end_.get(); }
  int daemon_end() const { return daemon_end_.get(); }  // kept by the keeper (kept_fds.hpp)
  // The worker has it now; our copy of its end only keeps the channel open after it dies.
  void close_worker_end() { worker_end_.reset(); }

 private:
  void watch(uv_loop_t* loop, UniqueFd daemon_end);
  void answer();

  Resolve resolve_;
  UniqueFd daemon_end_;
  UniqueFd worker_end_;
  UvHandle<uv_poll_t> poll_;
};

}  // namespace cxpm
