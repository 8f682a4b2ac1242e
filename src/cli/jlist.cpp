#include "cxpm/cli/jlist.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "cxpm/cli/client.hpp"
#include "cxpm/core/clock.hpp"
#include "cxpm/protocol/process_list.hpp"

namespace cxpm {

Json jlist_json(Client& client) {
  // describe carries each instance's spec, which pm2_env's paths and env come from.
  TargetsArgs args;
  args.targets = {"all"};
  return process_list_json(client.call<method::Describe>(args), unix_now_ms());
}

namespace {

bool is_identifier(const std::string& key) {
  if (key.empty() || std::isdigit(static_cast<unsigned char>(key.front()))) return false;
  for (unsigned char c : key) {
    if (!std::isalnum(c) && c != '_' && c != '$') return false;
  }
  return true;
}

std::string quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out + "'";
}

bool is_scalar(const Json& value) {
  return !value.is_object() && !value.is_array();
}

void write(const Json& value, int depth, std::string& out) {
  const std::string indent(static_cast<std::size_t>(depth + 1) * 2, ' ');
  const std::string closing(static_cast<std::size_t>(depth) * 2, ' ');
  if (value.is_string()) {
    out += quoted(value.get<std::string>());
  } else if (value.is_null()) {
    out += "null";
  } else if (value.is_object()) {
    if (value.empty()) {
      out += "{}";
      return;
    }
    out += "{\n";
    bool first = true;
    for (const auto& [key, item] : value.items()) {
      if (!first) out += ",\n";
      first = false;
      out += indent + (is_identifier(key) ? key : quoted(key)) + ": ";
      write(item, depth + 1, out);
    }
    out += "\n" + closing + "}";
  } else if (value.is_array()) {
    if (value.empty()) {
      out += "[]";
      return;
    }
    const bool flat = std::all_of(value.begin(), value.end(), is_scalar);
    out += flat ? "[ " : "[\n";
    bool first = true;
    for (const auto& item : value) {
      if (!first) out += flat ? ", " : ",\n";
      first = false;
      if (!flat) out += indent;
      write(item, depth + 1, out);
    }
    out += flat ? " ]" : "\n" + closing + "]";
  } else {
    out += value.dump();
  }
}

}  // namespace

std::string inspect_notation(const Json& value) {
  std::string out;
  write(value, 0, out);
  return out;
}

}  // namespace cxpm
