#include "cxpm/core/line_splitter.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace cxpm {
namespace {

struct Collected {
  LineSplitter splitter;
  std::vector<std::string> lines;

  void feed(std::string_view bytes) {
    splitter.feed(bytes, [this](std::string_view line) { lines.emplace_back(line); });
  }
  void flush() {
    splitter.flush([this](std::string_view line) { lines.emplace_back(line); });
  }
};

}  // namespace

TEST_CASE("line splitter: whole lines come out without their newline, empty ones too") {
  Collected c;
  c.feed("one\ntwo\n\nthree\n");
  CHECK(c.lines == std::vector<std::string>{"one", "two", "", "three"});
  CHECK_FALSE(c.splitter.has_partial());
}

TEST_CASE("line splitter: a line split across reads comes out once, whole") {
  Collected c;
  c.feed("hel");
  CHECK(c.lines.empty());
  CHECK(c.splitter.has_partial());
  c.feed("lo wor");
  c.feed("ld\nnext");
  CHECK(c.lines == std::vector<std::string>{"hello world"});
  c.feed("\n");
  CHECK(c.lines == std::vector<std::string>{"hello world", "next"});
  CHECK_FALSE(c.splitter.has_partial());
}

TEST_CASE("line splitter: the result does not depend on how the bytes were cut") {
  const std::string text = "alpha\nbeta\n\ngamma delta\nepsilon\n";
  Collected whole;
  whole.feed(text);
  for (std::size_t size = 1; size <= text.size(); ++size) {
    Collected pieces;
    for (std::size_t at = 0; at < text.size(); at += size) pieces.feed(text.substr(at, size));
    CHECK(pieces.lines == whole.lines);
  }
}

TEST_CASE("line splitter: at the end of the stream, what is left is one more line") {
  Collected c;
  c.feed("done\nno newline");
  c.flush();
  CHECK(c.lines == std::vector<std::string>{"done", "no newline"});
  CHECK_FALSE(c.splitter.has_partial());
  c.flush();  // nothing left: nothing more
  CHECK(c.lines.size() == 2);
}

TEST_CASE("line splitter: bytes are kept as they came, carriage returns and invalid UTF-8 too") {
  Collected c;
  c.feed("crlf\r\n\xff\xfe\n");
  CHECK(c.lines == std::vector<std::string>{"crlf\r", "\xff\xfe"});
}

TEST_CASE("line splitter: a line without end is cut at kMaxLine, not held without bound") {
  Collected c;
  const std::string chunk(LineSplitter::kMaxLine / 4, 'x');
  for (int i = 0; i < 9; ++i) c.feed(chunk);  // 2.25 times the limit, no newline
  REQUIRE(c.lines.size() == 2);
  CHECK(c.lines[0].size() == LineSplitter::kMaxLine);
  CHECK(c.lines[1].size() == LineSplitter::kMaxLine);
  CHECK(c.splitter.has_partial());
  c.feed("y\n");
  REQUIRE(c.lines.size() == 3);
  CHECK(c.lines[2] == std::string(LineSplitter::kMaxLine / 4, 'x') + "y");
}

}  // namespace cxpm
