// Adoption: a daemon rebuilds the table an earlier one recorded, adopts the processes whose
// pid and start time still match, and restarts by policy those that are gone, never touching
// a pid that another program has now.
#include "cxpm/daemon/adoption.hpp"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

#include "cxpm/daemon/state_writer.hpp"
#include "supervisor_fakes.hpp"

namespace cxpm::testing {
namespace {

// What a keeper would hand over: real pipes by key.
class FakeKeptFds final : public KeptFds {
 public:
  void keep(const std::string& key, int) override { kept.insert(key); }
  void forget(const std::string& key) override { kept.erase(key); }
  UniqueFd take(const std::string& key) override {
    auto found = handed.find(key);
    if (found == handed.end()) return UniqueFd();
    UniqueFd fd = std::move(found->second);
    handed.erase(found);
    return fd;
  }
  std::vector<std::string> untaken() const override {
    std::vector<std::string> keys;
    for (const auto& [key, fd] : handed) keys.push_back(key);
    return keys;
  }

  // A pipe whose read end is handed over under `key`; returns the write end (the app's).
  UniqueFd pipe_for(const std::string& key) {
    int ends[2];
    REQUIRE(::pipe2(ends, O_CLOEXEC) == 0);
    handed[key] = UniqueFd(ends[0]);
    return UniqueFd(ends[1]);
  }

