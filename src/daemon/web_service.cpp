#include "cxpm/daemon/web_service.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <spdlog/spdlog.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

#include "cxpm/config/listen_address.hpp"
#include "cxpm/daemon/dump_file.hpp"
#include "cxpm/daemon/web_server.hpp"
#include "cxpm/sys/error.hpp"

namespace cxpm {
namespace {

// A TCP socket bound to `text` and listening: errors (EADDRINUSE) are the caller's, at once.
UniqueFd listen_on(const std::string& text) {
  std::string error;
  const auto address = parse_listen_address(text, &error);
  if (!address || address->kind != ListenAddress::Kind::kTcp) {
    throw std::invalid_argument("address " + text + ": " + error);
  }
  sockaddr_storage storage{};
  socklen_t length = 0;
  const std::string host = address->host.empty() ? "0.0.0.0" : address->host;
  if (uv_ip4_addr(host.c_str(), address->port, reinterpret_cast<sockaddr_in*>(&storage)) == 0) {
    length = sizeof(sockaddr_in);
  } else if (uv_ip6_addr(host.c_str(), address->port, reinterpret_cast<sockaddr_in6*>(&storage)) ==
             0) {
    length = sizeof(sockaddr_in6);
  } else {
    throw std::invalid_argument("address " + text + ": not an IP address");
  }
  UniqueFd fd(::socket(storage.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (!fd) throw_system_error("web: socket");
  const int on = 1;
  ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&storage), length) != 0) {
    throw_system_error("web: cannot listen on " + text);
  }
  if (::listen(fd.get(), 128) != 0) throw_system_error("web: listen on " + text);
  return fd;
}

std::string random_token() {
  unsigned char bytes[32];
  if (::getrandom(bytes, sizeof bytes, 0) != static_cast<ssize_t>(sizeof bytes)) {
    throw_system_error("web: getrandom");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string token;
  for (unsigned char byte : bytes) {
    token += kHex[byte >> 4];
    token += kHex[byte & 15];
  }
  return token;
}

}  // namespace

WebService::WebService(uv_loop_t* loop, Home home, RequestHandler handle,
                       std::function<std::string()> metrics)
    : home_(std::move(home)), bridge_(loop, std::move(handle), std::move(metrics)) {}

WebService::~WebService() {
  close();
}

void WebService::close() {
  server_.reset();
  bridge_.cancel_all();
}

void WebService::start_from_setting() {
  try {
    const auto text = read_home_file(home_, kSettingFile);
    if (!text) return;
    setting_ = decode<WebSetting>(Json::parse(*text), kSettingFile);
    serve(*setting_, token());
    spdlog::info("web: serving on {}", setting_->address);
  } catch (const std::exception& error) {
    spdlog::error("web: not serving what {} says: {}", kSettingFile, error.what());
  }
}

WebResult WebService::apply(const WebArgs& args) {
  if (args.stop) {
    close();
    if (setting_) {
      ::unlink((home_.dir + "/" + kSettingFile).c_str());
      spdlog::info("web: stopped serving on {}", setting_->address);
    }
    setting_.reset();
    return status();
  }
  if (!args.address) return status();
  const WebSetting wanted{*args.address, args.public_access};
  if (const auto refusal = web_setting_refusal(wanted, true); !refusal.empty()) {
    throw std::invalid_argument(refusal);
  }
  const std::string secret = args.token ? *args.token : token();
  if (!setting_ || !(*setting_ == wanted) || !server_ || secret != token_) {
    replace_server(wanted, secret);
  }
  if (args.token) replace_home_file(home_, kTokenFile, *args.token + "\n");
  // A small file, once per command: written on the loop.
  replace_home_file(home_, kSettingFile, to_json(wanted).dump() + "\n");
  setting_ = wanted;
  spdlog::info("web: serving on {}{}", wanted.address, wanted.public_access ? " (public)" : "");
  return status();
}

WebResult WebService::status() const {
  WebResult result;
  result.serving = server_ != nullptr;
  if (setting_) {
    result.address = setting_->address;
    result.public_access = setting_->public_access;
  }
  result.token_file = home_.dir + "/" + kTokenFile;
  return result;
}

std::string WebService::token() {
  if (auto text = read_home_file(home_, kTokenFile)) {
    while (!text->empty() && (text->back() == '\n' || text->back() == ' ')) text->pop_back();
    if (text->size() >= 16) return *text;
    spdlog::warn("web: {} holds no token of 16 characters or more; making a new one", kTokenFile);
  }
  std::string made = random_token();
  replace_home_file(home_, kTokenFile, made + "\n");
  return made;
}

// The new address is bound before the old one is let go, so a failure changes nothing. An
// address that clashes with the one served (the same port) is bound once that is closed;
// should that fail too, the old one is served again.
void WebService::replace_server(const WebSetting& wanted, const std::string& secret) {
  UniqueFd listener;
  try {
    listener = listen_on(wanted.address);
  } catch (const SystemError&) {
    if (!server_ || !setting_) throw;
    close();
    try {
      listener = listen_on(wanted.address);
    } catch (const SystemError&) {
      serve(*setting_, token_);
      throw;
    }
  }
  close();
  server_ = std::make_unique<WebServer>(
      bridge_, WebServerSettings{std::move(listener), secret, wanted.public_access});
  token_ = secret;
}

void WebService::serve(const WebSetting& setting, const std::string& secret) {
  if (const auto refusal = web_setting_refusal(setting, !secret.empty()); !refusal.empty()) {
    throw std::invalid_argument(refusal);
  }
  server_ = std::make_unique<WebServer>(
      bridge_, WebServerSettings{listen_on(setting.address), secret, setting.public_access});
  token_ = secret;
}

}  // namespace cxpm
