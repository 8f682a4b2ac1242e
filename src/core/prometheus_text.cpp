#include "cxpm/core/prometheus_text.hpp"

#include <charconv>
#include <cmath>
#include <stdexcept>

namespace cxpm {
namespace {

// HELP text escapes backslash and newline only (the format's rule for docstrings).
std::string escape_help(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::string escape_label_value(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string format_sample_value(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char buffer[64];
  constexpr double kExactIntegers = 9007199254740992.0;  // 2^53
  if (value == std::floor(value) && std::fabs(value) <= kExactIntegers) {
    const auto [end, error] =
        std::to_chars(buffer, buffer + sizeof buffer, static_cast<long long>(value));
    return std::string(buffer, end);
  }
  const auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, end);
}

bool is_metric_name(std::string_view name, bool label) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    const bool digit = c >= '0' && c <= '9';
    if (letter || (digit && i > 0) || (c == ':' && !label)) continue;
    return false;
  }
  return true;
}

MetricLabels::MetricLabels(const List& labels) {
  if (labels.empty()) return;
  std::string text = "{";
  for (const auto& [name, value] : labels) {
    if (!is_metric_name(name, /*label=*/true)) throw std::invalid_argument("bad label " + name);
    if (text.size() > 1) text += ',';
    text.append(name).append("=\"").append(escape_label_value(value)).append("\"");
  }
  text += '}';
  text_ = std::make_shared<const std::string>(std::move(text));
}

std::string prometheus_text(const std::vector<MetricFamily>& families) {
  std::string out;
  std::size_t samples = 0;
  for (const auto& family : families) samples += family.samples.size();
  out.reserve(samples * 96);  // a sample line with an instance's three labels, about
  for (const auto& family : families) {
    // A wrong name is the program's mistake, never input's: refuse it loudly in tests.
    if (!is_metric_name(family.name)) throw std::invalid_argument("bad metric name " + family.name);
    const char* type = family.type == MetricFamily::Type::kCounter ? "counter" : "gauge";
    out.append("# HELP ").append(family.name).append(" ").append(escape_help(family.help));
    out.append("\n# TYPE ").append(family.name).append(" ").append(type).append("\n");
    for (const auto& sample : family.samples) {
      out.append(family.name).append(sample.labels.text()).append(" ");
      out.append(format_sample_value(sample.value)).append("\n");
    }
  }
  return out;
}

}  // namespace cxpm
