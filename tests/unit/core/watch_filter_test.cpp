#include "cxpm/core/watch_filter.hpp"

#include <doctest/doctest.h>

using namespace cxpm;

TEST_CASE("glob: * and ? stop at '/', ** crosses it") {
  CHECK(glob_matches("*.log", "app.log"));
  CHECK_FALSE(glob_matches("*.log", "logs/app.log"));
  CHECK(glob_matches("logs/*.log", "logs/app.log"));
  CHECK(glob_matches("**/*.log", "a/b/app.log"));
  CHECK(glob_matches("**/*.log", "app.log"));  // "**/" may be no directory at all
  CHECK(glob_matches("build/**", "build/x/y.o"));
  CHECK(glob_matches("?.txt", "a.txt"));
  CHECK_FALSE(glob_matches("?.txt", "ab.txt"));
  CHECK_FALSE(glob_matches("?", "/"));
  CHECK(glob_matches("file[0-9].txt", "file7.txt"));
  CHECK_FALSE(glob_matches("file[!0-9].txt", "file7.txt"));
  CHECK(glob_matches("file[!0-9].txt", "filex.txt"));
  CHECK(glob_matches("[ab]", "b"));
  CHECK(glob_matches("a[", "a["));  // an unclosed bracket is a character
  CHECK(glob_matches("\\*", "*"));
  CHECK_FALSE(glob_matches("\\*", "x"));
  CHECK(glob_matches("", ""));
  CHECK_FALSE(glob_matches("", "x"));
}

TEST_CASE("watch filter: dotfiles and node_modules are always ignored") {
  const WatchFilter filter({});
  CHECK(filter.ignores(".git/index", "/srv/app/.git/index"));
  CHECK(filter.ignores("src/.app.js.swp", "/srv/app/src/.app.js.swp"));
  CHECK(filter.ignores("node_modules/x/index.js", "/srv/app/node_modules/x/index.js"));
  CHECK(filter.ignores("lib/node_modules", "/srv/app/lib/node_modules"));
  CHECK_FALSE(filter.ignores("src/app.js", "/srv/app/src/app.js"));
  CHECK_FALSE(filter.ignores("app.js", "/srv/app/app.js"));
  // The watched directory itself may live under a dot directory: only the part below counts.
  CHECK_FALSE(filter.ignores("app.js", "/home/ada/.config/app/app.js"));
}

TEST_CASE("watch filter: a glob without '/' matches any name in the path") {
  const WatchFilter filter({"*.log", "tmp", "__pycache__/"});
  CHECK(filter.ignores("app.log", "/srv/app/app.log"));
  CHECK(filter.ignores("logs/deep/app.log", "/srv/app/logs/deep/app.log"));
  CHECK(filter.ignores("tmp", "/srv/app/tmp"));
  CHECK(filter.ignores("tmp/upload.bin", "/srv/app/tmp/upload.bin"));
  CHECK(filter.ignores("src/__pycache__/x.pyc", "/srv/app/src/__pycache__/x.pyc"));
  CHECK_FALSE(filter.ignores("template.html", "/srv/app/template.html"));
  CHECK_FALSE(filter.ignores("src/app.py", "/srv/app/src/app.py"));
}

TEST_CASE("watch filter: a glob with '/' matches the path below the watched directory") {
  const WatchFilter filter({"./logs/*.txt", "data/**", "build/"});
  CHECK(filter.ignores("logs/a.txt", "/srv/app/logs/a.txt"));
  CHECK_FALSE(filter.ignores("logs/a.md", "/srv/app/logs/a.md"));
  CHECK_FALSE(filter.ignores("other/logs/a.txt", "/srv/app/other/logs/a.txt"));
  CHECK(filter.ignores("data/x/y", "/srv/app/data/x/y"));
  CHECK(filter.ignores("build/out/app.o", "/srv/app/build/out/app.o"));  // a directory: all below
  CHECK_FALSE(filter.ignores("src/build.cpp", "/srv/app/src/build.cpp"));
}

TEST_CASE("watch filter: a glob starting with '/' matches the absolute path") {
  const WatchFilter filter({"/srv/app/uploads", "/var/*/cache"});
  CHECK(filter.ignores("uploads/a.png", "/srv/app/uploads/a.png"));
  CHECK(filter.ignores("x", "/var/lib/cache/x"));
  CHECK_FALSE(filter.ignores("src/a.png", "/srv/app/src/a.png"));
}
