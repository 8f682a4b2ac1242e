#pragma once
// The daemon's end of its link to the keeper (keeper/keeper.hpp; the words:
// core/keeper_messages.hpp). It is the daemon's KeptFds: keep and forget go to the keeper at
// once; at the start it reads the keeper's hello and the descriptors an earlier daemon kept
// (to `take`); then, on the loop, the exits of processes re-parented to the keeper, which it
// gives to Supervisor::process_exited. If the keeper dies (EOF), it warns once and acts as
// NoKeeper from then on: the daemon goes on as before, but nothing outlives it.

#include <uv.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "cxpm/core/keeper_messages.hpp"
#include "cxpm/daemon/kept_fds.hpp"
#include "cxpm/daemon/uv_handle.hpp"

namespace cxpm {

class Supervisor;

class KeeperLink final : public KeptFds {
 public:
  // From CXPM_KEEPER_FD (then removed from the environment); nullptr when the daemon runs
  // without a keeper.
  static std::unique_ptr<KeeperLink> from_environment();
  explicit KeeperLink(UniqueFd link);

  // Reads the hello and the handed-over descriptors, blocking (before the loop runs);
  // throws when the keeper says nothing sensible.
  void receive_hand_over();
  // From now on, exits the keeper reports go to `supervisor`, on `loop`.
  void start(uv_loop_t* loop, Supervisor& supervisor);
  void close();

  void keep(const std::string& key, int fd) override;
  void forget(const std::string& key) override;
  UniqueFd take(const std::string& key) override;
  std::vector<std::string> untaken() const override;

  void ready() { send("ready"); }
  void failed(const std::string& why) { send("failed", why); }
  void notify(const std::string& datagram) { send("notify", datagram); }
  void bye() { send("bye"); }
  // Asks the keeper to start `binary` once this daemon exits; false when the keeper is gone.
  bool hand_over_to(const std::string& binary) { return send("update", binary); }

  const KeeperHello& keeper() const { return hello_; }
  // Empty while the keeper is there, else what happened to it.
  const std::string& lost() const { return lost_; }

 private:
  bool send(std::string_view verb, std::string_view argument = {}, int fd = -1);
  void receive();
  void lose(const std::string& why);

  UniqueFd link_;
  KeeperHello hello_;
  std::map<std::string, UniqueFd> handed_;
  UvHandle<uv_poll_t> poll_;
  Supervisor* supervisor_ = nullptr;
  std::string lost_;
};

}  // namespace cxpm
