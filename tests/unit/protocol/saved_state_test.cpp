#include "cxpm/protocol/saved_state.hpp"

#include <doctest/doctest.h>

#include "cxpm/protocol/args.hpp"
#include "cxpm/protocol/message.hpp"

namespace cxpm {
namespace {

SavedState sample_state() {
  AppSpec spec;
  spec.name = "api";
  spec.script = "/srv/api/server.js";
  spec.cwd = "/srv/api";
  spec.instances = 2;
  spec.env = AppEnvironment(Environment{{"PATH", "/usr/bin"}, {"SECRET", "x=y\nz"}});
  SavedInstance running;
  running.id = 4;
  running.index = 0;
  running.pid = 31337;
  running.start_ticks = 123456789012ULL;
  running.status = Status::kOnline;
  running.restarts = 2;
  running.started_at_ms = 1'700'000'000'000;
  running.spawn_token = "100.3";
  running.spawn_cgroup = "/sys/fs/cgroup/cxpm-100/api-0-3";
  running.socket_generation = 3;
  running.events = {{1'700'000'000'000, "started (pid 31337)"}, {1'700'000'000'500, "ready"}};
  SavedInstance crashed;
  crashed.id = 5;
  crashed.index = 1;
  crashed.status = Status::kErrored;
  crashed.exit_code = 3;
  crashed.exit_signal = std::nullopt;
  SavedState state;
  state.written_at_ms = 1'700'000'001'000;
  state.written_by = "cxpm 1.0";
  state.next_id = 6;
  state.apps.push_back({spec, 1'690'000'000'000, {running, crashed}});
  state.socket_groups.push_back({"api", "0.0.0.0:3000", {{1, 2}, {0, 0}, {1, 3}}});
  return state;
}

Json as_json(const SavedState& state) {
  return Json::parse(state_to_text(state));
}

std::string error_of(const std::string& text) {
  try {
    state_from_text(text);
  } catch (const ArgsError& error) {
    return error.what();
  }
  return {};
}

}  // namespace

TEST_CASE("state file: every recorded field reads back the same") {
  const SavedState state = sample_state();
  const ReadState read = state_from_text(state_to_text(state));
  CHECK(read.broken_apps.empty());
  CHECK(read.state.written_at_ms == state.written_at_ms);
  CHECK(read.state.written_by == state.written_by);
  CHECK(read.state.next_id == 6);
  REQUIRE(read.state.apps.size() == 1);
  const SavedApp& app = read.state.apps[0];
  CHECK(app.created_at_ms == 1'690'000'000'000);
  CHECK(app.spec.name == "api");
  CHECK(app.spec.instances == 2);
  CHECK(app.spec.env.at("SECRET") == "x=y\nz");
  CHECK(app.instances == state.apps[0].instances);
  CHECK(read.state.socket_groups == state.socket_groups);
}

TEST_CASE("state file: a broken socket order loses only the order, not the apps") {
  Json document = as_json(sample_state());
  document["socket_groups"][0]["sockets"][1]["slot"] = "zero";
  const ReadState read = state_from_text(document.dump());
  CHECK(read.state.socket_groups.empty());
  CHECK(read.state.apps.size() == 1);
  document.erase("socket_groups");  // as an earlier cxpm wrote it
  CHECK(state_from_text(document.dump()).state.socket_groups.empty());
}

TEST_CASE("state file: it says what it is and which version") {
  const Json document = as_json(sample_state());
  CHECK(document["format"] == "cxpm-state");
  CHECK(document["version"] == 1);
  Json other = document;
  other["version"] = 2;
  CHECK(error_of(other.dump()).find("version 2 is not one this cxpm reads") != std::string::npos);
  other = document;
  other["format"] = "cxpm-dump";
  CHECK(error_of(other.dump()).find("not a cxpm state") != std::string::npos);
  CHECK(error_of("{\"format\": ") == "state.json: not valid JSON");
}

TEST_CASE("state file: a broken app is named and the others still read") {
  SavedState state = sample_state();
  state.apps.push_back(state.apps[0]);
  state.apps[1].spec.name = "web";
  Json document = as_json(state);
  document["apps"][0]["instances"][0]["status"] = "dancing";
  document["apps"][0]["spec"]["instances"] = "many";
  document["apps"][1]["instances"][1]["pid"] = -3;
  document.push_back({"ignored", true});
  ReadState read = state_from_text(document.dump());
  CHECK(read.state.apps.empty());
  REQUIRE(read.broken_apps.size() == 2);
  CHECK(read.broken_apps[0].find("state.json.apps[0].spec.instances") != std::string::npos);
  CHECK(read.broken_apps[1].find("state.json.apps[1].instances[1].pid") != std::string::npos);

  document = as_json(state);
  document["apps"][1]["instances"][0]["status"] = "dancing";
  read = state_from_text(document.dump());
  REQUIRE(read.state.apps.size() == 1);
  CHECK(read.state.apps[0].spec.name == "api");
  REQUIRE(read.broken_apps.size() == 1);
  CHECK(read.broken_apps[0].find("apps[1].instances[0].status: unknown status \"dancing\"") !=
        std::string::npos);
}

}  // namespace cxpm
