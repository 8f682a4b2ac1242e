// What the web server (daemon/web_connection.cpp) reads of a request before it lets it act:
// the Authorization, Host and Origin headers gathered from http-parser's pieces, Basic
// credentials (strict base64) and the cross-site rule. The input is a token line, then
// header lines "name:value". Besides crashes and sanitizer reports, it checks that the headers
// kept do not depend on how the pieces arrive, that base64 has one encoding per string both
// ways, that Basic credentials made from the token carry it, and that a server's own origin
// is never cross-site.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cxpm/core/base64.hpp"
#include "cxpm/core/request_headers.hpp"
#include "cxpm/core/web_routes.hpp"
#include "input.hpp"

namespace {

using namespace cxpm;
using Name = RequestHeaders::Name;

struct Kept {
  std::optional<std::string> authorization, host, origin;
  RequestHeaders::Fault fault = RequestHeaders::Fault::kNone;
  bool operator==(const Kept&) const = default;
};

using Header = std::pair<std::string_view, std::string_view>;

std::vector<Header> header_lines(std::string_view text) {
  std::vector<Header> headers;
  while (!text.empty()) {
    const auto newline = text.find('\n');
    const std::string_view line = text.substr(0, newline);
    text = newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);
    const auto colon = line.find(':');
    // http-parser never gives an empty name; an empty value is one empty piece.
    if (colon == 0 || colon == std::string_view::npos) continue;
    headers.emplace_back(line.substr(0, colon), line.substr(colon + 1));
  }
  return headers;
}

Kept gather(const std::vector<Header>& headers, std::optional<std::uint64_t> seed) {
  RequestHeaders gathered;
  for (const auto& [name, value] : headers) {
    if (!seed) {
      gathered.name_piece(name);
      gathered.value_piece(value);
      continue;
    }
    for (const auto piece : fuzz::chunks_of(name, *seed)) gathered.name_piece(piece);
    const auto pieces = fuzz::chunks_of(value, *seed ^ 0x9e3779b97f4a7c15ull);
    if (pieces.empty()) gathered.value_piece({});
    for (const auto piece : pieces) gathered.value_piece(piece);
    *seed = *seed * 31 + name.size();
  }
  return {gathered.get(Name::kAuthorization), gathered.get(Name::kHost),
          gathered.get(Name::kOrigin), gathered.fault()};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = fuzz::as_text(data, size);
  const std::uint64_t seed = fuzz::fingerprint(text);

  if (const auto decoded = base64_decode(text); decoded && base64_encode(*decoded) != text) {
    fuzz::broken("two base64 texts decode to one string");
  }
  if (base64_decode(base64_encode(text)) != text) fuzz::broken("base64 does not round-trip");

  const auto newline = text.find('\n');
  const std::string_view token = text.substr(0, newline);
  const auto headers = header_lines(newline == std::string_view::npos ? std::string_view()
                                                                      : text.substr(newline + 1));
  const Kept whole = gather(headers, std::nullopt);
  if (gather(headers, seed) != whole) fuzz::broken("the headers kept depend on the pieces");

  (void)carries_token(whole.authorization.value_or(""), token);
  (void)cross_site("POST", whole.origin, whole.host);
  if (!token.empty()) {
    const std::string basic = "Basic " + base64_encode("cxpm:" + std::string(token));
    if (basic_password(basic) != token || !carries_token(basic, token)) {
      fuzz::broken("Basic credentials made from the token do not carry it");
    }
  }
  if (whole.host && !whole.host->empty() &&
      cross_site("POST", "http://" + *whole.host, whole.host)) {
    fuzz::broken("the server's own origin is cross-site");
  }
  if (cross_site("GET", whole.origin, whole.host)) fuzz::broken("a read is cross-site");
  return 0;
}
