#include "cxpm/daemon/memory_release.hpp"

#include <malloc.h>

#include <chrono>

#include "cxpm/sys/code_pages.hpp"

namespace cxpm {
namespace {

// Blocks from this size up get mappings of their own (glibc's starting value, kept fixed).
constexpr int kMmapThreshold = 128 * 1024;
// Free memory at the top of the heap beyond this goes back to the system at once.
constexpr int kTrimThreshold = 256 * 1024;

// The loop thread's only.
bool trim_wanted = false;
bool code_release_due = false;  // requests came since the code was last let go
std::chrono::steady_clock::time_point last_request;
// This long without a request is quiet: a command's burst of requests is over.
constexpr std::chrono::milliseconds kQuiet{500};

}  // namespace

void tune_malloc_for_daemon() {
  ::mallopt(M_ARENA_MAX, 1);
  ::mallopt(M_MMAP_THRESHOLD, kMmapThreshold);
  ::mallopt(M_TRIM_THRESHOLD, kTrimThreshold);
}

void note_large_message(std::size_t bytes) {
  if (bytes >= kLargeMessageBytes) trim_wanted = true;
}

void note_request_served() {
  code_release_due = true;
  last_request = std::chrono::steady_clock::now();
}

void release_freed_memory() {
  if (trim_wanted) {
    trim_wanted = false;
    ::malloc_trim(0);
  }
  if (code_release_due && std::chrono::steady_clock::now() - last_request >= kQuiet) {
    code_release_due = false;
    release_code_pages();
  }
}

}  // namespace cxpm
