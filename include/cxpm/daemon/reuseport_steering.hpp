#pragma once
// Which socket of an app's SO_REUSEPORT group gets each new connection, decided in the kernel:
// a classic BPF program on the group picks at random among the sockets of the workers that are
// accepting (online, not retiring, not crashed), so a worker being retired or restarted gets no
// new connection while its queue is served, and a reload's replacement none before it is
// ready. The daemon is never on the data path. The program names sockets by their index in the
// kernel's array of the group, which ReuseportOrder follows as sockets join and leave; every
// change re-attaches the program. Where the kernel refuses the program, the group is left to
// the kernel's hash, as without steering, and `problem()` says why.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "cxpm/config/listen_address.hpp"
#include "cxpm/core/reuseport_order.hpp"

namespace cxpm {

// The worker a reuseport socket belongs to: its slot (instance index) and the generation of
// that slot (a reload's replacement is the next generation, with sockets of its own).
struct SocketOwner {
  int slot = 0;
  int generation = 0;
  bool operator==(const SocketOwner&) const = default;
};

class ReuseportSteering {
 public:
  // A socket listening in the group of (app, address).
  void joined(const std::string& app, const ListenAddress& address, SocketOwner owner, int fd);
  // A socket an earlier daemon opened, handed back by the keeper. That daemon's order of the
  // group is not known here, so no program could name its sockets rightly: the group goes to
  // the kernel's hash (problem() says so), and its workers retire without draining, unless
  // restore_order() gives the order back.
  void adopted(const std::string& app, const ListenAddress& address, SocketOwner owner, int fd);
  // A group's sockets in the kernel's order, as the next daemon needs them.
  struct GroupOrder {
    std::string app;
    std::string address;  // ListenAddress::to_string()
    std::vector<SocketOwner> sockets;
  };
  // The groups whose order is known (not those adopted and never restored).
  std::vector<GroupOrder> orders() const;
  // The earlier daemon's order of an adopted group. It is taken only when it names exactly
  // the group's sockets: every change of the order is a socket joining or leaving, each with
  // an owner never used again, so the same sockets mean the same order. Returns whether the
  // group is steered again.
  bool restore_order(const GroupOrder& saved);
  // After socket `fd` left the kernel's group (shut down or closed).
  void left(int fd);
  // From now on new connections to `app` go to the sockets of `accepting` only, or, when no
  // socket of a group is among them, wherever the kernel's hash sends them (today's way).
  // Kept for sockets that join later (a worker's own bind), until forget(app).
  void steer(const std::string& app, std::vector<SocketOwner> accepting);
  void forget(const std::string& app);
  // Whether `owner` has steered sockets, and each of its groups has another accepting socket:
  // only then can its connections go elsewhere while it drains.
  bool others_accept(const std::string& app, SocketOwner owner) const;
  // Why steering is off for `app` ("" when it works or has no reuseport TCP socket).
  std::string problem(const std::string& app) const;
  // "2 of 3 sockets accepting on 3000" for each group of `app`.
  std::string summary(const std::string& app) const;

 private:
  struct Member {
    int id;
    SocketOwner owner;
    int fd;
  };
  struct Group {
    std::string app;
    ListenAddress address;
    ReuseportOrder order;
    std::vector<Member> members;
    std::vector<std::uint32_t> attached;  // the indexes the attached program chooses among
    bool has_program = false;
    std::string problem;      // the kernel refused the program, or the order is not known
    bool order_known = true;  // false once an adopted socket joined, until restore_order
  };

  // Adds socket `fd` to the group of (app, address), made if new; the program is not touched.
  Group& add_member(const std::string& app, const ListenAddress& address, SocketOwner owner,
                    int fd);
  bool accepts(const std::string& app, SocketOwner owner) const;
  void apply(Group& group);

  std::vector<Group> groups_;
  std::map<std::string, std::vector<SocketOwner>> accepting_;
  int next_member_ = 0;
};

}  // namespace cxpm
