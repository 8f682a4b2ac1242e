#include "cxpm/core/request_headers.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace cxpm;
using Name = RequestHeaders::Name;

namespace {

void header(RequestHeaders& headers, std::string_view name, std::string_view value) {
  headers.name_piece(name);
  headers.value_piece(value);
}

}  // namespace

TEST_CASE("request headers: the kept ones by any case, the others skipped") {
  RequestHeaders headers;
  header(headers, "User-Agent", "curl");
  header(headers, "AUTHORIZATION", "Bearer abc");
  header(headers, "host", "127.0.0.1:9615");
  header(headers, "Accept", "*/*");
  CHECK(headers.get(Name::kAuthorization) == "Bearer abc");
  CHECK(headers.get(Name::kHost) == "127.0.0.1:9615");
  CHECK_FALSE(headers.get(Name::kOrigin));
  CHECK(headers.fault() == RequestHeaders::Fault::kNone);
}

TEST_CASE("request headers: names and values in pieces, as reads cut them") {
  RequestHeaders headers;
  headers.name_piece("Ori");
  headers.name_piece("gin");
  headers.value_piece("http://a");
  headers.value_piece(":1");
  headers.name_piece("Ho");
  headers.name_piece("st");
  headers.value_piece("");
  headers.value_piece("a:1");
  CHECK(headers.get(Name::kOrigin) == "http://a:1");
  CHECK(headers.get(Name::kHost) == "a:1");
}

TEST_CASE("request headers: an empty value is there, and a long unkept name is no kept one") {
  RequestHeaders headers;
  header(headers, "Origin", "");
  header(headers, "Authorization-And-More", "Bearer x");
  header(headers, "X-Host", "h");
  CHECK(headers.get(Name::kOrigin) == "");
  CHECK_FALSE(headers.get(Name::kAuthorization));
  CHECK_FALSE(headers.get(Name::kHost));
  CHECK(headers.fault() == RequestHeaders::Fault::kNone);
}

TEST_CASE("request headers: a kept one twice, or too long, is a fault") {
  RequestHeaders twice;
  header(twice, "Origin", "http://a");
  header(twice, "origin", "http://b");
  CHECK(twice.fault() == RequestHeaders::Fault::kRepeated);
  CHECK(twice.fault_message() == "the origin header is sent twice");
  CHECK(twice.get(Name::kOrigin) == "http://a");

  RequestHeaders longer;
  const std::string half(RequestHeaders::kMaxValue / 2, 'a');
  longer.name_piece("Authorization");
  longer.value_piece(half);
  longer.value_piece(half);
  CHECK(longer.fault() == RequestHeaders::Fault::kNone);  // exactly the limit is kept
  longer.value_piece("a");
  CHECK(longer.fault() == RequestHeaders::Fault::kTooLong);
  CHECK(longer.fault_message() == "the authorization header is too long");

  RequestHeaders unkept;  // headers not kept may repeat and be long: the size cap holds them
  header(unkept, "Cookie", std::string(RequestHeaders::kMaxValue + 1, 'c'));
  header(unkept, "cookie", "b");
  CHECK(unkept.fault() == RequestHeaders::Fault::kNone);
}
