#pragma once
// What the CLI prints: the process table, `describe`'s sheet, messages. Colour only on a
// terminal and never with NO_COLOR set.

#include <cstdio>
#include <string>
#include <vector>

#include "cxpm/protocol/process_info.hpp"

namespace cxpm {

struct Style {
  bool color = false;

  static Style for_stream(std::FILE* stream);
};

std::string render_table(const std::vector<ProcessInfo>& processes, Style style);
std::string render_description(const ProcessInfo& info, const AppSpec& app, Style style);

}  // namespace cxpm
