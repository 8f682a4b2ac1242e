#pragma once
// The daemon's malloc: settings for a process that runs for months with a small steady
// working set and bursts of large messages, and giving freed memory back after a burst.
//
// glibc raises its mmap threshold each time a large block is freed (up to 32 MiB), so after
// one large request every later large message lands in the heap, where a small live object
// above it keeps the freed pages resident. Fixing the thresholds keeps large messages in
// their own mappings (returned when freed), and one arena keeps the worker threads' few
// allocations out of heaps of their own. Free pages left inside the heap by a large request
// (the many small objects of a parsed ecosystem file, say) are given back by malloc_trim,
// at most once a period, soon after one.
//
// A request also runs code from all over the binary (see sys/code_pages.hpp): once the daemon
// has been quiet for a while after requests and their answers (an operation such as a reload
// runs for seconds between the two), the code they ran is let go too, so that
// the idle daemon's resident memory is what it is running, not what it ran.

#include <cstddef>

namespace cxpm {

// Call first thing in the daemon, before it allocates much.
void tune_malloc_for_daemon();

// A message at least this large leaves enough free memory behind to be worth a trim.
inline constexpr std::size_t kLargeMessageBytes = 64 * 1024;
// Says a large message was just freed (or is about to be): the next release_freed_memory()
// trims the heap.
void note_large_message(std::size_t bytes);
// Says a request (a command, a web request) just came, or was just answered.
void note_request_served();
// Trims the heap if a large message was noted since the last trim, and lets go of code pages
// after a quiet period that followed requests; called once a period.
void release_freed_memory();

}  // namespace cxpm
