#include "cxpm/protocol/process_list.hpp"

#include <map>

#include "cxpm/protocol/pm2_shape.hpp"

namespace cxpm {

Json process_list_json(const DescribeResult& described, std::int64_t now_ms) {
  std::map<std::string, int> instances;
  for (const auto& process : described.processes) ++instances[process.info.name];
  Json out = Json::array();
  for (const auto& process : described.processes) {
    out.push_back(
        pm2_process_json(process.info, process.spec, instances[process.info.name], now_ms));
  }
  return out;
}

}  // namespace cxpm
