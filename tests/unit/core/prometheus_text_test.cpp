#include "cxpm/core/prometheus_text.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <stdexcept>

using namespace cxpm;

TEST_CASE("prometheus text: HELP and TYPE precede each family's samples") {
  MetricFamily restarts{"cxpm_process_restarts_total", "Restarts of the instance.",
                        MetricFamily::Type::kCounter};
  restarts.add({{"app", "web"}, {"instance", "0"}}, 3).add({{"app", "web"}, {"instance", "1"}}, 0);
  MetricFamily memory{"cxpm_daemon_resident_memory_bytes", "The daemon's RSS."};
  memory.add(MetricLabels(), 4096);
  CHECK(prometheus_text({restarts, memory}) ==
        "# HELP cxpm_process_restarts_total Restarts of the instance.\n"
        "# TYPE cxpm_process_restarts_total counter\n"
        "cxpm_process_restarts_total{app=\"web\",instance=\"0\"} 3\n"
        "cxpm_process_restarts_total{app=\"web\",instance=\"1\"} 0\n"
        "# HELP cxpm_daemon_resident_memory_bytes The daemon's RSS.\n"
        "# TYPE cxpm_daemon_resident_memory_bytes gauge\n"
        "cxpm_daemon_resident_memory_bytes 4096\n");
}

TEST_CASE("prometheus text: a family without samples keeps its HELP and TYPE") {
  CHECK(prometheus_text({{"cxpm_app_instances", "n", MetricFamily::Type::kGauge}}) ==
        "# HELP cxpm_app_instances n\n# TYPE cxpm_app_instances gauge\n");
}

TEST_CASE("prometheus text: label values escape backslash, quote and newline only") {
  CHECK(escape_label_value(R"(a"b\c)") == R"(a\"b\\c)");
  CHECK(escape_label_value("one\ntwo") == "one\\ntwo");
  CHECK(escape_label_value("ünï côdé {x=1}") == "ünï côdé {x=1}");
  MetricFamily up{"cxpm_process_up", "help with \\ and\nnewline"};
  up.add(MetricLabels::List{{"app", "we\"ird\\\n"}}, 1);
  CHECK(prometheus_text({up}) ==
        "# HELP cxpm_process_up help with \\\\ and\\nnewline\n"
        "# TYPE cxpm_process_up gauge\n"
        "cxpm_process_up{app=\"we\\\"ird\\\\\\n\"} 1\n");
}

TEST_CASE("prometheus text: values are whole numbers where they are, else exact") {
  CHECK(format_sample_value(0) == "0");
  CHECK(format_sample_value(-7) == "-7");
  CHECK(format_sample_value(1e15) == "1000000000000000");
  CHECK(format_sample_value(1.5) == "1.5");
  CHECK(format_sample_value(0.1) == "0.1");
  CHECK(format_sample_value(1e300) == "1e+300");
  CHECK(format_sample_value(std::numeric_limits<double>::infinity()) == "+Inf");
  CHECK(format_sample_value(-std::numeric_limits<double>::infinity()) == "-Inf");
  CHECK(format_sample_value(std::nan("")) == "NaN");
}

TEST_CASE("prometheus text: names follow the format's grammar") {
  CHECK(is_metric_name("cxpm_process_up"));
  CHECK(is_metric_name("a:b_c9"));
  CHECK_FALSE(is_metric_name("9lives"));
  CHECK_FALSE(is_metric_name("has-dash"));
  CHECK_FALSE(is_metric_name(""));
  CHECK_FALSE(is_metric_name("a:b", /*label=*/true));
  MetricFamily bad{"bad name", "x"};
  CHECK_THROWS_AS(prometheus_text({bad}), std::invalid_argument);
  CHECK_THROWS_AS(MetricLabels(MetricLabels::List{{"le-x", "1"}}), std::invalid_argument);
}
