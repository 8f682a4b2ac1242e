#pragma once
// Checks a request's JSON before a document is built from it: a line of 1 MiB can nest
// objects half a million levels deep, and code that walks such a document recursively (a
// destructor, a dump, a copy) overflows the stack. The check runs on nlohmann's SAX parser,
// which keeps its own state on the heap, so it cannot overflow however deep the input goes.
// It also refuses duplicate keys, which JSON parsers resolve differently (nlohmann keeps the
// last: {"method":"ping","method":"kill"} would be a kill).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace cxpm {

// Objects and arrays inside one request, counting the request object itself.
inline constexpr std::size_t kMaxJsonDepth = 64;

struct JsonShapeProblem {
  enum class Kind { kNotJson, kTooDeep, kDuplicateKey };
  Kind kind;
  std::string message;
};

// Nothing when `text` is one JSON value, at most `max_depth` deep, with unique keys in every
// object; otherwise what is wrong, naming the place ($.args.env).
std::optional<JsonShapeProblem> check_json_shape(std::string_view text,
                                                 std::size_t max_depth = kMaxJsonDepth);

}  // namespace cxpm
