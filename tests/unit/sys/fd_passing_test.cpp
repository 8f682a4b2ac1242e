#include "cxpm/sys/fd_passing.hpp"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

using namespace cxpm;

TEST_CASE("a message and a descriptor cross a seqpacket socket together, in order") {
  int pair[2];
  REQUIRE(::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) == 0);
  UniqueFd left(pair[0]);
  UniqueFd right(pair[1]);
  int pipe_ends[2];
  REQUIRE(::pipe2(pipe_ends, O_CLOEXEC) == 0);
  UniqueFd read_end(pipe_ends[0]);
  UniqueFd write_end(pipe_ends[1]);

  REQUIRE(send_message(left.get(), "keep out/42", read_end.get()));
  REQUIRE(send_message(left.get(), "forget out/42"));
  read_end.reset();  // only the copy in flight keeps the pipe's read end open

  auto first = receive_message(right.get(), /*wait=*/true);
  REQUIRE(first);
  CHECK(first->text == "keep out/42");
  REQUIRE(first->fd);
  CHECK((::fcntl(first->fd.get(), F_GETFD) & FD_CLOEXEC) != 0);
  // The descriptor received is the pipe's read end: what is written arrives through it.
  REQUIRE(::write(write_end.get(), "x", 1) == 1);
  char byte = 0;
  CHECK(::read(first->fd.get(), &byte, 1) == 1);
  CHECK(byte == 'x');

  auto second = receive_message(right.get(), /*wait=*/true);
  REQUIRE(second);
  CHECK(second->text == "forget out/42");
  CHECK_FALSE(second->fd);

  CHECK_FALSE(receive_message(right.get(), /*wait=*/false));
  CHECK(errno == EAGAIN);
  left.reset();
  CHECK_FALSE(receive_message(right.get(), /*wait=*/true));
  CHECK(errno == 0);  // end of file
}

TEST_CASE("a message over the link's limit is refused, not cut") {
  int pair[2];
  REQUIRE(::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) == 0);
  UniqueFd left(pair[0]);
  UniqueFd right(pair[1]);
  CHECK_FALSE(send_message(left.get(), std::string(kMaxLinkMessage + 1, 'x')));
  CHECK(errno == EMSGSIZE);
  CHECK(send_message(left.get(), std::string(kMaxLinkMessage, 'x')));
  auto received = receive_message(right.get(), /*wait=*/true);
  REQUIRE(received);
  CHECK(received->text.size() == kMaxLinkMessage);
}
