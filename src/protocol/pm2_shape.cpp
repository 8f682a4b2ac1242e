#include "cxpm/protocol/pm2_shape.hpp"

#include <fmt/format.h>

#include "cxpm/config/command.hpp"
#include "cxpm/config/instance_environment.hpp"

namespace cxpm {
namespace {

// FNV-1a: enough to spread a few fields over 64 bits; the id only has to be stable and
// distinct, not secret.
std::uint64_t fnv1a(std::string_view text, std::uint64_t hash = 14695981039346656037ULL) {
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  return hash;
}

std::string pm2_exec_mode(ExecMode mode) {
  return mode == ExecMode::kCluster ? "cluster_mode" : "fork_mode";
}

// What runs the script: "node" for a .js file, as pm2 says; "none" when it runs by itself.
std::string interpreter_of(const AppSpec& spec) {
  if (spec.interpreter == "none") return "none";
  if (!spec.interpreter.empty()) return spec.interpreter;
  return interpreter_for(spec.script).value_or("none");
}

}  // namespace

std::string instance_unique_id(const ProcessInfo& info) {
  const std::string key = fmt::format("{}/{}/{}", info.created_at_ms, info.name, info.id);
  const std::uint64_t high = fnv1a(key);
  const std::uint64_t low = fnv1a(key, high);
  // Laid out as a version-4 UUID (the version and variant bits set), as pm2's are.
  return fmt::format("{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}", high >> 32, (high >> 16) & 0xffff,
                     high & 0xfff, 0x8000 | ((low >> 48) & 0x3fff), low & 0xffffffffffffULL);
}

Json pm2_process_json(const ProcessInfo& info, const AppSpec& spec, int instances,
                      std::int64_t now_ms) {
  Json out = to_json(info);
  // describe's extras stay describe's: a jlist object is the same whichever call filled it.
  for (const char* key : {"events", "process_tracking", "memory_source"}) out.erase(key);
  out["pm_id"] = info.id;
  out["monit"] = {{"memory", info.memory}, {"cpu", info.cpu}};
  const bool running = info.pid > 0;
  out["pm2_env"] = {
      {"name", info.name},
      {"namespace", info.app_namespace},
      {"pm_id", info.id},
      {"status", to_string(info.status)},
      {"restart_time", info.restarts},
      {"unstable_restarts", info.unstable_restarts},
      {"pm_uptime", running ? now_ms - info.uptime_ms : info.created_at_ms},
      {"created_at", info.created_at_ms},
      {"exec_mode", pm2_exec_mode(info.exec_mode)},
      {"instances", instances},
      {"pm_exec_path", spec.script},
      {"pm_cwd", spec.cwd},
      {"pm_out_log_path", info.out_log},
      {"pm_err_log_path", info.error_log},
      {"pm_pid_path", ""},
      {"exec_interpreter", interpreter_of(spec)},
      {"node_args", spec.interpreter_args},
      {"args", spec.args},
      {"NODE_APP_INSTANCE", info.instance},
      {"exit_code", info.exit_code.value_or(0)},
      {"version", "N/A"},
      {"unique_id", instance_unique_id(info)},
      {"username", spec.uid},
      {"watch", !spec.watch.empty()},
      {"autorestart", spec.autorestart},
      {"treekill", spec.treekill},
      {"kill_retry_time", spec.kill_retry_time.count()},
      {"env", instance_environment(spec, info.instance, info.id)},
  };
  return out;
}

}  // namespace cxpm
