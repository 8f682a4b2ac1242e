#include "cxpm/core/tail_lines.hpp"

#include <doctest/doctest.h>

using namespace cxpm;

namespace {

using Lines = std::vector<std::string>;

// Feeds `data` backwards in chunks of `size`, stopping once complete, like the daemon does.
Lines tail(std::string_view data, std::size_t wanted, std::size_t size) {
  TailLines tail_lines(wanted);
  std::size_t end = data.size();
  while (end > 0 && !tail_lines.complete()) {
    const std::size_t begin = end > size ? end - size : 0;
    tail_lines.add_preceding(data.substr(begin, end - begin));
    end = begin;
  }
  return tail_lines.lines(end == 0);
}

}  // namespace

TEST_CASE("tail: the last lines, whatever the chunk size") {
  const std::string data = "one\ntwo\nthree\nfour\n";
  for (std::size_t size : {1, 2, 3, 5, 64}) {
    CAPTURE(size);
    CHECK(tail(data, 2, size) == Lines{"three", "four"});
    CHECK(tail(data, 4, size) == Lines{"one", "two", "three", "four"});
    CHECK(tail(data, 9, size) == Lines{"one", "two", "three", "four"});
  }
}

TEST_CASE("tail: a last line without newline, empty lines, empty data") {
  CHECK(tail("a\nb\npartial", 2, 3) == Lines{"b", "partial"});
  CHECK(tail("a\n\n\n", 2, 1) == Lines{"", ""});
  CHECK(tail("\n", 5, 4) == Lines{""});
  CHECK(tail("", 5, 4).empty());
  CHECK(tail("a\nb\n", 0, 4).empty());
}

TEST_CASE("tail: stopped before the start, a partial first line is left out") {
  TailLines tail_lines(5);
  tail_lines.add_preceding("end of a long line\nlast\n");
  CHECK_FALSE(tail_lines.complete());
  CHECK(tail_lines.lines(/*at_start=*/false) == Lines{"last"});
  CHECK(tail_lines.lines(/*at_start=*/true) == Lines{"end of a long line", "last"});
}
