#pragma once
// $CXPM_HOME/dump.json on disk: blocking, so the daemon calls write_dump_file off the loop.

#include <optional>
#include <string>

#include "cxpm/sys/home.hpp"

namespace cxpm {

// Replaces dump.json with `text` atomically: a temporary file beside it (opened without
// following links), written, fsync-ed, renamed over it, and the directory fsync-ed. Throws
// SystemError with the reason (a full disk, a quota); the previous file is then untouched
// and the temporary file removed.
void write_dump_file(const Home& home, const std::string& text);

// The file's text; nullopt when there is none. Throws when it cannot be read or is too big
// to be a dump (over 64 MiB).
std::optional<std::string> read_dump_file(const Home& home);

}  // namespace cxpm
