#pragma once
// The environment one instance of an app starts with: the app's merged env plus what is the
// instance's own (its index in instance_var, increment_var raised by the index, cxpm's
// CXPM_INSTANCE, CXPM_APP_NAME, CXPM_ID). The daemon launches with it; `cxpm env` and
// jlist's pm2_env.env show it.

#include "cxpm/config/app_spec.hpp"

namespace cxpm {

Environment instance_environment(const AppSpec& spec, int index, int id);

}  // namespace cxpm
