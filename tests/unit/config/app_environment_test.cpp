#include "cxpm/config/app_environment.hpp"

#include <doctest/doctest.h>

#include <memory>

using cxpm::AppEnvironment;
using cxpm::Environment;

TEST_CASE("app environment: the app sets what its own layer gives a value of its own") {
  auto caller = std::make_shared<const Environment>(
      Environment{{"HOME", "/root"}, {"USER", "root"}, {"PATH", "/bin"}});
  AppEnvironment env(caller, {{"HOME", "/srv/web"}, {"USER", "root"}, {"PORT", "80"}});
  CHECK(env.sets("HOME"));        // its own value over the caller's
  CHECK_FALSE(env.sets("USER"));  // the caller's value copied in: inherited, not chosen
  CHECK(env.sets("PORT"));        // only its own
  CHECK_FALSE(env.sets("PATH"));  // only the caller's
  CHECK_FALSE(env.sets("SHELL"));

  // Without a shared base, everything there is the app's own.
  const AppEnvironment plain(Environment{{"HOME", "/root"}});
  CHECK(plain.sets("HOME"));
  CHECK_FALSE(plain.sets("USER"));
}
