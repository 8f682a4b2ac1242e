#include "cxpm/config/app_spec.hpp"

namespace cxpm {

const char* to_string(ExecMode mode) {
  switch (mode) {
    case ExecMode::kFork:
      return "fork";
    case ExecMode::kCluster:
      return "cluster";
  }
  return "fork";
}

const char* to_string(SocketMode mode) {
  switch (mode) {
    case SocketMode::kShared:
      return "shared";
    case SocketMode::kReuseport:
      return "reuseport";
  }
  return "reuseport";
}

}  // namespace cxpm
