#include "cxpm/core/instances.hpp"

#include <doctest/doctest.h>

#include <vector>

using namespace cxpm;

TEST_CASE("instances: pm2's counting rules") {
  CHECK(resolve_instance_count(3, 8) == 3);
  CHECK(resolve_instance_count(0, 8) == 8);
  CHECK(resolve_instance_count(-1, 8) == 7);
  CHECK(resolve_instance_count(-9, 8) == 1);
  CHECK(resolve_instance_count(0, 1) == 1);
}

TEST_CASE("instances: the lowest free index fills gaps first") {
  CHECK(lowest_free_index(std::vector<int>{}) == 0);
  CHECK(lowest_free_index(std::vector<int>{0, 1, 2}) == 3);
  CHECK(lowest_free_index(std::vector<int>{0, 2, 3}) == 1);
  CHECK(lowest_free_index(std::vector<int>{1, 2}) == 0);
}

TEST_CASE("instances: scale requests are absolute or relative, never below one") {
  CHECK(scaled_count("4", 2) == 4);
  CHECK(scaled_count("+2", 2) == 4);
  CHECK(scaled_count("-1", 2) == 1);
  CHECK_FALSE(scaled_count("-2", 2).has_value());
  CHECK_FALSE(scaled_count("0", 2).has_value());
  CHECK_FALSE(scaled_count("two", 2).has_value());
  CHECK_FALSE(scaled_count("+", 2).has_value());
  CHECK_FALSE(scaled_count("", 2).has_value());
}
