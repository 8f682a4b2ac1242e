// web: whether and where the daemon serves HTTP (metrics, the API, the dashboard; docs/web.md).

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <memory>

#include "cxpm/cli/client.hpp"
#include "cxpm/cli/commands.hpp"
#include "cxpm/core/parse_number.hpp"

namespace cxpm {
namespace {

struct WebOptions {
  std::string address;
  bool stop = false;
  bool public_access = false;
  std::string token;
  bool json = false;
};

void run_web(CommandContext& context, const WebOptions& options) {
  WebArgs args;
  args.stop = options.stop;
  args.public_access = options.public_access;
  if (!options.token.empty()) args.token = options.token;
  if (!options.address.empty()) {
    // A port alone is this machine's loopback, not every interface.
    const bool port_only = parse_whole<int>(options.address).has_value();
    args.address = port_only ? "127.0.0.1:" + options.address : options.address;
  } else if (!options.stop && (options.public_access || args.token)) {
    args.address = kDefaultWebAddress;
  }
  Client client = *Client::connect(context.home);
  const WebResult result = client.call<method::Web>(args);
  if (options.json) return fmt::print("{}\n", to_json(result).dump());
  if (!result.serving && result.address.empty()) {
    return fmt::print("web: off (start it with `cxpm web --address {}`)\n", kDefaultWebAddress);
  }
  if (!result.serving) {
    return fmt::print("web: not serving {} (see daemon.log for why)\n", result.address);
  }
  fmt::print("web: serving http://{}/ ({}; the token is in {})\n", result.address,
             result.public_access
                 ? "public: every request needs the token, as Bearer or as Basic's password"
                 : "POST requests need the token",
             result.token_file);
}

}  // namespace

void register_web_commands(CLI::App& app, CommandContext& context) {
  auto options = std::make_shared<WebOptions>();
  auto* command = app.add_subcommand(
      "web", "Serve metrics, an HTTP API and the dashboard from the daemon (off by default)");
  if (!context.builds(*command)) return;
  command->add_option("--address", options->address,
                      std::string("host:port to serve on from now on, kept across daemon "
                                  "restarts (") +
                          kDefaultWebAddress + " when a port alone is given)");
  command->add_flag("--stop", options->stop, "serve no more (and forget the address)");
  command->add_flag("--public", options->public_access,
                    "allow an address other than loopback (every request then needs the token)");
  command->add_option("--token", options->token,
                      "the bearer token from now on (16 to 256 characters; default: the one "
                      "in $CXPM_HOME/web.token, made if absent)");
  command->add_flag("--json", options->json, "print the state as JSON");
  command->callback([&context, options] {
    if (options->stop && !options->address.empty()) {
      throw CliError("--stop and --address cannot go together");
    }
    run_web(context, *options);
  });
}

}  // namespace cxpm