  std::map<std::string, UniqueFd> handed;
  std::set<std::string> kept;
};

struct TempHome {
  Home home;
  TempHome() {
    char pattern[] = "/tmp/cxpm-adoption.XXXXXX";
    home.dir = ::mkdtemp(pattern);
    home.prepare();
  }
  ~TempHome() { std::filesystem::remove_all(home.dir); }
};

constexpr pid_t kPid = 4242;
constexpr std::uint64_t kTicks = 777;

SavedApp recorded_app(std::string name = "api") {
  SavedApp app{test_app(std::move(name)), unix_now_ms() - 3'600'000, {}};
  SavedInstance instance;
  instance.id = 7;
  instance.index = 0;
  instance.pid = kPid;
  instance.start_ticks = kTicks;
  instance.status = Status::kOnline;
  instance.restarts = 3;
  instance.started_at_ms = unix_now_ms() - 60'000;
  instance.spawn_token = "1.5";
  instance.events = {{unix_now_ms() - 60'000, "started (pid 4242)"}};
  app.instances.push_back(instance);
  return app;
}

// Runs the loop (the output capture's reads and writes) until `done`, at most 5 s.
template <typename Done>
bool run_until(Supervisor& supervisor, Done done) {
  const auto until = steady_now() + std::chrono::seconds(5);
  while (!done() && steady_now() < until) {
    uv_run(supervisor.loop(), UV_RUN_NOWAIT);
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return done();
}

std::string read_all(const std::string& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), {}};
}

struct Adopting {
  TempHome temp;
  SupervisorHarness harness{temp.home};
  FakeKeptFds kept;
  UniqueFd out_end, error_end;  // the app's ends of its pipes

  Adopting() { harness.supervisor().set_kept_fds(kept); }
  void with_pipes(pid_t pid = kPid) {
    out_end = kept.pipe_for("out/" + std::to_string(pid));
    error_end = kept.pipe_for("err/" + std::to_string(pid));
  }
  void alive(pid_t pid = kPid, std::uint64_t ticks = kTicks) {
    harness.runner().processes[pid] = ProcessStat{pid, 1, pid, 0, 0, false, ticks};
  }
  Instance& adopt(SavedApp app, int next_id = 8, bool same_boot = true) {
    const std::string name = app.spec.name;
    harness.supervisor().adopt(std::move(app), next_id, same_boot);
    return *harness.supervisor().find_app(name)->instances.front();
  }
};

}  // namespace

TEST_CASE("adoption: a live process keeps its id, pid, restarts and uptime") {
  Adopting test;
  test.alive();
  test.with_pipes();
  Instance& instance = test.adopt(recorded_app());
  CHECK(instance.id == 7);
  CHECK(instance.index == 0);
  CHECK(instance.pid == kPid);
  CHECK(instance.restarts == 3);
  CHECK(instance.status == Status::kOnline);
  CHECK(instance.spawn_tag.token == "1.5");
  const ProcessInfo info = test.harness.supervisor().describe(instance, true);
  CHECK(info.uptime_ms >= 60'000);
  CHECK(info.uptime_ms < 70'000);
  CHECK(test.harness.launch_count() == 0);
  CHECK(test.harness.runner().signals.empty());
  CHECK(SupervisorHarness::has_event(instance, "started (pid 4242)"));  // its history too
  CHECK(SupervisorHarness::has_event(instance, "adopted (pid 4242)"));
  // Its pipes are read again, and kept again for the daemon after this one.
  CHECK(instance.output);
  CHECK(test.kept.kept.count("out/4242") == 1);
  CHECK(test.kept.kept.count("err/4242") == 1);
  // Ids are never given twice: a new app comes after the recorded ones.
  Instance& fresh = test.harness.add(test_app("web"));
  CHECK(fresh.id == 8);
}

TEST_CASE("adoption: a pid that another program has now is neither adopted nor signalled") {
  Adopting test;
  test.alive(kPid, kTicks + 1);  // same pid, another start time
  test.with_pipes();
  Instance& instance = test.adopt(recorded_app());
  CHECK(SupervisorHarness::has_event(instance,
                                     "pid 4242 now belongs to another program; not adopted"));
  CHECK_FALSE(test.harness.was_signalled_at_all(kPid));
  // The recorded process is gone, so its instance restarts as after any unplanned exit, once
  // its pipes are drained.
  test.out_end.reset();
  test.error_end.reset();
  REQUIRE(run_until(test.harness.supervisor(), [&] { return test.harness.launch_count() == 1; }));
  CHECK(instance.pid != kPid);
  CHECK(instance.restarts == 4);
  CHECK(instance.status == Status::kOnline);
  CHECK_FALSE(test.harness.was_signalled_at_all(kPid));
}

TEST_CASE("adoption: after a reboot no recorded pid is adopted, even one that matches") {
  Adopting test;
  test.alive();  // another boot's process that happens to have the same pid and start time
  Instance& instance = test.adopt(recorded_app(), 8, /*same_boot=*/false);
  CHECK(
      SupervisorHarness::has_event(instance, "the machine restarted since; pid 4242 not adopted"));
  CHECK_FALSE(test.harness.was_signalled_at_all(kPid));
  REQUIRE(run_until(test.harness.supervisor(), [&] { return test.harness.launch_count() == 1; }));
  CHECK(instance.pid != kPid);
  CHECK(instance.status == Status::kOnline);
}

TEST_CASE("adoption: a process gone while no daemon ran is restarted, its last lines logged") {
  Adopting test;
  test.with_pipes();
  const std::string line = "written while no daemon ran\n";
  REQUIRE(::write(test.out_end.get(), line.data(), line.size()) ==
          static_cast<ssize_t>(line.size()));
  test.out_end.reset();  // the app is gone: nobody holds the write ends any more
  test.error_end.reset();
  Instance& instance = test.adopt(recorded_app());
  CHECK(instance.pid == 0);
  CHECK(test.harness.launch_count() == 0);  // not before its last lines are in the log
  REQUIRE(run_until(test.harness.supervisor(), [&] { return test.harness.launch_count() == 1; }));
  CHECK(read_all(test.harness.supervisor().out_log_path(instance)).find(line) != std::string::npos);
  CHECK(SupervisorHarness::has_event(instance, "exited while no daemon ran"));
  CHECK(instance.restarts == 4);
  CHECK(instance.id == 7);
  CHECK_FALSE(test.harness.was_signalled_at_all(kPid));
}

TEST_CASE("adoption: a gone process of an app with autorestart off stays stopped") {
  Adopting test;
  SavedApp app = recorded_app();
  app.spec.autorestart = false;
  Instance& instance = test.adopt(std::move(app));  // no pipes kept, nothing alive
  CHECK(test.harness.launch_count() == 0);
  CHECK(instance.status == Status::kStopped);
  CHECK(SupervisorHarness::has_event(instance, "autorestart is off"));
}

TEST_CASE("adoption: an adopted process that exits later is restarted by its policy") {
  Adopting test;
  test.alive();
  test.with_pipes();
  Instance& instance = test.adopt(recorded_app());
  test.out_end.reset();
  test.error_end.reset();
  // Its exit, reaped by the keeper, comes through process_exited.
  test.harness.supervisor().process_exited(kPid, 1 << 8);
  REQUIRE(run_until(test.harness.supervisor(), [&] { return test.harness.launch_count() == 1; }));
  CHECK(instance.restarts == 4);
  CHECK(instance.status == Status::kOnline);
  CHECK(SupervisorHarness::has_event(instance, "exited with code 1; restarting"));
}

TEST_CASE("adoption: stop of an adopted process signals it and completes at its exit") {
  Adopting test;
  test.alive();
  test.with_pipes();
  Instance& instance = test.adopt(recorded_app());
  bool stopped = false;
  test.harness.supervisor().stop({&instance}, [&] { stopped = true; });
  CHECK(test.harness.was_signalled(-kPid, SIGINT));
  test.out_end.reset();
  test.error_end.reset();
  test.harness.supervisor().process_exited(kPid, SIGINT);
  REQUIRE(run_until(test.harness.supervisor(), [&] { return stopped; }));
  CHECK(instance.status == Status::kStopped);
  CHECK(test.harness.launch_count() == 0);
}

TEST_CASE("adoption: without a keeper a live process is stopped and started again") {
  Adopting test;
  test.alive();  // alive, but no pipes handed over: what it writes reaches nobody
  Instance& instance = test.adopt(recorded_app());
  CHECK(test.harness.was_signalled(-kPid, SIGINT));
  CHECK(SupervisorHarness::has_event(instance, "without its output pipes"));
  // The fake's when_gone returns at once and the process is still there: SIGKILL, then anew.
  CHECK(test.harness.was_signalled(-kPid, SIGKILL));
  CHECK(test.harness.launch_count() == 1);
  CHECK(instance.pid != kPid);
  CHECK(instance.restarts == 4);
}

TEST_CASE("adoption: stopped instances stay stopped; a due restart happens") {
  Adopting test;
  SavedApp app = recorded_app();
  app.instances[0].status = Status::kStopped;
  app.instances[0].pid = 0;
  SavedInstance waiting = app.instances[0];
  waiting.id = 9;
  waiting.index = 1;
  waiting.status = Status::kWaitingRestart;
  app.instances.push_back(waiting);
  test.adopt(std::move(app), 10);
  const auto& instances = test.harness.supervisor().find_app("api")->instances;
  CHECK(instances[0]->status == Status::kStopped);
  CHECK(instances[1]->status == Status::kOnline);
  CHECK(test.harness.launch_count() == 1);
  CHECK(test.harness.runner().launches[0].index == 1);
}

TEST_CASE("adoption: a cluster app's listening socket is taken back by its key") {
  Adopting test;
  test.kept.pipe_for("listen/api/127.0.0.1:3999/-1/0");  // any descriptor stands in
  test.kept.pipe_for("listen/api");                      // names no socket: closed, no crash
  test.harness.supervisor().adopt_listening_sockets();
  CHECK(test.kept.untaken().empty());
  CHECK(test.kept.kept.count("listen/api/127.0.0.1:3999/-1/0") == 1);
}

// The spawn tokens recorded_app() records, and two processes among the keeper's children:
// the recorded one, and one an earlier daemon started after its last saved table.
struct AdoptingFromFile : Adopting {
  AdoptingFromFile() {
    alive();
    with_pipes();
    harness.runner().orphans = {{kPid, "1.5"}, {5151, "1.9"}};
  }
  void write_state(const std::string& text) {
    std::ofstream(temp.home.dir + "/state.json") << text;
  }
  void write_state() {
    SavedState state;
    state.next_id = 8;
    state.apps.push_back(recorded_app());
    write_state(state_to_text(state));
  }
};

TEST_CASE("adoption: a process no recorded spawn owns is killed; the recorded one is adopted") {
  AdoptingFromFile test;
  test.write_state();
  adopt_saved_state(test.harness.supervisor(), test.temp.home);
  CHECK(test.harness.runner().untracked_killed == std::vector<pid_t>{5151});
  Instance& adopted = *test.harness.supervisor().find_app("api")->instances.front();
  CHECK(adopted.pid == kPid);
  CHECK_FALSE(test.harness.was_signalled_at_all(kPid));
}

TEST_CASE("adoption: with no table on disk, every spawn among the keeper's children is unowned") {
  AdoptingFromFile test;
  adopt_saved_state(test.harness.supervisor(), test.temp.home);
  CHECK(test.harness.runner().untracked_killed == std::vector<pid_t>{kPid, 5151});
}

TEST_CASE("adoption: a table not read whole kills nothing: it cannot say whose a process is") {
  AdoptingFromFile test;
  SUBCASE("not JSON") {
    test.write_state("{ not json");
  }
  SUBCASE("one app broken") {
    SavedState state;
    state.apps.push_back(recorded_app());
    std::string text = state_to_text(state);
    const std::size_t at = text.find("\"script\"");
    REQUIRE(at != std::string::npos);
    text.replace(at, 8, "\"script\": 5, \"ignored\"");
    REQUIRE(state_from_text(text).broken_apps.size() == 1);  // the file itself reads
    test.write_state(text);
  }
  adopt_saved_state(test.harness.supervisor(), test.temp.home);
  CHECK(test.harness.runner().untracked_killed.empty());
}

TEST_CASE("state snapshot: the table as recorded reads back the same") {
  SupervisorHarness harness;
  AppSpec spec = test_app("api");
  spec.instances = 2;
  harness.add(spec);
  const SavedState state = snapshot_state(harness.supervisor());
  REQUIRE(state.apps.size() == 1);
  REQUIRE(state.apps[0].instances.size() == 2);
  CHECK(state.apps[0].instances[1].pid == 1001);
  CHECK(state.next_id == 2);
  const ReadState read = state_from_text(state_to_text(state));
  CHECK(read.broken_apps.empty());
  CHECK(read.state.apps[0].instances == state.apps[0].instances);
  CHECK(read.state.apps[0].spec.name == "api");
}

}  // namespace cxpm::testing
