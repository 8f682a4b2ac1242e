// Ecosystem files, YAML or JSON (pm2's, with comments), as the CLI loads them. Besides
// crashes, sanitizer reports and hangs (yaml-cpp's recursion, anchors, merge keys), it checks
// that a refused file yields no apps and messages that say something, and that every app of an
// accepted file is one the daemon accepts on the wire and reads back unchanged.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string_view>

#include "cxpm/config/ecosystem.hpp"
#include "cxpm/protocol/app_spec_json.hpp"
#include "cxpm/protocol/args.hpp"
#include "input.hpp"

namespace {

using namespace cxpm;

EcosystemContext context(std::string_view text) {
  // Half the inputs select a profile, so env_<name> merging runs too.
  const bool with_profile = fuzz::fingerprint(text) & 1;
  return EcosystemContext{"ecosystem.yaml",
                          "/srv/app",
                          {{"HOME", "/home/ada"}, {"PATH", "/usr/bin:/bin"}, {"NODE_ENV", "dev"}},
                          with_profile ? "production" : ""};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = fuzz::as_text(data, size);
  const Ecosystem ecosystem = parse_ecosystem(text, context(text));
  if (!ecosystem.ok()) {
    if (!ecosystem.apps.empty()) fuzz::broken("a refused file still yields apps");
    for (const ConfigError& error : ecosystem.errors) {
      if (error.message.empty()) fuzz::broken("an error without a message");
      (void)error.format();
    }
    return 0;
  }
  for (const AppSpec& spec : ecosystem.apps) {
    try {
      if (app_spec_from_json(ArgsReader(to_json(spec), "apps[0]")) != spec) {
        fuzz::broken("an app changed on its way to the daemon");
      }
    } catch (const ArgsError& error) {
      std::fprintf(stderr, "the daemon refuses an app the file accepted: %s\n", error.what());
      fuzz::broken("the loader accepts an app the protocol refuses");
    }
  }
  return 0;
}
