#pragma once
// The array `cxpm jlist` prints and the web API's /api/processes answers: every described
// instance in cxpm's shape and pm2's (pm2_shape.hpp), one producer for both.

#include <cstdint>

#include "cxpm/protocol/replies.hpp"

namespace cxpm {

Json process_list_json(const DescribeResult& described, std::int64_t now_ms);

}  // namespace cxpm
