#include "cxpm/core/keeper_messages.hpp"

#include <algorithm>

#include "cxpm/core/parse_number.hpp"

namespace cxpm {
namespace {

// The text before the first space, and the rest after it.
std::pair<std::string_view, std::string_view> split_word(std::string_view text) {
  const auto space = text.find(' ');
  if (space == std::string_view::npos) return {text, {}};
  return {text.substr(0, space), text.substr(space + 1)};
}

}  // namespace

std::string link_message(std::string_view verb, std::string_view argument) {
  std::string text(verb);
  if (!argument.empty()) {
    text += ' ';
    text += argument;
  }
  return text;
}

std::optional<LinkMessage> parse_link_message(std::string_view text) {
  if (text.empty()) return std::nullopt;
  const auto [verb, argument] = split_word(text);
  if (verb.empty()) return std::nullopt;
  return LinkMessage{std::string(verb), std::string(argument)};
}

bool valid_key(std::string_view key) {
  if (key.empty() || key.size() > kMaxKeyLength) return false;
  return std::all_of(key.begin(), key.end(), [](char c) { return c > ' ' && c < 127; });
}

std::string exit_argument(const ReportedExit& exit) {
  return std::to_string(exit.pid) + " " + std::to_string(exit.wait_status);
}

std::optional<ReportedExit> parse_exit_argument(std::string_view argument) {
  const auto [pid_text, status_text] = split_word(argument);
  const auto pid = parse_whole<pid_t>(pid_text);
  const auto status = parse_whole<int>(status_text);
  if (!pid || *pid <= 0 || !status) return std::nullopt;
  return ReportedExit{*pid, *status};
}

// "<pid> <version>\n<update failure>": a version ("0.1.0 (commit 5c00083, Release build)")
// has spaces but no line break.
std::string hello_argument(const KeeperHello& hello) {
  return std::to_string(hello.pid) + " " + hello.version + "\n" + hello.update_failure;
}

std::optional<KeeperHello> parse_hello_argument(std::string_view argument) {
  const auto [pid_text, rest] = split_word(argument);
  const auto line_end = rest.find('\n');
  const std::string_view version = rest.substr(0, line_end);
  const std::string_view failure =
      line_end == std::string_view::npos ? std::string_view() : rest.substr(line_end + 1);
  const auto pid = parse_whole<pid_t>(pid_text);
  if (!pid || *pid <= 0 || version.empty()) return std::nullopt;
  return KeeperHello{*pid, std::string(version), std::string(failure)};
}

}  // namespace cxpm
