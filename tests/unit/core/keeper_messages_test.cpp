#include "cxpm/core/keeper_messages.hpp"

#include <doctest/doctest.h>

#include "cxpm/core/daemon_backoff.hpp"

using namespace cxpm;

TEST_CASE("a link message is its verb and the whole rest as its argument") {
  CHECK(link_message("bye") == "bye");
  CHECK(link_message("failed", "cannot bind /x: in use") == "failed cannot bind /x: in use");
  auto parsed = parse_link_message("failed cannot bind /x: in use");
  REQUIRE(parsed);
  CHECK(parsed->verb == "failed");
  CHECK(parsed->argument == "cannot bind /x: in use");
  parsed = parse_link_message("handed");
  REQUIRE(parsed);
  CHECK(parsed->verb == "handed");
  CHECK(parsed->argument.empty());
  CHECK_FALSE(parse_link_message(""));
  CHECK_FALSE(parse_link_message(" leading"));
}

TEST_CASE("keys are printable words of bounded length") {
  CHECK(valid_key("out/123"));
  CHECK(valid_key("listen/web/127.0.0.1:8080/-1"));
  CHECK_FALSE(valid_key(""));
  CHECK_FALSE(valid_key("has space"));
  CHECK_FALSE(valid_key("new\nline"));
  CHECK_FALSE(valid_key(std::string(kMaxKeyLength + 1, 'k')));
  CHECK(valid_key(std::string(kMaxKeyLength, 'k')));
}

TEST_CASE("an exit round-trips and bad ones are refused") {
  const ReportedExit exit{4242, 9};
  CHECK(parse_exit_argument(exit_argument(exit)) == exit);
  CHECK_FALSE(parse_exit_argument("0 1"));
  CHECK_FALSE(parse_exit_argument("-5 1"));
  CHECK_FALSE(parse_exit_argument("12"));
  CHECK_FALSE(parse_exit_argument("12 x"));
  CHECK_FALSE(parse_exit_argument("12 1 extra"));
}

TEST_CASE("a hello carries the keeper's pid, version and the last update's failure") {
  const KeeperHello plain{77, "0.1.0", ""};
  CHECK(hello_argument(plain) == "77 0.1.0\n");
  const KeeperHello described{77, "0.1.0 (commit 5c00083, Release build)", "it exited"};
  CHECK(parse_hello_argument(hello_argument(described)) == described);
  CHECK(parse_hello_argument(hello_argument(plain)) == plain);
  const KeeperHello failed{77, "0.1.0", "the new daemon exited with code 1"};
  CHECK(parse_hello_argument(hello_argument(failed)) == failed);
  CHECK_FALSE(parse_hello_argument("77"));
  CHECK_FALSE(parse_hello_argument("x 0.1.0"));
}

TEST_CASE("daemons that die young are restarted ever more slowly, others at once") {
  using std::chrono::milliseconds;
  DaemonBackoff backoff;
  CHECK(backoff.after_death(milliseconds(5000)) == milliseconds(0));
  CHECK(backoff.after_death(milliseconds(10)) == milliseconds(100));
  CHECK(backoff.after_death(milliseconds(10)) == milliseconds(200));
  CHECK(backoff.after_death(milliseconds(10)) == milliseconds(400));
  for (int i = 0; i < 10; ++i) backoff.after_death(milliseconds(10));
  CHECK(backoff.after_death(milliseconds(10)) == DaemonBackoff::kMost);
  CHECK(backoff.after_death(DaemonBackoff::kShortLife) == milliseconds(0));
  CHECK(backoff.after_death(milliseconds(10)) == milliseconds(100));
}
