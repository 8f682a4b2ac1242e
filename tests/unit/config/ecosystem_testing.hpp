#pragma once
// Helpers shared by the ecosystem tests: one context, and parsing that shows every error.

#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <vector>

#include "cxpm/config/ecosystem.hpp"

namespace cxpm::testing {

inline EcosystemContext test_context(std::string profile = "") {
  return EcosystemContext{"eco.yaml",
                          "/srv/app",
                          {{"HOME", "/home/ada"}, {"PATH", "/usr/bin"}, {"SHARED", "caller"}},
                          std::move(profile)};
}

inline std::string all_errors(const Ecosystem& ecosystem) {
  std::string text;
  for (const ConfigError& error : ecosystem.errors) text += error.format() + "\n";
  return text;
}

inline Ecosystem parse(std::string_view text, std::string profile = "") {
  return parse_ecosystem(text, test_context(std::move(profile)));
}

// Parses a file that must be valid and hold exactly one app.
inline AppSpec parse_one(std::string_view text, std::string profile = "") {
  const Ecosystem ecosystem = parse(text, std::move(profile));
  INFO(all_errors(ecosystem));
  REQUIRE(ecosystem.ok());
  REQUIRE(ecosystem.apps.size() == 1);
  return ecosystem.apps.front();
}

// The formatted errors of a file that must be invalid.
inline std::vector<std::string> errors_of(std::string_view text, std::string profile = "") {
  const Ecosystem ecosystem = parse(text, std::move(profile));
  CHECK_FALSE(ecosystem.ok());
  CHECK(ecosystem.apps.empty());  // nothing from a broken file may be used
  std::vector<std::string> formatted;
  for (const ConfigError& error : ecosystem.errors) formatted.push_back(error.format());
  return formatted;
}

// The one error of a file that must have exactly one.
inline std::string error_of(std::string_view text) {
  const Ecosystem ecosystem = parse(text);
  INFO(all_errors(ecosystem));
  REQUIRE(ecosystem.errors.size() == 1);
  CHECK(ecosystem.apps.empty());
  return ecosystem.errors.front().format();
}

}  // namespace cxpm::testing
