#include "cxpm/core/request_headers.hpp"

#include <cctype>
#include <utility>

namespace cxpm {
namespace {

// In the order of RequestHeaders::Name, lower case.
constexpr std::array<std::string_view, 3> kNames = {"authorization", "host", "origin"};
constexpr std::size_t kLongestName = 13;  // "authorization"

}  // namespace

void RequestHeaders::name_piece(std::string_view piece) {
  if (in_value_) {
    in_value_ = false;
    name_.clear();
  }
  // A name longer than every kept one is no kept one: only its start is worth holding.
  for (const char c : piece) {
    if (name_.size() > kLongestName) break;
    name_ += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
}

void RequestHeaders::value_piece(std::string_view piece) {
  if (!in_value_) {
    in_value_ = true;
    current_ = kKept;
    for (std::size_t i = 0; i < kKept; ++i) {
      if (name_ == kNames[i]) current_ = i;
    }
    if (current_ == kKept) return;
    if (values_[current_]) {
      fail(Fault::kRepeated, "the " + name_ + " header is sent twice");
      current_ = kKept;
      return;
    }
    values_[current_].emplace();
  }
  if (current_ == kKept) return;
  std::string& value = *values_[current_];
  if (value.size() + piece.size() > kMaxValue) {
    fail(Fault::kTooLong, "the " + name_ + " header is too long");
    current_ = kKept;
    return;
  }
  value.append(piece);
}

void RequestHeaders::fail(Fault fault, std::string message) {
  if (fault_ != Fault::kNone) return;
  fault_ = fault;
  fault_message_ = std::move(message);
}

const std::optional<std::string>& RequestHeaders::get(Name name) const {
  return values_[static_cast<std::size_t>(name)];
}

}  // namespace cxpm
