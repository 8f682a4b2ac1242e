#pragma once
// pm2's app keys that change how an app is read, not how it runs:
//   append_env_to_name: true   with --env NAME, the app is named "<name>-NAME"
//   filter_env: true           the app inherits none of the caller's environment
//   filter_env: [PREFIX, ...]  it inherits none of the caller's variables starting so
//   force: true                no effect: cxpm starts apps of one script under different
//                              names anyway (pm2 needs it for that); a warning says so
//   watch_options: {...}       chokidar's options; cxpm watches with inotify, so they have no
//                              effect (usePolling and interval included); a warning names them
// Read after the app's options, so its name, env and profile are known.

#include <vector>

#include "cxpm/config/app_spec.hpp"
#include "cxpm/config/yaml_reader.hpp"

namespace cxpm {

void read_loader_keys(YamlReader& reader, const std::vector<Entry>& entries, AppSpec& spec);

}  // namespace cxpm
