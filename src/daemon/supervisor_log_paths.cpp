// Where an instance's output goes: pm2's file names (one per instance unless merge_logs) under
// $CXPM_HOME/logs, and the log files its output capture writes.
#include <fmt/format.h>

#include "cxpm/daemon/supervisor.hpp"

namespace cxpm {
namespace {

bool uses_instance_suffix(const AppSpec& spec) {
  return !spec.merge_logs && (spec.exec_mode == ExecMode::kCluster || spec.instances != 1);
}

}  // namespace

std::string Supervisor::log_path(const Instance& instance, const std::string& option,
                                 const char* stream) const {
  const AppSpec& spec = instance.app.spec;
  if (option == "/dev/null") return option;
  // pm2's rule: one file per instance unless merge_logs, for chosen paths too. Built with
  // fmt, not "-" + std::to_string(...): GCC 12 at -O3 warns falsely on a string literal
  // prepended to a std::string (-Wrestrict, GCC bug 105329).
  const std::string suffix =
      uses_instance_suffix(spec) ? fmt::format("-{}", instance.index) : std::string();
  if (option.empty()) return home_.logs_dir() + "/" + spec.name + "-" + stream + suffix + ".log";
  // Relative paths (`log_file: true` is "<name>.log") are under $CXPM_HOME/logs.
  const std::string path = option.front() == '/' ? option : home_.logs_dir() + "/" + option;
  const auto slash = path.rfind('/');
  const auto dot = path.rfind('.');
  const auto end = dot != std::string::npos && dot > slash + 1 ? dot : path.size();
  return path.substr(0, end) + suffix + path.substr(end);
}

std::string Supervisor::out_log_path(const Instance& instance) const {
  return log_path(instance, instance.app.spec.out_file, "out");
}

std::string Supervisor::error_log_path(const Instance& instance) const {
  return log_path(instance, instance.app.spec.error_file, "error");
}

std::string Supervisor::combined_log_path(const Instance& instance) const {
  const std::string& option = instance.app.spec.log_file;
  if (option.empty() || option == "/dev/null") return option;
  return option.front() == '/' ? option : home_.logs_dir() + "/" + option;
}

OutputSettings Supervisor::output_settings(const Instance& instance) {
  const AppSpec& spec = instance.app.spec;
  const RotationSettings rotation = rotation_settings_of(spec);
  const auto user = log_file_user_of(spec);  // where others may write, opened as the app's user
  LogFiles& files = log_hub_.files();
  return {{files.open(out_log_path(instance), rotation, user),
           files.open(error_log_path(instance), rotation, user),
           files.open(combined_log_path(instance), rotation, user)},
          line_format_of(spec),
          {spec.name, instance.id, instance.index}};
}

}  // namespace cxpm
