#include "cxpm/core/status.hpp"

#include <array>
#include <utility>

namespace cxpm {
namespace {

constexpr std::array<std::pair<Status, std::string_view>, 7> kNames{{
    {Status::kLaunching, "launching"},
    {Status::kOnline, "online"},
    {Status::kStopping, "stopping"},
    {Status::kStopped, "stopped"},
    {Status::kErrored, "errored"},
    {Status::kWaitingRestart, "waiting-restart"},
    {Status::kUnhealthy, "unhealthy"},
}};

}  // namespace

std::string_view to_string(Status status) {
  for (const auto& [value, name] : kNames) {
    if (value == status) return name;
  }
  return "unknown";
}

std::optional<Status> status_from_string(std::string_view text) {
  for (const auto& [value, name] : kNames) {
    if (name == text) return value;
  }
  return std::nullopt;
}

bool is_running(Status status) {
  return status == Status::kLaunching || status == Status::kOnline || status == Status::kStopping ||
         status == Status::kUnhealthy;
}

}  // namespace cxpm
