#include "cxpm/sys/socket_diag.hpp"

#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>

#include "cxpm/sys/unique_fd.hpp"

using namespace cxpm;

namespace {

sockaddr_in loopback(int port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

UniqueFd connect_to(int port) {
  UniqueFd client{::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)};
  auto address = loopback(port);
  REQUIRE(::connect(client.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  return client;
}

const TcpSocketReport* find(const std::vector<TcpSocketReport>& reports, std::uint64_t inode) {
  auto found = std::ranges::find_if(reports, [&](const auto& r) { return r.inode == inode; });
  return found == reports.end() ? nullptr : &*found;
}

}  // namespace

TEST_CASE("sock_diag: a listener's accept queue and a connection's unread bytes") {
  UniqueFd listener{::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)};
  auto address = loopback(0);
  REQUIRE(::bind(listener.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  REQUIRE(::listen(listener.get(), 16) == 0);
  socklen_t length = sizeof address;
  ::getsockname(listener.get(), reinterpret_cast<sockaddr*>(&address), &length);
  const int port = ntohs(address.sin_port);

  auto first = connect_to(port);
  auto second = connect_to(port);
  constexpr std::uint32_t kStates = 1U << TCP_LISTEN | 1U << TCP_ESTABLISHED;
  auto reports = tcp_sockets_on_port(AF_INET, port, kStates);
  REQUIRE(std::holds_alternative<std::vector<TcpSocketReport>>(reports));
  const auto* listening = find(std::get<0>(reports), socket_inode(listener.get()));
  REQUIRE(listening);
  CHECK(listening->state == TCP_LISTEN);
  CHECK(listening->rqueue == 2);

  UniqueFd accepted{::accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC)};
  REQUIRE(accepted);
  REQUIRE(::write(first.get(), "GET / HTTP/1.1\r\n\r\n", 18) == 18);
  reports = tcp_sockets_on_port(AF_INET, port, kStates);
  REQUIRE(std::holds_alternative<std::vector<TcpSocketReport>>(reports));
  const auto* connection = find(std::get<0>(reports), socket_inode(accepted.get()));
  REQUIRE(connection);
  CHECK(connection->state == TCP_ESTABLISHED);
  CHECK(connection->rqueue == 18);
  CHECK(connection->bytes_received == 18);
  CHECK(connection->bytes_acked == 0);
  CHECK(find(std::get<0>(reports), socket_inode(listener.get()))->rqueue == 1);

  // Sockets of other ports are not reported; the process's own sockets are found by inode.
  for (const auto& report : std::get<0>(reports)) CHECK(report.inode != socket_inode(first.get()));
  const auto held = socket_inodes_held_by(::getpid());
  CHECK(held.contains(socket_inode(accepted.get())));
  CHECK(held.contains(socket_inode(listener.get())));
  CHECK(socket_inodes_held_by(0).empty());
}
