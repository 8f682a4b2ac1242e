#include "cxpm/daemon/reuseport_steering.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <iterator>

#include "cxpm/sys/reuseport_filter.hpp"

namespace cxpm {

ReuseportSteering::Group& ReuseportSteering::add_member(const std::string& app,
                                                        const ListenAddress& address,
                                                        SocketOwner owner, int fd) {
  auto group = std::ranges::find_if(groups_, [&](const Group& candidate) {
    return candidate.app == app && candidate.address.same_as(address);
  });
  if (group == groups_.end()) {
    groups_.push_back({app, address, {}, {}, {}, false, {}});
    group = std::prev(groups_.end());
  }
  const int id = next_member_++;
  group->members.push_back({id, owner, fd});
  group->order.joined(id);
  return *group;
}

void ReuseportSteering::joined(const std::string& app, const ListenAddress& address,
                               SocketOwner owner, int fd) {
  apply(add_member(app, address, owner, fd));
}

void ReuseportSteering::adopted(const std::string& app, const ListenAddress& address,
                                SocketOwner owner, int fd) {
  Group* group = &add_member(app, address, owner, fd);
  group->order_known = false;
  if (!group->problem.empty()) return;
  // The earlier daemon's program names indexes of an order this one does not know; one that
  // leaves every choice to the kernel's hash replaces it.
  group->problem =
      "its sockets were adopted from an earlier daemon, whose order of the group "
      "is not known; the kernel's hash spreads connections";
  if (auto failure = attach_reuseport_filter(fd, {})) group->problem += " (" + *failure + ")";
}

std::vector<ReuseportSteering::GroupOrder> ReuseportSteering::orders() const {
  std::vector<GroupOrder> out;
  for (const auto& group : groups_) {
    if (!group.order_known) continue;
    GroupOrder order{group.app, group.address.to_string(), {}};
    for (const int id : group.order.members()) {
      const auto member =
          std::ranges::find_if(group.members, [id](const Member& m) { return m.id == id; });
      if (member != group.members.end()) order.sockets.push_back(member->owner);
    }
    out.push_back(std::move(order));
  }
  return out;
}

bool ReuseportSteering::restore_order(const GroupOrder& saved) {
  const auto group = std::ranges::find_if(groups_, [&](const Group& candidate) {
    return candidate.app == saved.app && candidate.address.to_string() == saved.address;
  });
  if (group == groups_.end() || group->order_known ||
      saved.sockets.size() != group->members.size()) {
    return false;
  }
  ReuseportOrder order;
  for (const auto& owner : saved.sockets) {
    const auto member =
        std::ranges::find_if(group->members, [&](const Member& m) { return m.owner == owner; });
    if (member == group->members.end() || order.index_of(member->id)) return false;
    order.joined(member->id);
  }
  group->order = std::move(order);
  group->order_known = true;
  group->problem.clear();
  group->has_program = false;
  apply(*group);
  return group->problem.empty();
}

void ReuseportSteering::left(int fd) {
  for (auto& group : groups_) {
    const auto member =
        std::ranges::find_if(group.members, [fd](const Member& m) { return m.fd == fd; });
    if (member == group.members.end()) continue;
    group.order.left(member->id);
    group.members.erase(member);
    // The moved socket's index changed: the program must name it by its new one. (Until
    // then, the index that fell off the end makes the kernel choose by hash.)
    if (!group.members.empty()) apply(group);
  }
  std::erase_if(groups_, [](const Group& group) { return group.members.empty(); });
}

void ReuseportSteering::steer(const std::string& app, std::vector<SocketOwner> accepting) {
  accepting_[app] = std::move(accepting);
  for (auto& group : groups_) {
    if (group.app == app) apply(group);
  }
}

void ReuseportSteering::forget(const std::string& app) {
  accepting_.erase(app);
}

bool ReuseportSteering::accepts(const std::string& app, SocketOwner owner) const {
  const auto found = accepting_.find(app);
  return found != accepting_.end() &&
         std::ranges::find(found->second, owner) != found->second.end();
}

bool ReuseportSteering::others_accept(const std::string& app, SocketOwner owner) const {
  bool has_sockets = false;
  for (const auto& group : groups_) {
    if (group.app != app) continue;
    const bool owns = std::ranges::any_of(
        group.members, [&](const Member& member) { return member.owner == owner; });
    if (!owns) continue;
    has_sockets = true;
    if (!group.problem.empty()) return false;
    const bool other = std::ranges::any_of(group.members, [&](const Member& member) {
      return !(member.owner == owner) && accepts(app, member.owner);
    });
    if (!other) return false;
  }
  return has_sockets;
}

std::string ReuseportSteering::problem(const std::string& app) const {
  for (const auto& group : groups_) {
    if (group.app == app && !group.problem.empty()) return group.problem;
  }
  return {};
}

std::string ReuseportSteering::summary(const std::string& app) const {
  std::string out;
  for (const auto& group : groups_) {
    if (group.app != app) continue;
    if (!out.empty()) out += ", ";
    out += std::to_string(group.attached.size()) + " of " + std::to_string(group.members.size()) +
           " sockets accepting on " + group.address.to_string();
  }
  return out;
}

void ReuseportSteering::apply(Group& group) {
  if (!group.problem.empty()) return;
  std::vector<std::uint32_t> indexes;
  for (const auto& member : group.members) {
    if (accepts(group.app, member.owner)) indexes.push_back(*group.order.index_of(member.id));
  }
  std::ranges::sort(indexes);
  if (group.has_program && indexes == group.attached) return;
  // Any member attaches for the whole group: the program belongs to the group.
  if (auto failure = attach_reuseport_filter(group.members.front().fd, indexes)) {
    group.problem = "the kernel refused the program: " + *failure;
    spdlog::warn(
        "{}: connections to {} are not steered ({}); reloads and scale-downs stop "
        "workers without draining them",
        group.app, group.address.to_string(), *failure);
    return;
  }
  group.attached = std::move(indexes);
  group.has_program = true;
}

}  // namespace cxpm
