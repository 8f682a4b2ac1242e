#pragma once
// Reading a request's arguments with errors that name the field: a client that sends
// {"target": 5} is told `args.target: expected a string`, and nothing happens.

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "cxpm/protocol/message.hpp"

namespace cxpm {

struct ArgsError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class ArgsReader {
 public:
  ArgsReader(const Json& object, std::string path);

  bool has(const char* key) const { return object_.contains(key); }
  // For a field that is a string or something else (busy's "apps": "all" or names).
  bool holds_string(const char* key) const {
    auto it = object_.find(key);
    return it != object_.end() && it->is_string();
  }

  std::string string(const char* key, std::string fallback = {}) const;
  std::int64_t integer(const char* key, std::int64_t fallback = 0) const;
  bool boolean(const char* key, bool fallback = false) const;
  // An integer or nothing: absent and null are both nothing.
  std::optional<std::int64_t> optional_integer(const char* key) const;
  // Any JSON number (cpu percentages).
  double number(const char* key, double fallback = 0) const;
  std::vector<std::string> strings(const char* key) const;
  std::vector<int> integers(const char* key) const;
  std::map<std::string, std::string> string_map(const char* key) const;
  ArgsReader object(const char* key) const;
  // The elements of an array of objects, each with its own path (args.apps[2]).
  std::vector<ArgsReader> objects(const char* key) const;

  std::string path_of(const char* key) const { return path_ + "." + key; }

 private:
  const Json* find(const char* key, Json::value_t expected, const char* expected_name) const;

  const Json& object_;
  std::string path_;
};

// Every protocol type T has one mapping, a pair of functions beside it: `Json to_json(const T&)`
// and `void from_json(const ArgsReader&, T&)`, which throws ArgsError naming the field.
// decode<T> reads a whole value: decode<PingResult>(reply.result(), "result").
template <typename T>
T decode(const Json& json, std::string path) {
  T out;
  from_json(ArgsReader(json, std::move(path)), out);
  return out;
}

}  // namespace cxpm
