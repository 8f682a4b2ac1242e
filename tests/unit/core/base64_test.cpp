#include "cxpm/core/base64.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace cxpm;

TEST_CASE("base64: RFC 4648's test vectors, both ways") {
  const std::pair<std::string, std::string> vectors[] = {
      {"", ""},
      {"f", "Zg=="},
      {"fo", "Zm8="},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="},
      {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"},
  };
  for (const auto& [plain, encoded] : vectors) {
    CHECK(base64_encode(plain) == encoded);
    CHECK(base64_decode(encoded) == plain);
  }
  // Basic credentials as a browser sends them.
  CHECK(base64_decode("Y3hwbTpzM2NyZXQ=") == "cxpm:s3cret");
}

TEST_CASE("base64: every byte value survives a round trip, '+' and '/' included") {
  std::string all;
  for (int c = 0; c < 256; ++c) all += static_cast<char>(c);
  const std::string encoded = base64_encode(all);
  CHECK(encoded.find('+') != std::string::npos);
  CHECK(encoded.find('/') != std::string::npos);
  CHECK(base64_decode(encoded) == all);
  CHECK(base64_decode("+/+/") == std::string("\xfb\xff\xbf", 3));
  CHECK(base64_decode(std::string("AA==")) == std::string(1, '\0'));
}

TEST_CASE("base64: characters outside the alphabet are refused") {
  CHECK_FALSE(base64_decode("Zm9v!mFy"));
  CHECK_FALSE(base64_decode("Zm9v YmFy"));   // whitespace
  CHECK_FALSE(base64_decode("Zm9vYmFy\n"));  // a trailing newline
  CHECK_FALSE(base64_decode("Zm9v-_Fy"));    // the URL-safe alphabet is another encoding
  CHECK_FALSE(base64_decode(std::string("Zm9\0", 4)));
  CHECK_FALSE(base64_decode("Zm9\xc3\xa9"));  // not ASCII
}

TEST_CASE("base64: padding only where it belongs, and the length a multiple of 4") {
  CHECK_FALSE(base64_decode("Zg"));  // unpadded
  CHECK_FALSE(base64_decode("Zm8"));
  CHECK_FALSE(base64_decode("Zg="));
  CHECK_FALSE(base64_decode("Zg==="));
  CHECK_FALSE(base64_decode("Z==="));  // three '=' leave less than a byte
  CHECK_FALSE(base64_decode("===="));
  CHECK_FALSE(base64_decode("Zg==Zm8="));  // padding before the end
  CHECK_FALSE(base64_decode("Zm=v"));      // '=' inside a group
  CHECK_FALSE(base64_decode("Zm9vY"));
}

TEST_CASE("base64: unused bits in the last group must be zero (one encoding per string)") {
  CHECK(base64_decode("Zg==") == "f");
  CHECK_FALSE(base64_decode("Zh=="));  // the same 'f', with a low bit set
  CHECK(base64_decode("Zm8=") == "fo");
  CHECK_FALSE(base64_decode("Zm9="));
}
