#include "cxpm/sys/error.hpp"

#include <cstring>

namespace cxpm {

std::string error_text(int error_number) {
  return std::strerror(error_number);
}

SystemError::SystemError(const std::string& what, int number)
    : std::runtime_error(what + ": " + error_text(number)), error_number(number) {}

void throw_system_error(const std::string& what, int error_number) {
  throw SystemError(what, error_number);
}

}  // namespace cxpm
