#include "cxpm/sys/code_pages.hpp"

#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdio>

namespace cxpm {
namespace {

long resident_pages() {
  std::FILE* statm = std::fopen("/proc/self/statm", "re");
  REQUIRE(statm != nullptr);
  long size = 0, resident = 0;
  REQUIRE(std::fscanf(statm, "%ld %ld", &size, &resident) == 2);
  std::fclose(statm);
  return resident;
}

}  // namespace

TEST_CASE("code pages: letting go of them shrinks the resident set, and the code still runs") {
  // This test binary has run code all over itself by now: most of its text is mapped.
  const long before = resident_pages();
  release_code_pages();
  const long after = resident_pages();  // runs code again: mapped back on first use
  CHECK(after < before);
  // Everything still works: the pages come back from the file as they are needed.
  release_code_pages();
  CHECK(resident_pages() > 0);
}

}  // namespace cxpm
