// Steering against the real kernel: loopback sockets in one SO_REUSEPORT group, connections
// made to it, and which socket's accept queue they land in.
#include "cxpm/daemon/reuseport_steering.hpp"

#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <map>

#include "cxpm/daemon/listen_socket.hpp"
#include "cxpm/sys/unique_fd.hpp"

using namespace cxpm;

namespace {

int port_of(int fd) {
  sockaddr_in bound{};
  socklen_t length = sizeof bound;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &length);
  return ntohs(bound.sin_port);
}

// Makes `count` connections to `port` and returns how many each listener received.
std::map<int, int> spread(const std::vector<int>& listeners, int port, int count) {
  std::map<int, int> received;
  std::vector<UniqueFd> clients;
  for (int n = 0; n < count; ++n) {
    UniqueFd client{::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)};
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(client.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    clients.push_back(std::move(client));
  }
  for (std::size_t i = 0; i < listeners.size(); ++i) {
    for (;;) {
      pollfd ready{listeners[i], POLLIN, 0};
      if (::poll(&ready, 1, 0) != 1) break;
      UniqueFd accepted{::accept4(listeners[i], nullptr, nullptr, SOCK_CLOEXEC)};
      if (!accepted) break;
      received[static_cast<int>(i)]++;
    }
  }
  return received;
}

}  // namespace

TEST_CASE("steering: new connections go only to the accepting sockets, as sockets come and go") {
  int port = 0;
  {
    UniqueFd probe{::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)};
    sockaddr_in any{};
    any.sin_family = AF_INET;
    any.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(probe.get(), reinterpret_cast<sockaddr*>(&any), sizeof any) == 0);
    port = port_of(probe.get());
  }
  const auto same_port = parse_listen_address("127.0.0.1:" + std::to_string(port));
  REQUIRE(same_port);
  std::vector<UniqueFd> sockets;
  for (int slot = 0; slot < 3; ++slot) {
    auto opened = open_listening_socket(*same_port, {.reuseport = true});
    REQUIRE(std::holds_alternative<UniqueFd>(opened));
    sockets.push_back(std::move(std::get<UniqueFd>(opened)));
  }
  std::vector<int> fds{sockets[0].get(), sockets[1].get(), sockets[2].get()};

  ReuseportSteering steering;
  for (int slot = 0; slot < 3; ++slot) steering.joined("web", *same_port, {slot, 0}, fds[slot]);
  steering.steer("web", {{1, 0}});
  CHECK(steering.problem("web").empty());
  CHECK(spread(fds, port, 20) == std::map<int, int>{{1, 20}});
  CHECK(steering.others_accept("web", {0, 0}));
  CHECK_FALSE(steering.others_accept("web", {1, 0}));  // the only one accepting
  CHECK_FALSE(steering.others_accept("web", {7, 0}));  // no socket: nothing to drain

  steering.steer("web", {{0, 0}, {2, 0}});
  const auto both = spread(fds, port, 40);
  CHECK(both.count(1) == 0);
  CHECK(both.at(0) + both.at(2) == 40);
  CHECK(steering.summary("web") == "2 of 3 sockets accepting on 127.0.0.1:" + std::to_string(port));

  // Slot 0 leaves the group: the kernel moves slot 2's socket to index 0.
  ::shutdown(fds[0], SHUT_RDWR);
  steering.left(fds[0]);
  steering.steer("web", {{2, 0}});
  CHECK(spread({fds[1], fds[2]}, port, 20) == std::map<int, int>{{1, 20}});
  steering.steer("web", {{1, 0}});
  CHECK(spread({fds[1], fds[2]}, port, 20) == std::map<int, int>{{0, 20}});

  // None accepting: the kernel's hash over every member, as without steering.
  steering.steer("web", {});
  const auto hashed = spread({fds[1], fds[2]}, port, 40);
  CHECK(hashed.count(0) + hashed.count(1) == 2);
}
