// gzip of rotated log files, on the thread pool. The rotated file is opened in its directory
// as whoever opened the log (sys/safe_open), so a link or a swapped file there is refused,
// and its .gz is created the same way; the plain file goes only once the .gz is complete.

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <unistd.h>
#include <zlib.h>

#include <vector>

#include "cxpm/daemon/log_file.hpp"
#include "cxpm/sys/error.hpp"

namespace cxpm {
namespace {

constexpr std::size_t kChunk = 64 * 1024;

struct CompressJob {
  uv_work_t request{};
  RotatedFile file;
};

void gzip_file(const RotatedFile& file) {
  const std::string target = file.name + ".gz";
  std::optional<SafeDirectory> directory;
  UniqueFd in, out;
  try {
    directory.emplace(SafeDirectory::open(file.directory));
    in = open_in(*directory, file.name, O_RDONLY | O_NONBLOCK, 0, file.opener);
    out = open_in(*directory, target, O_WRONLY | O_CREAT | O_TRUNC, 0640, file.opener);
  } catch (const SystemError& error) {
    if (error.error_number == ENOENT && !in) return;  // already deleted: `retain` came first
    spdlog::error("cannot compress {}: {}", file.name, error.what());
    return;
  } catch (const std::exception& error) {
    spdlog::error("cannot compress {}: {}", file.name, error.what());
    return;
  }
  const int dir = directory->fd();
  gzFile gz = ::gzdopen(out.get(), "wb");
  if (!gz) {
    spdlog::error("cannot compress {}: {}", directory->path_of(file.name), error_text(errno));
    ::unlinkat(dir, target.c_str(), 0);
    return;
  }
  out.release();  // gzclose closes it
  std::vector<char> buffer(kChunk);
  bool ok = true;
  for (;;) {
    const ssize_t got = ::read(in.get(), buffer.data(), buffer.size());
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) {
      ok = got == 0;
      break;
    }
    if (::gzwrite(gz, buffer.data(), static_cast<unsigned>(got)) != got) {
      ok = false;
      break;
    }
  }
  if (::gzclose(gz) != Z_OK) ok = false;
  if (!ok) {
    spdlog::error("cannot compress {} (disk full?); it stays uncompressed",
                  directory->path_of(file.name));
    ::unlinkat(dir, target.c_str(), 0);
    return;
  }
  // Gone meanwhile means `retain` deleted it: its compressed copy goes too.
  if (::unlinkat(dir, file.name.c_str(), 0) != 0) ::unlinkat(dir, target.c_str(), 0);
}

}  // namespace

void compress_rotated_file(uv_loop_t* loop, RotatedFile file) {
  auto* job = new CompressJob{{}, std::move(file)};
  job->request.data = job;
  uv_queue_work(
      loop, &job->request,
      [](uv_work_t* request) { gzip_file(static_cast<CompressJob*>(request->data)->file); },
      [](uv_work_t* request, int) { delete static_cast<CompressJob*>(request->data); });
}

}  // namespace cxpm
