#pragma once
// What `cxpm-runtime start …` and `cxpm start … --no-daemon` ask of the daemon they run in the
// foreground (pm2-runtime's job, for containers): the apps, already read and checked by the
// CLI, and how their output is printed. Plain data, shared by the CLI and the daemon.

#include <vector>

#include "cxpm/config/app_spec.hpp"

namespace cxpm {

// How each line of the apps' output is printed on the runtime's stdout or stderr.
enum class RuntimeOutput {
  kPrefixed,  // "api-0 | the line" (the default)
  kRaw,       // the line as the app wrote it
  kJson,      // {"app":…,"id":…,"instance":…,"stream":"out"|"err","time":…,"message":…}
};

struct RuntimeSettings {
  std::vector<AppSpec> apps;
  RuntimeOutput output = RuntimeOutput::kPrefixed;
  // Exit once no app will run again (pm2-runtime's default; --no-auto-exit turns it off).
  bool auto_exit = true;
};

}  // namespace cxpm
