// prettylist's notation: Node's util.inspect, which pm2's users grep.
#include <doctest/doctest.h>

#include "cxpm/cli/jlist.hpp"

namespace cxpm {

TEST_CASE("inspect notation: unquoted identifiers, single-quoted strings, indentation") {
  const Json value = Json::array({Json{{"pm_id", 0},
                                       {"name", "it's"},
                                       {"pm2_env", {{"status", "online"}, {"restart_time", 1}}},
                                       {"args", Json::array({"a", "b"})},
                                       {"env", Json::object()},
                                       {"weird-key", nullptr}}});
  const std::string text = inspect_notation(value);
  CHECK(text.find("pm_id: 0") != std::string::npos);
  CHECK(text.find("name: 'it\\'s'") != std::string::npos);
  CHECK(text.find("    pm2_env: {\n      restart_time: 1,\n      status: 'online'\n    }") !=
        std::string::npos);
  CHECK(text.find("args: [ 'a', 'b' ]") != std::string::npos);
  CHECK(text.find("env: {}") != std::string::npos);
  CHECK(text.find("'weird-key': null") != std::string::npos);
  CHECK(text.starts_with("[\n  {\n"));
  CHECK(text.ends_with("\n  }\n]"));
}

}  // namespace cxpm
