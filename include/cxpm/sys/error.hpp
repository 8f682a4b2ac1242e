#pragma once
// OS errors as exceptions with a sentence a user can act on.

#include <cerrno>
#include <stdexcept>
#include <string>

namespace cxpm {

struct SystemError : std::runtime_error {
  SystemError(const std::string& what, int error_number);
  int error_number;
};

// "what: strerror(errno)".
[[noreturn]] void throw_system_error(const std::string& what, int error_number = errno);

std::string error_text(int error_number);

}  // namespace cxpm
