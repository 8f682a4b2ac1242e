#include "cxpm/daemon/dump_file.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <string_view>

#include "cxpm/sys/error.hpp"
#include "cxpm/sys/safe_open.hpp"

namespace cxpm {
namespace {

constexpr const char* kDumpName = "dump.json";
constexpr const char* kTemporaryInfix = ".tmp-";
constexpr off_t kLargestDump = 64 * 1024 * 1024;

void write_all(int fd, const std::string& text, const std::string& path) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t wrote = ::write(fd, text.data() + done, text.size() - done);
    if (wrote < 0 && errno == EINTR) continue;
    if (wrote < 0) throw_system_error("cannot write " + path);
    done += static_cast<std::size_t>(wrote);
  }
}

}  // namespace

void write_dump_file(const Home& home, const std::string& text) {
  replace_home_file(home, kDumpName, text);
}

void replace_home_file(const Home& home, const char* name, const std::string& text) {
  const SafeDirectory directory = SafeDirectory::open(home.dir);
  const std::string path = directory.path_of(name);
  // Unique per write, so a leftover of a crashed daemon is never written into.
  static std::atomic<unsigned> sequence{0};
  const std::string temporary = std::string(name) + kTemporaryInfix + std::to_string(::getpid()) +
                                "-" + std::to_string(sequence++);
  const std::string temporary_path = directory.path_of(temporary);
  UniqueFd file = open_in(directory, temporary, O_WRONLY | O_CREAT | O_EXCL, 0600);
  try {
    write_all(file.get(), text, temporary_path);
    if (::fsync(file.get()) != 0) throw_system_error("cannot write " + temporary_path);
    // Some file systems (NFS) report a failed write only here.
    if (::close(file.release()) != 0) throw_system_error("cannot write " + temporary_path);
    if (::renameat(directory.fd(), temporary.c_str(), directory.fd(), name) != 0) {
      throw_system_error("cannot rename " + temporary_path + " to " + path);
    }
  } catch (...) {
    ::unlinkat(directory.fd(), temporary.c_str(), 0);
    throw;
  }
  // The rename is only durable once the directory is: a crash now must not bring back the
  // old list, or none at all.
  UniqueFd listing(::openat(directory.fd(), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!listing || ::fsync(listing.get()) != 0) throw_system_error("cannot sync " + home.dir);
}

std::optional<std::string> read_dump_file(const Home& home) {
  return read_home_file(home, kDumpName);
}

std::optional<std::string> read_home_file(const Home& home, const char* name) {
  const SafeDirectory directory = SafeDirectory::open(home.dir);
  const std::string path = directory.path_of(name);
  UniqueFd file;
  try {
    file = open_in(directory, name, O_RDONLY, 0);
  } catch (const SystemError& error) {
    if (error.error_number == ENOENT) return std::nullopt;
    throw;
  }
  struct stat info {};
  if (::fstat(file.get(), &info) != 0) throw_system_error("cannot read " + path);
  if (!S_ISREG(info.st_mode)) {
    throw std::runtime_error("cannot read " + path + ": not a regular file");
  }
  if (info.st_size > kLargestDump) {
    throw std::runtime_error("cannot read " + path + ": larger than 64 MiB");
  }
  std::string text;
  char buffer[65536];
  for (;;) {
    const ssize_t got = ::read(file.get(), buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) throw_system_error("cannot read " + path);
    if (got == 0) break;
    text.append(buffer, static_cast<std::size_t>(got));
    if (static_cast<off_t>(text.size()) > kLargestDump) {
      throw std::runtime_error("cannot read " + path + ": larger than 64 MiB");
    }
  }
  return text;
}

std::vector<std::string> sweep_temporary_files(const Home& home, const char* name) {
  const SafeDirectory directory = SafeDirectory::open(home.dir);
  const std::string prefix = std::string(name) + kTemporaryInfix;
  std::vector<std::string> removed;
  UniqueFd listing(::openat(directory.fd(), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!listing) return removed;
  DIR* entries = ::fdopendir(listing.release());
  if (!entries) return removed;
  while (const dirent* entry = ::readdir(entries)) {
    const std::string_view file = entry->d_name;
    if (!file.starts_with(prefix)) continue;
    // Ours (this process's) may be being written right now on the thread pool.
    const std::string_view writer = file.substr(prefix.size());
    if (writer.starts_with(std::to_string(::getpid()) + "-")) continue;
    if (::unlinkat(directory.fd(), entry->d_name, 0) == 0) removed.emplace_back(file);
  }
  ::closedir(entries);
  return removed;
}

}  // namespace cxpm
