// `web`'s arguments, result and kept setting: read back the same with the documented keys
// (docs/protocol.md), bad tokens refused naming the field, and which addresses need --public.

#include "cxpm/protocol/web.hpp"

#include <doctest/doctest.h>

namespace cxpm {
namespace {

template <typename T>
T round_trip(const T& value) {
  return decode<T>(Json::parse(to_json(value).dump()), "args");
}

std::string refusal(const char* json) {
  try {
    (void)decode<WebArgs>(Json::parse(json), "args");
  } catch (const ArgsError& error) {
    return error.what();
  }
  FAIL("accepted: " << json);
  return {};
}

}  // namespace

TEST_CASE("web: arguments, result and setting come back equal with the documented keys") {
  WebArgs args;
  args.address = "127.0.0.1:9615";
  args.public_access = true;
  args.token = "0123456789abcdef0123";
  CHECK(round_trip(args) == args);
  CHECK(to_json(args) == Json::parse(R"({"address": "127.0.0.1:9615", "stop": false,
                                        "public": true, "token": "0123456789abcdef0123"})"));
  WebArgs stop;
  stop.stop = true;
  CHECK(round_trip(stop) == stop);
  WebResult result{true, "127.0.0.1:9615", false, "/home/u/.cxpm/web.token"};
  CHECK(round_trip(result) == result);
  CHECK(to_json(result).contains("token_file"));
  WebSetting setting{"[::1]:9615", false};
  CHECK(round_trip(setting) == setting);
}

TEST_CASE("web: a token is 16 to 256 printable characters without spaces") {
  CHECK(refusal(R"({"token": "short"})").find("args.token") != std::string::npos);
  CHECK(refusal(R"({"token": "has a space in it somewhere"})").find("args.token") !=
        std::string::npos);
  CHECK(refusal(R"({"address": "127.0.0.1:1", "stop": true})").find("args.stop") !=
        std::string::npos);
}

TEST_CASE("web: beyond loopback needs public and a token") {
  CHECK(web_setting_refusal({"127.0.0.1:9615", false}, false).empty());
  CHECK(web_setting_refusal({"127.1.2.3:9615", false}, true).empty());
  CHECK(web_setting_refusal({"[::1]:9615", false}, true).empty());
  CHECK(web_setting_refusal({"localhost:9615", false}, true).empty());
  CHECK(web_setting_refusal({"0.0.0.0:9615", false}, true).find("--public") != std::string::npos);
  CHECK(web_setting_refusal({"9615", false}, true).find("every interface") != std::string::npos);
  CHECK(web_setting_refusal({"10.1.2.3:9615", true}, false).find("token") != std::string::npos);
  CHECK(web_setting_refusal({"10.1.2.3:9615", true}, true).empty());
  CHECK_FALSE(web_setting_refusal({"/run/web.sock", false}, true).empty());
  CHECK_FALSE(web_setting_refusal({"127.0.0.1:99999", false}, true).empty());
  CHECK(is_loopback_host("127.0.0.1"));
  CHECK_FALSE(is_loopback_host("128.0.0.1"));
  CHECK_FALSE(is_loopback_host(""));
}

}  // namespace cxpm
