#pragma once
// The signals cxpm knows, by name and number: the one table behind every place a signal is
// read (ecosystem files, start flags, requests) or shown, so a signal accepted anywhere is the
// signal the daemon sends.

#include <optional>
#include <string>
#include <string_view>

namespace cxpm {

// "SIGTERM", "TERM", "term", "15" or "+15": the signal's number; nothing for a name or number
// the table does not have.
std::optional<int> signal_from_name(std::string_view text);

// The same spellings, as the canonical name ("SIGTERM").
std::optional<std::string> canonical_signal_name(std::string_view text);

// "SIGTERM"; "signal 42" for a number the table does not name.
std::string signal_name(int signal_number);

}  // namespace cxpm
