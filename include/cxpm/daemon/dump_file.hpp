#pragma once
// $CXPM_HOME/dump.json (and state.json, through the same writer) on disk: blocking, so the
// daemon calls these off the loop.

#include <optional>
#include <string>
#include <vector>

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

// The writer and reader above for any file `name` of the home (state.json too).
void replace_home_file(const Home& home, const char* name, const std::string& text);
std::optional<std::string> read_home_file(const Home& home, const char* name);

// Removes the `<name>.tmp-*` files an earlier daemon left when it died mid-write (this
// process's own are left alone); returns their names.
std::vector<std::string> sweep_temporary_files(const Home& home, const char* name);

}  // namespace cxpm
