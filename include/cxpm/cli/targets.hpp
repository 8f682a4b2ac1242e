#pragma once
// Targets as the user types them, as the daemon reads them: an ecosystem file stands for its
// apps' names, and a script path (`index.js`, `./index.js`, `/srv/app/index.js`) becomes the
// absolute path the daemon matches against each app's script. The order is pm2's; see
// docs/cli.md, "Targets".

#include <string>
#include <vector>

#include "cxpm/cli/start_plan.hpp"

namespace cxpm {

class Client;

// Whether `target` is a script path rather than a name: it has a '/', or is a file here.
bool is_script_path(const std::string& target);

// `target` made absolute against the current directory, "." and ".." folded.
std::string absolute_script_path(const std::string& target);

// The targets to send: ecosystem files expanded to their apps' names (filtered by
// flags.only), script paths made absolute unless an app has that very name (a name wins, as
// in pm2), everything else ("all", ids, names, namespaces) as typed.
std::vector<std::string> resolve_targets(Client& client, const std::vector<std::string>& targets,
                                         const StartFlags& flags = {});

}  // namespace cxpm
