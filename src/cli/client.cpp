#include "cxpm/cli/client.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "cxpm/protocol/framing.hpp"
#include "cxpm/sys/error.hpp"
#include "cxpm/sys/spawn.hpp"

extern char** environ;

namespace cxpm {
namespace {

constexpr std::chrono::seconds kDaemonStartTimeout{10};

std::string self_path() {
  char path[4096];
  const ssize_t length = ::readlink("/proc/self/exe", path, sizeof path - 1);
  if (length <= 0) throw_system_error("cannot find the cxpm binary (/proc/self/exe)");
  return std::string(path, static_cast<std::size_t>(length));
}

// Starts `cxpm daemon` detached and waits for its "ok" (or its error) on a pipe.
void start_daemon(const Home& home) {
  home.prepare();
  int ready[2];
  if (::pipe2(ready, O_CLOEXEC) < 0) throw_system_error("pipe");
  UniqueFd ready_read{ready[0]};
  UniqueFd ready_write{ready[1]};
  UniqueFd log = home.open_file("daemon.log", O_WRONLY | O_CREAT | O_APPEND);

  SpawnOptions options;
  options.argv = {self_path(), "daemon"};
  for (char** entry = environ; *entry; ++entry) {
    if (std::strncmp(*entry, "CXPM_HOME=", 10) != 0) options.env.emplace_back(*entry);
  }
  options.env.push_back("CXPM_HOME=" + home.dir);
  options.env.push_back("CXPM_READY_FD=3");
  options.cwd = "/";
  options.stdout_fd = log.get();
  options.stderr_fd = log.get();
  options.passed_fds = {ready_write.get()};
  const SpawnResult spawned = spawn_process(options);
  if (!spawned.ok()) throw CliError("could not start the daemon: " + spawned.error);
  ready_write.reset();

  std::string answer;
  if (wait_readable(ready_read.get(), kDaemonStartTimeout)) {
    char buffer[4096];
    const ssize_t got = ::read(ready_read.get(), buffer, sizeof buffer);
    if (got > 0) answer.assign(buffer, static_cast<std::size_t>(got));
  }
  while (!answer.empty() && answer.back() == '\n') answer.pop_back();
  if (answer == "ok") return;
  // Another CLI may have started a daemon at the same moment; the loser says so and we
  // simply use the winner.
  if (answer.find("already running") != std::string::npos) return;
  if (answer.empty()) {
    throw CliError("the daemon did not start within " +
                   std::to_string(kDaemonStartTimeout.count()) + " s; see " + home.log_path() +
                   ", or run `cxpm daemon` in the foreground to see why");
  }
  throw CliError("could not start the daemon: " +
                 (answer.starts_with("error: ") ? answer.substr(7) : answer));
}

std::string mebibytes(std::size_t bytes) {
  return fmt::format("{:.1f} MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
}

std::string advice_for(const std::string& method) {
  if (method == "start" || method == "restart" || method == "reload") {
    return "split the ecosystem file, or " + method + " part of it at a time with --only a,b";
  }
  return "send less at once";
}

std::string too_large(const std::string& method, std::size_t bytes) {
  const std::string advice = advice_for(method);
  return "the " + method + " request is " + mebibytes(bytes) + ", over the daemon's limit of " +
         std::to_string(kMaxFrameBytes / (1024 * 1024)) + " MiB; nothing was sent: " + advice;
}

}  // namespace

std::optional<std::string> Client::refusal_after_failed_write(const std::string& method,
                                                              std::size_t bytes) {
  try {
    while (auto line = connection_.read_line()) {
      auto decoded = decode_reply(*line);
      const auto* reply = std::get_if<Reply>(&decoded);
      if (!reply || reply->ok()) continue;
      return "the daemon refused the " + method + " request (" + mebibytes(bytes) +
             "): " + reply->error().message +
             (reply->error().code == error_code::kFrameTooLarge ? "; " + advice_for(method) : "");
    }
  } catch (const std::exception&) {
    // Nothing readable either: the write's own error is all there is to say.
  }
  return std::nullopt;
}

std::optional<Client> Client::connect(const Home& home, bool autostart) {
  if (auto connection = UnixConnection::connect(home.socket_path())) {
    return Client(std::move(*connection));
  }
  const int error = errno;
  if (error != ENOENT && error != ECONNREFUSED) {
    throw CliError("cannot reach the daemon at " + home.socket_path() + ": " + error_text(error));
  }
  if (!autostart) return std::nullopt;
  start_daemon(home);
  if (auto connection = UnixConnection::connect(home.socket_path())) {
    return Client(std::move(*connection));
  }
  throw CliError("the daemon started but its socket " + home.socket_path() +
                 " does not answer: " + error_text(errno));
}

Reply Client::exchange(const std::string& method, Json args,
                       const std::function<void(const Json&)>& on_event) {
  const std::int64_t id = next_id_++;
  const std::string frame = encode(Request{id, method, std::move(args)});
  if (frame.size() > kMaxFrameBytes) throw CliError(too_large(method, frame.size()));
  try {
    connection_.send(frame);
  } catch (const SystemError& error) {
    // A daemon that refuses a request answers before it closes: its reason beats EPIPE.
    throw CliError(refusal_after_failed_write(method, frame.size()).value_or(error.what()));
  }
  for (;;) {
    auto line = connection_.read_line();
    if (!line) throw CliError("the daemon closed the connection before answering " + method);
    auto decoded = decode_reply(*line);
    if (auto* event = std::get_if<Event>(&decoded)) {
      if (on_event) on_event(event->data);
      continue;
    }
    return std::get<Reply>(std::move(decoded));
  }
}

void Client::wait_closed() {
  try {
    while (connection_.read_line()) {
    }
  } catch (const SystemError&) {
    // A reset is as closed as an orderly close.
  }
}

}  // namespace cxpm
