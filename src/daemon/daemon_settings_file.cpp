#include "cxpm/daemon/daemon_settings_file.hpp"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>

#include "cxpm/sys/error.hpp"

namespace cxpm {
namespace {

// The file's text; nullopt when there is none. Throws (with a sentence) when it cannot be read.
std::optional<std::string> read_settings_text(const Home& home) {
  UniqueFd fd;
  try {
    fd = home.open_file(DaemonSettingsFile::kFileName, O_RDONLY | O_CLOEXEC);
  } catch (const SystemError& error) {
    if (error.error_number == ENOENT) return std::nullopt;
    throw;
  }
  std::string text;
  char buffer[16384];
  for (;;) {
    const ssize_t got = ::read(fd.get(), buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) throw_system_error("read");
    if (got == 0) return text;
    text.append(buffer, static_cast<std::size_t>(got));
    if (text.size() > DaemonSettingsFile::kMaxBytes) {
      throw std::runtime_error("it is over 1 MiB; settings are a few lines");
    }
  }
}

std::string describe(const DaemonSettings& settings) {
  if (!settings.notify) return "no daemon-wide notify";
  std::string hooks;
  if (!settings.notify->exec.empty()) hooks += "exec";
  if (!settings.notify->webhook.empty()) hooks += hooks.empty() ? "webhook" : " and webhook";
  return "daemon-wide notify by " + hooks;
}

}  // namespace

DaemonSettingsFile::DaemonSettingsFile(uv_loop_t* loop, const Home& home, Changed changed)
    : home_(home), changed_(std::move(changed)) {
  reload();
  uv_fs_poll_init(loop, poll_.get());
  poll_.mark_initialized();
  poll_.get()->data = this;
  const std::string path = home_.dir + "/" + kFileName;
  uv_fs_poll_start(
      poll_.get(),
      [](uv_fs_poll_t* handle, int, const uv_stat_t*, const uv_stat_t*) {
        static_cast<DaemonSettingsFile*>(handle->data)->reload();
      },
      path.c_str(), kPollInterval);
  uv_unref(poll_.base());  // watching never keeps the daemon from exiting
}

void DaemonSettingsFile::reload() {
  const std::string name = home_.dir + "/" + kFileName;
  ParsedDaemonSettings parsed;
  try {
    const auto text = read_settings_text(home_);
    if (text) parsed = parse_daemon_settings(*text, name);
  } catch (const std::exception& error) {
    parsed.errors.push_back({name, 0, 0, std::string("cannot read it: ") + error.what()});
  }
  if (!parsed.ok()) {
    std::string problem = parsed.errors.front().format();
    if (parsed.errors.size() > 1) {
      problem += " (and " + std::to_string(parsed.errors.size() - 1) + " more in daemon.log)";
    }
    for (const auto& error : parsed.errors) spdlog::error("{}", error.format());
    spdlog::error("{}: not used; the settings before it stay ({})", name, describe(current_));
    problem_ = std::move(problem) + "; the settings before it stay";
    return;
  }
  problem_.clear();
  if (parsed.settings == current_) return;
  current_ = std::move(parsed.settings);
  spdlog::info("{}: {}", name, describe(current_));
  changed_(current_);
}

}  // namespace cxpm
