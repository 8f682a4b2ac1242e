#pragma once
// Which changed paths restart an app with `watch`. pm2's ignore_watch globs decide, and
// dotfiles (.git, editor swap files) and node_modules are never watched: they change all the
// time without meaning the app's code did.

#include <string>
#include <string_view>
#include <vector>

namespace cxpm {

// Shell-style glob: `*` and `?` stop at '/', `**` crosses it ("**/" also matches no
// directory at all), `[abc]`, `[a-z]` and `[!a]` match one character.
bool glob_matches(std::string_view pattern, std::string_view text);

class WatchFilter {
 public:
  // Each pattern is a glob: without a '/' it is tried on every name in the path ("*.log",
  // "tmp"); with one, on the path below the watched directory ("logs/*.txt"), or on the
  // absolute path when it starts with '/'. A pattern that matches a directory ignores
  // everything under it. A leading "./" and a trailing '/' are allowed and change nothing.
  explicit WatchFilter(const std::vector<std::string>& ignore_globs);

  // `relative` is the changed path below its watched directory ("src/app.js"); `absolute`
  // is the same path in full.
  bool ignores(std::string_view relative, std::string_view absolute) const;

 private:
  std::vector<std::string> name_globs_;
  std::vector<std::string> relative_globs_;
  std::vector<std::string> absolute_globs_;
};

}  // namespace cxpm
