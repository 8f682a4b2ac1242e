#include <doctest/doctest.h>

#include <string>

#include "cxpm/protocol/framing.hpp"
#include "cxpm/protocol/json_shape.hpp"
#include "cxpm/protocol/message.hpp"

using namespace cxpm;

namespace {

// The error a line is refused with; fails the test when the line is accepted.
ErrorBody refusal(const std::string& line) {
  auto decoded = decode_request(line);
  REQUIRE(std::holds_alternative<Reply>(decoded));
  return std::get<Reply>(decoded).error();
}

std::string nested(std::size_t depth, char open, char close) {
  std::string inner(depth, open);
  if (open == '{') {
    inner.clear();
    for (std::size_t i = 0; i < depth; ++i) inner += "{\"a\":";
    inner += "1";
  }
  return inner + std::string(depth, close);
}

}  // namespace

TEST_CASE("decoding: a plain request") {
  auto decoded = decode_request(R"({"v":1,"id":7,"method":"ping","args":{"x":[1,{"y":2}]}})");
  REQUIRE(std::holds_alternative<Request>(decoded));
  const auto& request = std::get<Request>(decoded);
  CHECK(request.id == 7);
  CHECK(request.method == "ping");
  CHECK(request.args["x"][1]["y"] == 2);
}

TEST_CASE("decoding: nesting is limited, however deep the input goes") {
  const std::string ok =
      R"({"v":1,"id":1,"method":"ping","args":{"x":)" + nested(kMaxJsonDepth - 2, '[', ']') + "}}";
  CHECK(std::holds_alternative<Request>(decode_request(ok)));
  const std::string deep =
      R"({"v":1,"id":1,"method":"ping","args":{"x":)" + nested(kMaxJsonDepth - 1, '[', ']') + "}}";
  CHECK(refusal(deep).code == "bad_request");
  CHECK(refusal(deep).message.find("64 levels") != std::string::npos);
  // The sizes that overflowed the daemon's stack: 131k arrays, 75k objects in 262 KB.
  for (const auto& line : {nested(131072, '[', ']'), nested(75000, '{', '}')}) {
    const auto error = refusal(R"({"v":1,"id":1,"method":"ping","args":{"x":)" + line + "}}");
    CHECK(error.code == "bad_request");
  }
  // Unbalanced: deep and not even JSON. The depth is what is reported first.
  CHECK(check_json_shape(std::string(1 << 20, '['))->kind == JsonShapeProblem::Kind::kTooDeep);
}

TEST_CASE("decoding: duplicate keys are refused at any depth") {
  const auto top = refusal(R"({"v":1,"id":1,"method":"ping","method":"kill"})");
  CHECK(top.code == "bad_request");
  CHECK(top.message.find("\"method\" appears twice in $") != std::string::npos);
  const auto inner =
      refusal(R"({"v":1,"id":1,"method":"start","args":{"apps":[{},{"name":"a","name":"b"}]}})");
  CHECK(inner.message.find("$.args.apps[1]") != std::string::npos);
  // The same key in sibling objects is fine.
  CHECK(std::holds_alternative<Request>(
      decode_request(R"({"v":1,"id":1,"method":"ping","args":{"a":{"k":1},"b":{"k":2}}})")));
}

TEST_CASE("decoding: ids are kept exact or refused") {
  auto big = decode_request(R"({"v":1,"id":9223372036854775807,"method":"ping"})");
  REQUIRE(std::holds_alternative<Request>(big));
  CHECK(std::get<Request>(big).id == 9223372036854775807);
  auto negative = decode_request(R"({"v":1,"id":-5,"method":"ping"})");
  REQUIRE(std::holds_alternative<Request>(negative));
  CHECK(std::get<Request>(negative).id == -5);
  for (const char* id : {"9223372036854775808", "18446744073709551615"}) {
    const auto error = refusal(std::string(R"({"v":1,"id":)") + id + R"(,"method":"ping"})");
    CHECK(error.code == "bad_request");
    CHECK(error.message.find("out of range") != std::string::npos);
  }
  CHECK(refusal(R"({"v":1,"id":1e30,"method":"ping"})").code == "bad_request");
}

TEST_CASE("decoding: an empty line gets an error, not silence") {
  for (const char* line : {"", "   ", "\t", "\r"}) {
    const auto error = refusal(line);
    CHECK(error.code == "bad_request");
    CHECK(error.message.find("empty line") != std::string::npos);
  }
  CHECK(refusal("not json").code == "parse_error");
  CHECK(refusal(R"({"v":1,"id":1,"method":"ping"} trailing)").code == "parse_error");
}

TEST_CASE("framing: lines are cut at newlines, and a frame over the limit stops the stream") {
  LineFramer framer(16);
  framer.feed("{\"a\":1}\n\n{\"b\"");
  CHECK(framer.has_line());
  CHECK(framer.next() == "{\"a\":1}");
  CHECK(framer.next() == "");
  CHECK_FALSE(framer.has_line());
  framer.feed(":2}\r\n");
  CHECK(framer.next() == "{\"b\":2}");
  framer.feed(std::string(17, 'x'));
  CHECK(framer.has_line());  // the overflow is there to be noticed
  CHECK_FALSE(framer.next().has_value());
  CHECK(framer.overflowed());
  CHECK(framer.buffered() == 0);
  framer.feed("{}\n");
  CHECK_FALSE(framer.next().has_value());
}

TEST_CASE("framing: a frame of exactly the limit passes") {
  LineFramer framer(4);
  framer.feed("abcd\nabcde\n");
  CHECK(framer.next() == "abcd");
  CHECK_FALSE(framer.next().has_value());
  CHECK(framer.overflowed());
}

TEST_CASE("encoding: an event encoded once is the same line as encoded per request") {
  const Json data{{"kind", "live"}, {"lines", {"a", "b\xff"}}};
  CHECK(encode_event(42, encode_event_data(data)) == encode(Event{42, data}));
}
