#pragma once
// Reading a request's arguments with errors that name the field: a client that sends
// {"target": 5} is told `args.target: expected a string`, and nothing happens.

#include <cstdint>
#include <map>
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

  std::string string(const char* key, std::string fallback = {}) const;
  std::int64_t integer(const char* key, std::int64_t fallback = 0) const;
  bool boolean(const char* key, bool fallback = false) const;
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

}  // namespace cxpm
