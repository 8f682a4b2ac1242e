// save, resurrect, cleardump (members of Commands). Each holds every app in the lifecycle
// gate while it runs: a save waits for operations under way and records settled specs, and
// two saves (or a save and a cleardump) reach the disk in the order they were asked.

#include <spdlog/spdlog.h>

#include "cxpm/core/clock.hpp"
#include "cxpm/daemon/commands.hpp"
#include "cxpm/daemon/dump_file.hpp"
#include "cxpm/daemon/saved_apps.hpp"
#include "cxpm/protocol/persistence.hpp"

namespace cxpm {
namespace {

// Written on the thread pool; the answer comes once the file (and its directory) are synced.
template <typename Result>
void write_dump(Supervisor& supervisor, const Answer& answer, const Dump& dump, Result result) {
  const Home home = supervisor.home();
  auto text = std::make_shared<std::string>(dump_to_text(dump));
  const std::size_t count = dump.apps.size();
  run_off_loop(
      supervisor.loop(), [home, text] { write_dump_file(home, *text); },
      [home, answer, count, result = std::move(result)](const std::string& error) {
        if (!error.empty()) {
          spdlog::error("cannot save the app list: {}; {} is unchanged", error, home.dump_path());
          return answer.fail(error_code::kFailed, "cannot save the app list: " + error + "; " +
                                                      home.dump_path() + " is unchanged");
        }
        spdlog::info("saved {} app(s) to {}", count, home.dump_path());
        answer.reply(result);
      });
}

}  // namespace

void Commands::save(const SaveArgs& save, const Answer& answer) {
  Dump dump;
  dump.saved_at_ms = unix_now_ms();
  dump.saved_by = std::string("cxpm ") + CXPM_VERSION;
  SaveResult reply{supervisor_.home().dump_path(), 0, 0};
  for (const auto& app : supervisor_.apps()) {
    dump.apps.push_back(app->spec);
    reply.instances += static_cast<std::int64_t>(app->instances.size());
  }
  reply.apps = static_cast<std::int64_t>(dump.apps.size());
  if (dump.apps.empty() && !save.force) {
    // As pm2: an empty list saved by mistake would bring nothing back at the next boot.
    return answer.fail(error_code::kConflict,
                       "no apps to save; the saved list is left as it is (`cxpm save --force` "
                       "saves an empty list, `cxpm cleardump` empties it)");
  }
  write_dump(supervisor_, answer, dump, reply);
}

void Commands::clear_dump(const WholeListArgs&, const Answer& answer) {
  Dump empty;
  empty.saved_at_ms = unix_now_ms();
  empty.saved_by = std::string("cxpm ") + CXPM_VERSION;
  write_dump(supervisor_, answer, empty, ClearDumpResult{supervisor_.home().dump_path()});
}

void Commands::resurrect(const WholeListArgs&, const Answer& answer) {
  const Home home = supervisor_.home();
  struct Read {
    std::optional<std::string> text;
    Dump dump;
  };
  auto read = std::make_shared<Read>();
  run_off_loop(
      supervisor_.loop(),
      [home, read] {
        read->text = read_dump_file(home);
        if (read->text) read->dump = dump_from_text(*read->text);
      },
      [this, answer, read](const std::string& error) {
        if (!error.empty()) {
          return answer.fail(error_code::kFailed, "cannot resurrect: " + error);
        }
        ResurrectResult reply;
        reply.had_dump = read->text.has_value();
        const auto outcome = start_saved_apps(supervisor_, std::move(read->dump.apps));
        reply.started = report(outcome.ids);
        reply.skipped = outcome.skipped;
        reply.failed = outcome.failed;
        answer.reply(reply);
      });
}

}  // namespace cxpm
