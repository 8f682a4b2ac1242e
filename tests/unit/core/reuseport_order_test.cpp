#include "cxpm/core/reuseport_order.hpp"

#include <doctest/doctest.h>

using namespace cxpm;

TEST_CASE("reuseport order: sockets take the next index as they listen") {
  ReuseportOrder order;
  order.joined(10);
  order.joined(11);
  order.joined(12);
  CHECK(order.index_of(10) == 0u);
  CHECK(order.index_of(12) == 2u);
  CHECK_FALSE(order.index_of(13).has_value());
  order.joined(11);  // already there: no second place
  CHECK(order.members().size() == 3);
}

TEST_CASE("reuseport order: the last socket fills the place of one that leaves") {
  ReuseportOrder order;
  for (int member : {1, 2, 3, 4}) order.joined(member);
  order.left(2);
  CHECK(order.members() == std::vector<int>{1, 4, 3});
  order.left(3);  // the last one: nothing moves
  CHECK(order.members() == std::vector<int>{1, 4});
  order.left(9);  // unknown: nothing changes
  CHECK(order.members() == std::vector<int>{1, 4});
  order.joined(5);
  CHECK(order.index_of(5) == 2u);
  order.left(1);
  order.left(4);
  order.left(5);
  CHECK(order.empty());
}
