// What one state.json write of 1,000 apps costs: the snapshot and its text on the loop thread,
// the text and the atomic write on the thread pool. A measurement, not an assertion: skipped unless
// asked
// (`cxpm_unit_tests --no-skip -tc='state write cost*'`).
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>

#include "cxpm/daemon/dump_file.hpp"
#include "cxpm/daemon/state_writer.hpp"
#include "supervisor_fakes.hpp"

extern char** environ;

namespace cxpm::testing {

TEST_CASE("state write cost: 1,000 apps" * doctest::skip()) {
  char pattern[] = "/tmp/cxpm-state-cost.XXXXXX";
  Home home{::mkdtemp(pattern)};
  SupervisorHarness harness;
  Environment env;  // each app with an environment like a shell's, as `cxpm start` gives it
  for (char** entry = environ; *entry; ++entry) {
    const std::string assignment = *entry;
    if (const auto equals = assignment.find('='); equals != std::string::npos) {
      env[assignment.substr(0, equals)] = assignment.substr(equals + 1);
    }
  }
  for (int i = 0; i < 1000; ++i) {
    AppSpec spec = test_app("app-" + std::to_string(i));
    spec.env = AppEnvironment(env);
    harness.add(spec);
  }
  constexpr int kRounds = 20;
  std::size_t bytes = 0;
  const auto started = steady_now();
  std::string text;
  SavedState state;
  for (int round = 0; round < kRounds; ++round) state = snapshot_state(harness.supervisor());
  const auto snapshotted = steady_now();
  for (int round = 0; round < kRounds; ++round) text = state_to_text(state);
  const auto serialized = steady_now();
  for (int round = 0; round < kRounds; ++round) replace_home_file(home, "state.json", text);
  const auto written = steady_now();
  bytes = text.size();
  auto per_round = [](auto duration) {
    return std::chrono::duration<double, std::milli>(duration).count() / kRounds;
  };
  MESSAGE("1,000 apps, " << env.size() << " variables each: " << bytes / 1024
                         << " KiB; snapshot on the loop " << per_round(snapshotted - started)
                         << " ms; on the pool: text " << per_round(serialized - snapshotted)
                         << " ms, write + fsync + rename " << per_round(written - serialized)
                         << " ms");
  std::filesystem::remove_all(home.dir);
}

}  // namespace cxpm::testing
