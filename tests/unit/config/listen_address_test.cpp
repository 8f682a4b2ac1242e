#include "cxpm/config/listen_address.hpp"

#include <doctest/doctest.h>

using namespace cxpm;

TEST_CASE("listen address: ports, hosts and paths") {
  auto port_only = parse_listen_address("3000");
  REQUIRE(port_only);
  CHECK(port_only->kind == ListenAddress::Kind::kTcp);
  CHECK(port_only->host.empty());
  CHECK(port_only->port == 3000);
  CHECK(port_only->to_string() == "3000");

  CHECK(parse_listen_address(":8080")->port == 8080);
  CHECK(parse_listen_address("127.0.0.1:80")->host == "127.0.0.1");
  CHECK(parse_listen_address("localhost:80")->host == "127.0.0.1");
  CHECK(parse_listen_address("[::1]:443")->host == "::1");
  CHECK(parse_listen_address("[::1]:443")->to_string() == "[::1]:443");
  CHECK(parse_listen_address("*:5")->host.empty());

  auto unix_socket = parse_listen_address("/run/app.sock");
  REQUIRE(unix_socket);
  CHECK(unix_socket->kind == ListenAddress::Kind::kUnix);
  CHECK(unix_socket->to_string() == "/run/app.sock");
}

TEST_CASE("listen address: errors say what is accepted") {
  std::string error;
  CHECK_FALSE(parse_listen_address("0", &error));
  CHECK(error.find("1 to 65535") != std::string::npos);
  CHECK_FALSE(parse_listen_address("70000", &error));
  CHECK_FALSE(parse_listen_address("abc", &error));
  CHECK_FALSE(parse_listen_address("example.com:80", &error));
  CHECK(error.find("not an IP address") != std::string::npos);
  CHECK_FALSE(parse_listen_address("::1:80", &error));
  CHECK(error.find("brackets") != std::string::npos);
  CHECK_FALSE(parse_listen_address("[::1]80", &error));
  CHECK_FALSE(parse_listen_address("", &error));
}

TEST_CASE("listen address: wildcards of one port are the same address") {
  auto any = *parse_listen_address("3000");
  auto any4 = *parse_listen_address("0.0.0.0:3000");
  auto any6 = *parse_listen_address("[::]:3000");
  auto local = *parse_listen_address("127.0.0.1:3000");
  CHECK(any.same_as(any4));
  CHECK(any4.same_as(any6));
  CHECK_FALSE(any.same_as(local));
  CHECK_FALSE(any.same_as(*parse_listen_address("3001")));
}
