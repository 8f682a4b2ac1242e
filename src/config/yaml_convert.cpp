#include "cxpm/config/yaml_convert.hpp"

#include <yaml-cpp/yaml.h>

#include <stdexcept>

#include "cxpm/core/parse_number.hpp"

namespace cxpm {
namespace {

// A string YAML would read back as something else (a number, a boolean, null) keeps quotes.
bool needs_quotes(const std::string& text) {
  static constexpr std::string_view kWords[] = {
      "true", "false", "yes", "no", "on",   "off", "null", "~",  "True", "False",
      "TRUE", "FALSE", "Yes", "No", "NULL", "y",   "n",    "On", "Off"};
  for (std::string_view word : kWords) {
    if (text == word) return true;
  }
  return text.empty() || parse_whole<long long>(text) || parse_whole<double>(text);
}

void emit(YAML::Emitter& out, const YAML::Node& node, bool top) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      out << YAML::BeginMap;
      for (const auto& pair : node) {
        const std::string key = pair.first.Scalar();
        if (top && key == "deploy") continue;  // cxpm does not deploy
        out << YAML::Key << key << YAML::Value;
        emit(out, pair.second, false);
      }
      out << YAML::EndMap;
      break;
    case YAML::NodeType::Sequence:
      out << YAML::BeginSeq;
      for (const auto& item : node) emit(out, item, false);
      out << YAML::EndSeq;
      break;
    case YAML::NodeType::Scalar:
      // JSON's strings were quoted ("!" tag), its numbers and booleans were not.
      if (node.Tag() == "!" && needs_quotes(node.Scalar())) out << YAML::DoubleQuoted;
      out << node.Scalar();
      break;
    default:
      out << YAML::Null;
      break;
  }
}

}  // namespace

std::string json_as_yaml(std::string_view json) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(json));
  } catch (const YAML::Exception& error) {
    throw std::runtime_error(std::string("the evaluated file does not read: ") + error.what());
  }
  YAML::Emitter out;
  emit(out, root, true);
  return std::string(out.c_str()) + "\n";
}

}  // namespace cxpm
