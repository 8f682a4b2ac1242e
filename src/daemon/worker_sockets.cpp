#include "cxpm/daemon/worker_sockets.hpp"

#include <unistd.h>

#include <algorithm>

namespace cxpm {

WorkerSockets prepare_worker_sockets(uv_loop_t* loop, SocketRegistry& registry, const AppSpec& spec,
                                     SocketOwner owner) {
  WorkerSockets sockets;
  for (const auto& text : spec.listen) {
    std::string problem;
    const auto address = parse_listen_address(text, &problem);
    if (!address) {
      sockets.error = problem;
      return sockets;
    }
    auto acquired =
        registry.acquire(spec.name, *address, spec.socket_mode, owner.slot, owner.generation);
    if (auto* error = std::get_if<std::string>(&acquired)) {
      sockets.error = *error;
      return sockets;
    }
    sockets.fds.push_back(std::get<int>(acquired));
  }
  sockets.broker = std::make_unique<SocketBroker>(
      loop,
      [&registry, name = spec.name, mode = spec.socket_mode, owner](const ListenAddress& address) {
        return registry.acquire(name, address, mode, owner.slot, owner.generation);
      });
  return sockets;
}

void add_worker_environment(Environment& env, const AppSpec& spec, const WorkerSockets& sockets,
                            const std::string& preload_library) {
  if (!sockets.fds.empty()) {
    std::string names;
    std::optional<int> first_port;
    for (const auto& text : spec.listen) {
      auto address = parse_listen_address(text);
      std::string name = address ? address->to_string() : text;
      // LISTEN_FDNAMES is ':'-separated, so names cannot hold one.
      std::ranges::replace(name, ':', '_');
      std::erase_if(name, [](char c) { return c == '[' || c == ']'; });
      names += (names.empty() ? "" : ":") + name;
      if (address && address->kind == ListenAddress::Kind::kTcp && !first_port) {
        first_port = address->port;
      }
    }
    env["LISTEN_FDS"] = std::to_string(sockets.fds.size());
    env["LISTEN_FDNAMES"] = names;
    if (first_port) env["PORT"] = std::to_string(*first_port);
  }
  if (sockets.broker) {
    env["CXPM_BROKER_FD"] = std::to_string(3 + sockets.fds.size());
    if (!preload_library.empty()) {
      auto existing = env.find("LD_PRELOAD");
      env["LD_PRELOAD"] = existing == env.end() || existing->second.empty()
                              ? preload_library
                              : preload_library + ":" + existing->second;
    }
  }
}

std::string find_preload_library() {
  char path[4096];
  const ssize_t length = ::readlink("/proc/self/exe", path, sizeof path - 1);
  if (length <= 0) return {};
  std::string directory(path, static_cast<std::size_t>(length));
  directory.erase(directory.rfind('/'));
  for (const auto& candidate :
       {directory + "/libcxpm_preload.so", directory + "/../lib/cxpm/libcxpm_preload.so"}) {
    if (::access(candidate.c_str(), R_OK) == 0) return candidate;
  }
  return {};
}

}  // namespace cxpm
