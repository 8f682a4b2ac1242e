#include "cxpm/config/instance_environment.hpp"

#include <stdexcept>

namespace cxpm {

Environment instance_environment(const AppSpec& spec, int index, int id) {
  Environment env = spec.env;
  const std::string text = std::to_string(index);
  env["CXPM_INSTANCE"] = text;
  env["CXPM_APP_NAME"] = spec.name;
  env["CXPM_ID"] = std::to_string(id);
  if (!spec.instance_var.empty()) env[spec.instance_var] = text;
  if (!spec.increment_var.empty()) {
    // pm2: the variable's value in env plus the instance index (a port per instance).
    if (auto base = env.find(spec.increment_var); base != env.end()) {
      try {
        base->second = std::to_string(std::stol(base->second) + index);
      } catch (const std::exception&) {
      }
    }
  }
  return env;
}

}  // namespace cxpm
