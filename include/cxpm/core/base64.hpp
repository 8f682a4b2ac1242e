#pragma once
// Base64 as RFC 4648 section 4 defines it (the standard alphabet, '=' padding), for HTTP Basic
// credentials (docs/web.md). The decoder is strict, since what it reads comes from any client:
// no whitespace, no other alphabet, padding only where it belongs, and the unused bits of the
// last group zero (RFC 4648 section 3.5), so every byte string has exactly one encoding that
// decodes.

#include <optional>
#include <string>
#include <string_view>

namespace cxpm {

std::string base64_encode(std::string_view bytes);
// The bytes `text` encodes; nullopt when it is not canonical padded base64.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace cxpm
