#pragma once
// The keeper's small helpers, apart from its loop (keeper.cpp).

#include <signal.h>

#include <initializer_list>
#include <string>
#include <vector>

#include "cxpm/core/clock.hpp"
#include "cxpm/sys/home.hpp"
#include "cxpm/sys/unique_fd.hpp"

namespace cxpm {

// One line on stderr (daemon.log, or the journal): "<time> cxpm keeper[pid]: <text>".
void say(const std::string& text);

// keeper.pid, locked for the keeper's life (the lock, not the file, says who runs); throws
// "another cxpm daemon ... is already running" when another keeper holds it.
UniqueFd lock_keeper_file(const Home& home);

// Blocks `signals` and returns a signalfd that reads them (non-blocking, close-on-exec).
UniqueFd block_signals_into_fd(std::initializer_list<int> signals);

// Our environment for the daemon proper: CXPM_KEEPER_FD=3 (its link) and
// CXPM_DAEMON_STDERR=0|1 (whether it logs to stderr too).
std::vector<std::string> daemon_environment(bool to_stderr);

// "exited with code 1", "was killed by SIGKILL".
std::string describe_wait_status(int status);

// The soft RLIMIT_NOFILE: what bounds the descriptors the keeper can hold.
std::size_t descriptor_limit();

// CXPM_UPDATE_TIMEOUT_MS (tests), else `fallback`: how long an update's new daemon has to
// report ready.
Milliseconds update_timeout_from_environment(Milliseconds fallback);

}  // namespace cxpm
