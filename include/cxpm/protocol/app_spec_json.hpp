#pragma once
// AppSpec on the wire. The CLI resolves files, environments and defaults; the daemon receives
// a complete spec and never reads an ecosystem file itself.
//
// Requests that carry apps (`start`, `restart` and `reload` with `apps`) send the caller's
// environment once, as `shared_env`; each app's `env` holds only its own variables (those it
// adds or changes) and `env_unset` those of the shared environment it does not have. Fields
// left out are AppSpec's defaults.

#include <vector>

#include "cxpm/config/app_spec.hpp"
#include "cxpm/protocol/args.hpp"
#include "cxpm/protocol/message.hpp"

namespace cxpm {

// Every field, `env` merged (describe).
Json to_json(const AppSpec& spec);

// Every field, with `env` holding only what differs from `shared` (and `env_unset` what it
// lacks): describe's reply sends its specs' common environment once, as `shared_env`, so a
// jlist of thousands of apps does not carry the caller's environment thousands of times.
Json to_json(const AppSpec& spec, const AppEnvironment::Base& shared);

// The environment base most of these specs share; nullptr when none has one.
AppEnvironment::Base most_shared_base(const std::vector<const AppSpec*>& specs);

// Throws ArgsError naming the offending field. The app's variables go over `shared_env`.
AppSpec app_spec_from_json(const ArgsReader& reader,
                           const AppEnvironment::Base& shared_env = nullptr);

// The arguments `apps` and `shared_env` for the specs: the environment most of them share is
// sent once, and each app's fields only where they differ from the defaults.
Json app_specs_to_json(const std::vector<AppSpec>& specs);

// The apps of a request (`apps` over `shared_env`); the daemon keeps the shared environment
// once, held by every app read from it. Throws ArgsError naming the offending field.
std::vector<AppSpec> app_specs_from_json(const ArgsReader& args);

}  // namespace cxpm
