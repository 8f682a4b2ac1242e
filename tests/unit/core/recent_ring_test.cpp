#include "cxpm/core/recent_ring.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <iterator>
#include <string>
#include <vector>

using namespace cxpm;

namespace {

template <typename Ring>
std::vector<int> items_of(const Ring& ring) {
  return {ring.begin(), ring.end()};
}

}  // namespace

TEST_CASE("recent ring: keeps items in order until it is full") {
  RecentRing<int, 3> ring;
  CHECK(ring.empty());
  CHECK(ring.begin() == ring.end());
  ring.push(1);
  ring.push(2);
  CHECK(ring.size() == 2);
  CHECK(ring.back() == 2);
  CHECK(items_of(ring) == std::vector<int>{1, 2});
}

TEST_CASE("recent ring: once full, each push replaces the oldest") {
  RecentRing<int, 3> ring;
  for (int i = 1; i <= 7; ++i) ring.push(i);
  CHECK(ring.size() == 3);
  CHECK(ring.back() == 7);
  CHECK(items_of(ring) == std::vector<int>{5, 6, 7});
}

TEST_CASE("recent ring: from() keeps the last N of a longer history") {
  const std::vector<int> history{1, 2, 3, 4, 5};
  const auto ring = RecentRing<int, 2>::from(history);
  CHECK(items_of(ring) == std::vector<int>{4, 5});
  CHECK(items_of(RecentRing<int, 9>::from(history)) == history);
}

TEST_CASE("recent ring: works with standard algorithms, e.g. merging two histories") {
  RecentRing<int, 4> a;
  RecentRing<int, 4> b;
  for (int i : {1, 3, 5, 7, 9}) a.push(i);  // keeps 3 5 7 9
  for (int i : {2, 4}) b.push(i);
  std::vector<int> merged;
  std::ranges::merge(a, b, std::back_inserter(merged));
  CHECK(merged == std::vector<int>{2, 3, 4, 5, 7, 9});
  CHECK(items_of(RecentRing<int, 4>::from(merged)) == std::vector<int>{4, 5, 7, 9});
}

TEST_CASE("recent ring: holds strings, iterated through ->") {
  RecentRing<std::string, 2> ring;
  ring.push("first");
  ring.push("second");
  ring.push("third");
  CHECK(ring.begin()->size() == 6);  // "second"
  CHECK(ring.back() == "third");
}
