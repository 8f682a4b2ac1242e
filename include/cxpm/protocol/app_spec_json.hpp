#pragma once
// AppSpec on the wire. The CLI resolves files, environments and defaults; the daemon receives
// a complete spec and never reads an ecosystem file itself.

#include "cxpm/config/app_spec.hpp"
#include "cxpm/protocol/args.hpp"
#include "cxpm/protocol/message.hpp"

namespace cxpm {

Json to_json(const AppSpec& spec);

// Throws ArgsError naming the offending field.
AppSpec app_spec_from_json(const ArgsReader& reader);

}  // namespace cxpm
