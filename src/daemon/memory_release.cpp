#include "cxpm/daemon/memory_release.hpp"

#include <malloc.h>

namespace cxpm {
namespace {

// Blocks from this size up get mappings of their own (glibc's starting value, kept fixed).
constexpr int kMmapThreshold = 128 * 1024;
// Free memory at the top of the heap beyond this goes back to the system at once.
constexpr int kTrimThreshold = 256 * 1024;

bool trim_wanted = false;  // the loop thread's only

}  // namespace

void tune_malloc_for_daemon() {
  ::mallopt(M_ARENA_MAX, 1);
  ::mallopt(M_MMAP_THRESHOLD, kMmapThreshold);
  ::mallopt(M_TRIM_THRESHOLD, kTrimThreshold);
}

void note_large_message(std::size_t bytes) {
  if (bytes >= kLargeMessageBytes) trim_wanted = true;
}

void release_freed_memory() {
  if (!trim_wanted) return;
  trim_wanted = false;
  ::malloc_trim(0);
}

}  // namespace cxpm
