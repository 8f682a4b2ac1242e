#include "cxpm/protocol/json_shape.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <unordered_set>
#include <vector>

namespace cxpm {
namespace {

using Json = nlohmann::json;

// Follows the parse with one frame per open object or array: its keys so far (objects) or
// its element count (arrays), which also names the place of a problem.
class ShapeChecker {
 public:
  explicit ShapeChecker(std::size_t max_depth) : max_depth_(max_depth) {}

  std::optional<JsonShapeProblem> problem;

  bool null() { return value(); }
  bool boolean(bool) { return value(); }
  bool number_integer(Json::number_integer_t) { return value(); }
  bool number_unsigned(Json::number_unsigned_t) { return value(); }
  bool number_float(Json::number_float_t, const Json::string_t&) { return value(); }
  bool string(Json::string_t&) { return value(); }
  bool binary(Json::binary_t&) { return value(); }

  bool start_object(std::size_t) { return open(true); }
  bool start_array(std::size_t) { return open(false); }
  bool end_object() { return close(); }
  bool end_array() { return close(); }

  bool key(Json::string_t& name) {
    Frame& frame = frames_.back();
    if (!frame.keys.insert(name).second) {
      // fmt, not "literal" + std::string: GCC 12 at -O3 warns falsely (-Wrestrict, GCC bug 105329).
      problem = JsonShapeProblem{
          JsonShapeProblem::Kind::kDuplicateKey,
          fmt::format("the key \"{}\" appears twice in {}; each key may appear once", name,
                      path())};
      return false;
    }
    frame.last_key = name;
    return true;
  }

  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) {
    problem = JsonShapeProblem{JsonShapeProblem::Kind::kNotJson, "the request is not valid JSON"};
    return false;
  }

 private:
  struct Frame {
    bool object;
    std::unordered_set<std::string> keys;
    std::string last_key;
    std::size_t count = 0;  // arrays: elements begun so far
  };

  bool value() {
    if (!frames_.empty() && !frames_.back().object) ++frames_.back().count;
    return true;
  }

  bool open(bool object) {
    value();
    if (frames_.size() >= max_depth_) {
      problem = JsonShapeProblem{JsonShapeProblem::Kind::kTooDeep,
                                 "the request nests objects and arrays more than " +
                                     std::to_string(max_depth_) + " levels deep"};
      return false;
    }
    frames_.push_back(Frame{object, {}, {}, 0});
    return true;
  }

  bool close() {
    frames_.pop_back();
    return true;
  }

  // Where the parse is: $.args.apps[2]
  std::string path() const {
    std::string out = "$";
    for (std::size_t i = 0; i + 1 < frames_.size(); ++i) {
      const Frame& frame = frames_[i];
      // Appended piece by piece, not "." + key: see key() on GCC bug 105329.
      if (frame.object) {
        out += '.';
        out += frame.last_key;
      } else {
        out += fmt::format("[{}]", frame.count - 1);
      }
    }
    return out;
  }

  std::size_t max_depth_;
  std::vector<Frame> frames_;
};

}  // namespace

std::optional<JsonShapeProblem> check_json_shape(std::string_view text, std::size_t max_depth) {
  ShapeChecker checker(max_depth);
  const bool whole = Json::sax_parse(text, &checker);
  if (!whole && !checker.problem) {
    return JsonShapeProblem{JsonShapeProblem::Kind::kNotJson, "the request is not valid JSON"};
  }
  return checker.problem;
}

}  // namespace cxpm
