#pragma once
// The few request headers the web server reads (daemon/web_connection.hpp), gathered from
// http-parser's callbacks, which hand a name or a value over in as many pieces as the socket's
// reads cut it into; every other header is skipped unkept. Pure, so the piecing and the
// refusals are unit tests (tests/unit/core/request_headers_test.cpp).

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace cxpm {

class RequestHeaders {
 public:
  enum class Name { kAuthorization, kHost, kOrigin };
  // Why the request's headers cannot be relied on: a kept header sent twice (which one would
  // count?), or one over kMaxValue.
  enum class Fault { kNone, kRepeated, kTooLong };
  // The longest value kept. The whole request is at most 16 KiB already; this holds each of
  // these far below it (a Basic value of a 256-character token is under 400).
  static constexpr std::size_t kMaxValue = 2048;

  // A piece of a header's name; the first piece after a value begins the next header.
  void name_piece(std::string_view piece);
  // A piece of the current header's value (http-parser gives an empty value as one empty piece).
  void value_piece(std::string_view piece);

  // The header's value as sent (nullopt: the request has none).
  const std::optional<std::string>& get(Name name) const;
  // The first fault, and what it says ("" for kNone).
  Fault fault() const { return fault_; }
  const std::string& fault_message() const { return fault_message_; }

 private:
  static constexpr std::size_t kKept = 3;
  std::array<std::optional<std::string>, kKept> values_;
  std::string name_;  // the header name being read, lower case, cut after the longest kept one
  std::size_t current_ = kKept;  // the kept header whose value is being read; kKept: none
  bool in_value_ = false;
  Fault fault_ = Fault::kNone;
  std::string fault_message_;

  void fail(Fault fault, std::string message);
};

}  // namespace cxpm
