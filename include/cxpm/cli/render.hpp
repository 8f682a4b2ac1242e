#pragma once
// What the CLI prints: the process table, `describe`'s sheet, messages. Colour only on a
// terminal and never with NO_COLOR set.

#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "cxpm/config/app_spec.hpp"
#include "cxpm/protocol/process_info.hpp"

namespace cxpm {

struct Style {
  bool color = false;

  static Style for_stream(std::FILE* stream);
};

std::string render_table(const std::vector<ProcessInfo>& processes, Style style);
std::string render_description(const ProcessInfo& info, const AppSpec& spec, Style style);

// The rows `describe` shows for an app's settings: what it runs, how it stops, and what else
// restarts it or whom it runs as when those are set.
std::vector<std::pair<std::string, std::string>> describe_spec_rows(const AppSpec& spec);

}  // namespace cxpm
