#pragma once
// `cxpm web`: the setting (web.json) and the token (web.token, 0600) in $CXPM_HOME, and the
// web server (web_server.hpp) they call for, started again by each daemon that finds them.

#include <uv.h>

#include <memory>
#include <optional>
#include <string>

#include "cxpm/daemon/web_bridge.hpp"
#include "cxpm/protocol/web.hpp"
#include "cxpm/sys/home.hpp"

namespace cxpm {

class WebServer;

class WebService {
 public:
  static constexpr const char* kSettingFile = "web.json";
  static constexpr const char* kTokenFile = "web.token";

  WebService(uv_loop_t* loop, Home home, RequestHandler handle,
             std::function<std::string()> metrics);
  ~WebService();

  // At the daemon's start: serves what web.json says, if anything. A failure (the port is
  // taken) is logged and the setting kept, for `cxpm web` to show and change.
  void start_from_setting();
  // The `web` method. Throws std::invalid_argument for a refused setting (nothing changes)
  // and std::runtime_error when the server cannot listen (nothing changes either).
  WebResult apply(const WebArgs& args);
  // Stops serving without changing the setting (the daemon is exiting).
  void close();

 private:
  WebResult status() const;
  // The token in web.token, made (32 random bytes, hex) when absent.
  std::string token();
  void serve(const WebSetting& setting, const std::string& token);
  void replace_server(const WebSetting& wanted, const std::string& token);

  Home home_;
  WebBridge bridge_;
  std::optional<WebSetting> setting_;  // what web.json says
  std::unique_ptr<WebServer> server_;  // serving setting_
  std::string token_;                  // the one server_ asks for
};

}  // namespace cxpm
