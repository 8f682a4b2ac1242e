#include "cxpm/sys/safe_open.hpp"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

using namespace cxpm;

namespace {

constexpr uid_t kNobody = 65534;

struct TempDir {
  std::string path;
  TempDir() {
    char pattern[] = "/tmp/cxpm-safe-open.XXXXXX";
    path = ::mkdtemp(pattern);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  std::string operator/(const std::string& name) const { return path + "/" + name; }
};

std::string error_of(auto&& action) {
  try {
    action();
  } catch (const std::exception& error) {
    return error.what();
  }
  return {};
}

std::string read_all(const std::string& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), {}};
}

}  // namespace

TEST_CASE("safe open: a file is opened in its directory, and a link there is refused") {
  TempDir dir;
  std::ofstream(dir / "secret") << "keep\n";
  ::symlink((dir / "secret").c_str(), (dir / "out.log").c_str());
  SafePath where = SafePath::resolve(dir / "out.log");  // the link is this process's: resolved
  CHECK(where.name == "secret");
  const SafeDirectory directory = SafeDirectory::open(dir.path);
  const std::string error =
      error_of([&] { open_in(directory, "out.log", O_WRONLY | O_APPEND, 0640); });
  CHECK(error.find("is a symbolic link") != std::string::npos);
  CHECK(read_all(dir / "secret") == "keep\n");
  UniqueFd fd = open_in(directory, "new.log", O_WRONLY | O_CREAT | O_APPEND, 0640);
  CHECK(static_cast<bool>(fd));
}

TEST_CASE("safe open: a link another user made is never followed, on the way or at the end") {
  if (::geteuid() != 0) return;  // lchown to another user needs root
  TempDir dir;
  ::mkdir((dir / "real").c_str(), 0700);
  ::symlink((dir / "real").c_str(), (dir / "planted").c_str());
  REQUIRE(::lchown((dir / "planted").c_str(), kNobody, kNobody) == 0);
  CHECK(error_of([&] {
          SafePath::resolve(dir / "planted/out.log");
        }).find("a directory on the way is a symbolic link made by uid 65534") !=
        std::string::npos);
  CHECK(error_of([&] { SafeDirectory::open(dir / "planted"); }).find("symbolic link") !=
        std::string::npos);
  CHECK(error_of([&] {
          SafePath::resolve(dir / "planted");
        }).find("it is a symbolic link made by uid 65534") != std::string::npos);
}

TEST_CASE("safe open: who opens in a directory others may write") {
  TempDir dir;
  const std::optional<FileUser> app{FileUser{kNobody, kNobody}};
  CHECK_FALSE(opener_in(SafeDirectory::open(dir.path), app));  // ours alone: the daemon opens
  ::chmod(dir.path.c_str(), 0777);
  const SafeDirectory open_to_all = SafeDirectory::open(dir.path);
  CHECK(open_to_all.writable_by_others());
  if (::geteuid() != kNobody) CHECK(opener_in(open_to_all, app)->uid == kNobody);
  CHECK(error_of([&] { opener_in(open_to_all, std::nullopt); }).find("chmod go-w") !=
        std::string::npos);
  ::chmod(dir.path.c_str(), 01777);  // sticky, as /tmp: entries are their owners' alone
  CHECK_FALSE(opener_in(SafeDirectory::open(dir.path), std::nullopt));
}

TEST_CASE("safe open: as the app's user, with that user's rights") {
  if (::geteuid() != 0) return;
  TempDir dir;
  ::mkdir((dir / "theirs").c_str(), 0700);
  REQUIRE(::chown((dir / "theirs").c_str(), kNobody, kNobody) == 0);
  std::ofstream(dir / "theirs/rootonly") << "root\n";
  ::chmod((dir / "theirs/rootonly").c_str(), 0600);
  const SafeDirectory theirs = SafeDirectory::open(dir / "theirs");
  const FileUser nobody{kNobody, kNobody};
  UniqueFd fd = open_in(theirs, "out.log", O_WRONLY | O_CREAT | O_APPEND, 0640, nobody);
  struct stat info {};
  REQUIRE(::fstat(fd.get(), &info) == 0);
  CHECK(info.st_uid == kNobody);
  // A file the user may not write stays closed to them, whatever the daemon may do.
  CHECK(error_of([&] {
          open_in(theirs, "rootonly", O_WRONLY | O_APPEND, 0, nobody);
        }).find("as uid 65534: Permission denied") != std::string::npos);
  CHECK(read_all(dir / "theirs/rootonly") == "root\n");
}

TEST_CASE("safe open: /dev/stderr and other links root made still work") {
  SafePath where = SafePath::resolve("/dev/null");
  CHECK(where.name == "null");
  UniqueFd fd = open_in(where.directory, where.name, O_WRONLY, 0);
  CHECK(static_cast<bool>(fd));
  SafePath self = SafePath::resolve("/proc/self/status");
  CHECK(self.name == "status");
}
