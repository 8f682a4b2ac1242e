#include "cxpm/protocol/args.hpp"

#include <map>

namespace cxpm {
namespace {

[[noreturn]] void fail(const std::string& path, const char* expected, const Json& got) {
  throw ArgsError(path + ": expected " + expected + ", got " + got.type_name());
}

}  // namespace

ArgsReader::ArgsReader(const Json& object, std::string path)
    : object_(object), path_(std::move(path)) {
  if (!object_.is_object()) fail(path_, "an object", object_);
}

const Json* ArgsReader::find(const char* key, Json::value_t expected,
                             const char* expected_name) const {
  auto it = object_.find(key);
  if (it == object_.end() || it->is_null()) return nullptr;
  const bool matches = it->type() == expected ||
                       (expected == Json::value_t::number_integer && it->is_number_unsigned());
  if (!matches) fail(path_of(key), expected_name, *it);
  return &*it;
}

std::string ArgsReader::string(const char* key, std::string fallback) const {
  auto* value = find(key, Json::value_t::string, "a string");
  return value ? value->get<std::string>() : fallback;
}

std::int64_t ArgsReader::integer(const char* key, std::int64_t fallback) const {
  auto* value = find(key, Json::value_t::number_integer, "an integer");
  return value ? value->get<std::int64_t>() : fallback;
}

bool ArgsReader::boolean(const char* key, bool fallback) const {
  auto* value = find(key, Json::value_t::boolean, "a boolean");
  return value ? value->get<bool>() : fallback;
}

std::optional<std::int64_t> ArgsReader::optional_integer(const char* key) const {
  auto* value = find(key, Json::value_t::number_integer, "an integer");
  if (!value) return std::nullopt;
  return value->get<std::int64_t>();
}

double ArgsReader::number(const char* key, double fallback) const {
  auto it = object_.find(key);
  if (it == object_.end() || it->is_null()) return fallback;
  if (!it->is_number()) fail(path_of(key), "a number", *it);
  return it->get<double>();
}

std::vector<std::string> ArgsReader::strings(const char* key) const {
  std::vector<std::string> out;
  auto* array = find(key, Json::value_t::array, "an array of strings");
  if (!array) return out;
  for (std::size_t i = 0; i < array->size(); ++i) {
    const Json& item = (*array)[i];
    if (!item.is_string()) fail(path_of(key) + "[" + std::to_string(i) + "]", "a string", item);
    out.push_back(item.get<std::string>());
  }
  return out;
}

std::vector<int> ArgsReader::integers(const char* key) const {
  std::vector<int> out;
  auto* array = find(key, Json::value_t::array, "an array of integers");
  if (!array) return out;
  for (std::size_t i = 0; i < array->size(); ++i) {
    const Json& item = (*array)[i];
    if (!item.is_number_integer()) {
      fail(path_of(key) + "[" + std::to_string(i) + "]", "an integer", item);
    }
    out.push_back(item.get<int>());
  }
  return out;
}

std::map<std::string, std::string> ArgsReader::string_map(const char* key) const {
  std::map<std::string, std::string> out;
  auto* object = find(key, Json::value_t::object, "an object of strings");
  if (!object) return out;
  for (const auto& [name, value] : object->items()) {
    if (!value.is_string()) fail(path_of(key) + "." + name, "a string", value);
    out.emplace(name, value.get<std::string>());
  }
  return out;
}

ArgsReader ArgsReader::object(const char* key) const {
  static const Json kEmpty = Json::object();
  auto* value = find(key, Json::value_t::object, "an object");
  return ArgsReader(value ? *value : kEmpty, path_of(key));
}

std::vector<ArgsReader> ArgsReader::objects(const char* key) const {
  std::vector<ArgsReader> out;
  auto* array = find(key, Json::value_t::array, "an array of objects");
  if (!array) return out;
  for (std::size_t i = 0; i < array->size(); ++i) {
    out.emplace_back((*array)[i], path_of(key) + "[" + std::to_string(i) + "]");
  }
  return out;
}

}  // namespace cxpm
