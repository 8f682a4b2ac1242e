#include "cxpm/protocol/web.hpp"

#include <algorithm>

#include "cxpm/config/listen_address.hpp"

namespace cxpm {

Json to_json(const WebSetting& setting) {
  return Json{{"address", setting.address}, {"public", setting.public_access}};
}

void from_json(const ArgsReader& reader, WebSetting& out) {
  out.address = reader.string("address");
  out.public_access = reader.boolean("public", false);
}

Json to_json(const WebArgs& args) {
  Json out{{"stop", args.stop}, {"public", args.public_access}};
  if (args.address) out["address"] = *args.address;
  if (args.token) out["token"] = *args.token;
  return out;
}

void from_json(const ArgsReader& reader, WebArgs& out) {
  if (reader.has("address")) out.address = reader.string("address");
  out.stop = reader.boolean("stop", false);
  out.public_access = reader.boolean("public", false);
  if (reader.has("token")) {
    out.token = reader.string("token");
    // A header carries it: printable ASCII without spaces, and long enough to guess at.
    const bool printable = std::all_of(out.token->begin(), out.token->end(),
                                       [](char c) { return c > ' ' && c < 127; });
    if (out.token->size() < 16 || out.token->size() > 256 || !printable) {
      throw ArgsError(reader.path_of("token") +
                      ": expected 16 to 256 printable characters without spaces");
    }
  }
  if (out.stop && out.address) {
    throw ArgsError(reader.path_of("stop") + ": an address and stop cannot go together");
  }
}

Json to_json(const WebResult& result) {
  return Json{{"serving", result.serving},
              {"address", result.address},
              {"public", result.public_access},
              {"token_file", result.token_file}};
}

void from_json(const ArgsReader& reader, WebResult& out) {
  out.serving = reader.boolean("serving");
  out.address = reader.string("address");
  out.public_access = reader.boolean("public");
  out.token_file = reader.string("token_file");
}

bool is_loopback_host(const std::string& host) {
  return host.starts_with("127.") || host == "::1";
}

std::string web_setting_refusal(const WebSetting& setting, bool has_token) {
  std::string error;
  const auto address = parse_listen_address(setting.address, &error);
  if (!address) return "address " + setting.address + ": " + error;
  if (address->kind != ListenAddress::Kind::kTcp) {
    return "address " + setting.address + ": expected host:port, not a socket path";
  }
  if (is_loopback_host(address->host)) return {};
  const std::string where = address->host.empty() ? "every interface" : address->host;
  if (!setting.public_access) {
    return "address " + setting.address + " is reachable beyond this machine (" + where +
           "): pass --public to mean it (a bearer token is then needed for every request)";
  }
  if (!has_token) return "a public address needs a bearer token (--token or web.token)";
  return {};
}

}  // namespace cxpm
