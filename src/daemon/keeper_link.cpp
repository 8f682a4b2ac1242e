#include "cxpm/daemon/keeper_link.hpp"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <cstdlib>
#include <stdexcept>

#include "cxpm/core/parse_number.hpp"
#include "cxpm/daemon/supervisor.hpp"
#include "cxpm/sys/error.hpp"
#include "cxpm/sys/fd_passing.hpp"

namespace cxpm {
namespace {

// A keeper that does not read for this long is stuck; the daemon goes on without it.
constexpr timeval kSendTimeout{2, 0};

}  // namespace

std::unique_ptr<KeeperLink> KeeperLink::from_environment() {
  const char* text = std::getenv("CXPM_KEEPER_FD");
  if (!text) return nullptr;
  const auto fd = parse_whole<int>(text);
  ::unsetenv("CXPM_KEEPER_FD");
  if (!fd || *fd < 0) return nullptr;
  return std::make_unique<KeeperLink>(UniqueFd(*fd));
}

KeeperLink::KeeperLink(UniqueFd link) : link_(std::move(link)) {
  // Not for the apps: they must never hold the link.
  ::fcntl(link_.get(), F_SETFD, FD_CLOEXEC);
  ::setsockopt(link_.get(), SOL_SOCKET, SO_SNDTIMEO, &kSendTimeout, sizeof kSendTimeout);
}

void KeeperLink::receive_hand_over() {
  for (;;) {
    auto received = receive_message(link_.get(), /*wait=*/true);
    if (!received) throw std::runtime_error("the keeper closed the link before handing over");
    const auto message = parse_link_message(received->text);
    if (!message) continue;
    if (message->verb == "hello") {
      auto hello = parse_hello_argument(message->argument);
      if (!hello) throw std::runtime_error("the keeper's hello is garbled: " + message->argument);
      hello_ = *hello;
    } else if (message->verb == "fd" && received->fd && valid_key(message->argument)) {
      handed_[message->argument] = std::move(received->fd);
    } else if (message->verb == "handed") {
      if (!handed_.empty()) spdlog::info("the keeper handed over {} descriptor(s)", handed_.size());
      return;
    } else {
      spdlog::warn("ignored a message from the keeper during the hand-over: {}", message->verb);
    }
  }
}

void KeeperLink::start(uv_loop_t* loop, Supervisor& supervisor) {
  supervisor_ = &supervisor;
  uv_poll_init(loop, poll_.get(), link_.get());
  poll_.mark_initialized();
  poll_.get()->data = this;
  uv_poll_start(poll_.get(), UV_READABLE | UV_DISCONNECT,
                [](uv_poll_t* poll, int, int) { static_cast<KeeperLink*>(poll->data)->receive(); });
  uv_unref(poll_.base());  // the link alone does not keep the daemon running
}

void KeeperLink::close() {
  poll_.close();
}

void KeeperLink::receive() {
  // A bounded number per wake-up: a flood of exits never starves the rest of the loop.
  for (int i = 0; i < 256 && lost_.empty(); ++i) {
    auto received = receive_message(link_.get(), /*wait=*/false);
    if (!received) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) return;
      return lose(errno == 0 ? "the keeper exited"
                             : "the link to the keeper broke: " + error_text(errno));
    }
    const auto message = parse_link_message(received->text);
    if (!message) continue;
    if (message->verb == "exit") {
      if (auto exit = parse_exit_argument(message->argument)) {
        supervisor_->process_exited(exit->pid, exit->wait_status);
      }
    } else {
      spdlog::warn("ignored a message from the keeper: {}", message->verb);
    }
  }
}

void KeeperLink::lose(const std::string& why) {
  if (!lost_.empty()) return;
  lost_ = why;
  spdlog::warn(
      "{}: the daemon goes on, but its apps, sockets and pipes no longer outlive it "
      "(a kill -9 of this daemon now orphans the apps)",
      why);
  poll_.close();
}

bool KeeperLink::send(std::string_view verb, std::string_view argument, int fd) {
  if (!lost_.empty()) return false;
  if (send_message(link_.get(), link_message(verb, argument), fd)) return true;
  lose("cannot reach the keeper: " + error_text(errno));
  return false;
}

void KeeperLink::keep(const std::string& key, int fd) {
  if (fd < 0 || !valid_key(key)) return;
  send("keep", key, fd);
}

void KeeperLink::forget(const std::string& key) {
  if (valid_key(key)) send("forget", key);
}

UniqueFd KeeperLink::take(const std::string& key) {
  auto found = handed_.find(key);
  if (found == handed_.end()) return UniqueFd();
  UniqueFd fd = std::move(found->second);
  handed_.erase(found);
  return fd;
}

std::vector<std::string> KeeperLink::untaken() const {
  std::vector<std::string> keys;
  for (const auto& [key, fd] : handed_) keys.push_back(key);
  return keys;
}

}  // namespace cxpm
