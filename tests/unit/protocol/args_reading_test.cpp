// ArgsReader: every refusal names the field it is about, as the client sees it.

#include <doctest/doctest.h>

#include "cxpm/protocol/args.hpp"

namespace cxpm {

TEST_CASE("args: present fields are read, absent and null ones are the fallback") {
  const Json json = Json::parse(R"({"s":"x","i":7,"u":18446744073709551615,"b":true,"n":null,
    "list":["a","b"],"ints":[1,2],"map":{"K":"V"},"obj":{"k":1},"objs":[{"a":1},{"a":2}],
    "f":1.5})");
  const ArgsReader args(json, "args");
  CHECK(args.string("s") == "x");
  CHECK(args.string("missing", "fallback") == "fallback");
  CHECK(args.string("n", "null is absent") == "null is absent");
  CHECK(args.integer("i") == 7);
  CHECK(args.integer("missing", 9) == 9);
  CHECK(args.boolean("b"));
  CHECK(args.boolean("missing", true));
  CHECK(args.strings("list") == std::vector<std::string>{"a", "b"});
  CHECK(args.strings("missing").empty());
  CHECK(args.integers("ints") == std::vector<int>{1, 2});
  CHECK(args.string_map("map") == std::map<std::string, std::string>{{"K", "V"}});
  CHECK(args.object("obj").integer("k") == 1);
  CHECK(args.object("missing").string("k", "empty") == "empty");
  REQUIRE(args.objects("objs").size() == 2);
  CHECK(args.objects("objs")[1].integer("a") == 2);
  CHECK(args.optional_integer("i") == 7);
  CHECK_FALSE(args.optional_integer("n").has_value());
  CHECK_FALSE(args.optional_integer("missing").has_value());
  CHECK(args.number("f") == 1.5);
  CHECK(args.number("i") == 7.0);
  CHECK(args.number("missing", 2.5) == 2.5);
  CHECK(args.holds_string("s"));
  CHECK_FALSE(args.holds_string("list"));
  CHECK(args.has("n"));  // present, even as null
  CHECK_FALSE(args.has("missing"));
}

TEST_CASE("args: a wrong type names the field and both types") {
  const Json json = Json::parse(R"({"s":1,"i":"7","b":"yes","list":["a",2],"ints":[1,"2"],
    "map":{"K":1},"obj":[],"objs":[{"a":1},3],"f":"1.5","opt":true})");
  const ArgsReader args(json, "args");
  CHECK_THROWS_WITH_AS(args.string("s"), "args.s: expected a string, got number", ArgsError);
  CHECK_THROWS_WITH_AS(args.integer("i"), "args.i: expected an integer, got string", ArgsError);
  CHECK_THROWS_WITH_AS(args.boolean("b"), "args.b: expected a boolean, got string", ArgsError);
  CHECK_THROWS_WITH_AS(args.strings("list"), "args.list[1]: expected a string, got number",
                       ArgsError);
  CHECK_THROWS_WITH_AS(args.integers("ints"), "args.ints[1]: expected an integer, got string",
                       ArgsError);
  CHECK_THROWS_WITH_AS(args.string_map("map"), "args.map.K: expected a string, got number",
                       ArgsError);
  CHECK_THROWS_WITH_AS(args.object("obj"), "args.obj: expected an object, got array", ArgsError);
  CHECK_THROWS_WITH_AS(args.objects("objs"), "args.objs[1]: expected an object, got number",
                       ArgsError);
  CHECK_THROWS_WITH_AS(args.number("f"), "args.f: expected a number, got string", ArgsError);
  CHECK_THROWS_WITH_AS(args.optional_integer("opt"), "args.opt: expected an integer, got boolean",
                       ArgsError);
  CHECK_THROWS_WITH_AS(args.integer("f"), "args.f: expected an integer, got string", ArgsError);
}

TEST_CASE("args: a float is not an integer, and nested paths compose") {
  const Json json = Json::parse(R"({"apps":[{"env":{"A":"1"},"n":1.5}]})");
  const ArgsReader app = ArgsReader(json, "args").objects("apps").at(0);
  CHECK(app.path_of("n") == "args.apps[0].n");
  CHECK_THROWS_WITH_AS(app.integer("n"), "args.apps[0].n: expected an integer, got number",
                       ArgsError);
  CHECK(app.object("env").path_of("A") == "args.apps[0].env.A");
}

TEST_CASE("args: only an object can be read") {
  CHECK_THROWS_WITH_AS(ArgsReader(Json::array(), "args"), "args: expected an object, got array",
                       ArgsError);
  CHECK_THROWS_WITH_AS(ArgsReader(Json(), "result"), "result: expected an object, got null",
                       ArgsError);
}

}  // namespace cxpm
