#include "cxpm/cli/targets.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <optional>
#include <set>

#include "cxpm/cli/client.hpp"

namespace cxpm {
namespace {

bool exists(const std::string& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0;
}

bool is_regular_file(const std::string& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode);
}

bool is_id_or_all(const std::string& target) {
  return target == "all" ||
         (!target.empty() && target.find_first_not_of("0123456789") == std::string::npos);
}

}  // namespace

bool is_script_path(const std::string& target) {
  if (target.empty() || is_id_or_all(target)) return false;
  return target.find('/') != std::string::npos || is_regular_file(target);
}

std::string absolute_script_path(const std::string& target) {
  std::filesystem::path path(target);
  if (path.is_relative()) {
    char buffer[4096];
    if (!::getcwd(buffer, sizeof buffer)) throw CliError("cannot read the current directory");
    path = std::filesystem::path(buffer) / path;
  }
  return path.lexically_normal().string();
}

std::vector<std::string> resolve_targets(Client& client, const std::vector<std::string>& targets,
                                         const StartFlags& flags) {
  std::optional<std::set<std::string>> names;  // asked for only when a path needs it
  std::vector<std::string> out;
  for (const auto& target : targets) {
    if (is_ecosystem_file(target) && exists(target)) {
      for (const auto& spec : load_ecosystem(target, flags, /*check_scripts=*/false)) {
        out.push_back(spec.name);
      }
    } else if (is_script_path(target)) {
      if (!names) {
        names.emplace();
        for (const auto& process : client.call<method::List>().processes) {
          names->insert(process.name);
        }
      }
      out.push_back(names->contains(target) ? target : absolute_script_path(target));
    } else {
      out.push_back(target);
    }
  }
  return out;
}

}  // namespace cxpm
