#pragma once
// Prometheus's text exposition format (version 0.0.4): metric families, each with its
// `# HELP` and `# TYPE` lines and its samples, label values escaped as the format says
// (backslash, double quote, newline). Pure: the daemon's web server (daemon/web_metrics.cpp)
// fills the families, this writes them.

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cxpm {

// A sample's labels, written out once ({name="value",...}, escaped; "" for none) and shared:
// the same instance's labels go on a dozen families, and a scrape covers every instance.
class MetricLabels {
 public:
  using List = std::vector<std::pair<std::string, std::string>>;  // name, value; in this order

  MetricLabels() = default;
  // Throws std::invalid_argument for a label name outside the format's grammar: a wrong name
  // is the program's mistake, never input's.
  explicit MetricLabels(const List& labels);
  const std::string& text() const { return text_ ? *text_ : kNone; }

 private:
  static inline const std::string kNone;
  std::shared_ptr<const std::string> text_;
};

struct MetricSample {
  MetricLabels labels;
  double value = 0;
};

struct MetricFamily {
  enum class Type { kCounter, kGauge };
  std::string name;  // [a-zA-Z_:][a-zA-Z0-9_:]*; a counter's ends in _total
  std::string help;
  Type type = Type::kGauge;
  std::vector<MetricSample> samples;

  MetricFamily& add(MetricLabels labels, double value) {
    samples.push_back({std::move(labels), value});
    return *this;
  }
  MetricFamily& add(const MetricLabels::List& labels, double value) {
    return add(MetricLabels(labels), value);
  }
};

// "a\"b" for a"b: backslash, double quote and newline escaped.
std::string escape_label_value(std::string_view value);
// A sample's value: whole numbers without exponent or decimals (up to 2^53), others in the
// shortest form that reads back the same; NaN, +Inf, -Inf as the format spells them.
std::string format_sample_value(double value);
// Whether `name` is a valid metric (or label, without ':') name.
bool is_metric_name(std::string_view name, bool label = false);

// The families in order. A family with no samples still gets its HELP and TYPE lines.
std::string prometheus_text(const std::vector<MetricFamily>& families);

// The Content-Type of that text.
inline constexpr std::string_view kPrometheusContentType =
    "text/plain; version=0.0.4; charset=utf-8";

}  // namespace cxpm
