#include "cxpm/core/dependency_graph.hpp"

#include <doctest/doctest.h>

namespace cxpm {

using Waves = std::vector<std::vector<std::size_t>>;

TEST_CASE("no cycle in a chain, a diamond, or with names outside the nodes") {
  CHECK(find_dependency_cycle({{"a", {}}, {"b", {"a"}}, {"c", {"b"}}}).empty());
  CHECK(find_dependency_cycle({{"a", {}}, {"b", {"a"}}, {"c", {"a"}}, {"d", {"b", "c"}}}).empty());
  CHECK(find_dependency_cycle({{"a", {"elsewhere"}}}).empty());
  CHECK(find_dependency_cycle({}).empty());
}

TEST_CASE("a cycle is named along its edges, the first name again at the end") {
  const std::vector<std::string> two{"a", "b", "a"};
  CHECK(find_dependency_cycle({{"a", {"b"}}, {"b", {"a"}}}) == two);
  const std::vector<std::string> self{"a", "a"};
  CHECK(find_dependency_cycle({{"a", {"a"}}}) == self);
  // The path into the cycle is not part of it.
  const std::vector<std::string> three{"b", "c", "d", "b"};
  CHECK(find_dependency_cycle({{"a", {"b"}}, {"b", {"c"}}, {"c", {"d"}}, {"d", {"b"}}}) == three);
  CHECK(cycle_text(three) == "b → c → d → b");
}

TEST_CASE("start waves: each app after what it depends on, in the given order within a wave") {
  CHECK(dependency_waves({{"c", {"b"}}, {"b", {"a"}}, {"a", {}}}) == Waves{{2}, {1}, {0}});
  CHECK(dependency_waves({{"a", {}}, {"b", {"a"}}, {"x", {}}, {"c", {"a", "b"}}}) ==
        Waves{{0, 2}, {1}, {3}});
}

TEST_CASE("stop waves: dependents before what they depend on") {
  CHECK(dependency_waves({{"a", {}}, {"b", {"a"}}, {"c", {"b"}}}, true) == Waves{{2}, {1}, {0}});
  // An app nothing depends on goes in the first wave.
  CHECK(dependency_waves({{"a", {}}, {"x", {}}, {"b", {"a"}}}, true) == Waves{{1, 2}, {0}});
}

TEST_CASE("a chain of 200,000 apps is walked without recursion (a file's length is no stack)") {
  std::vector<DependencyNode> chain;
  for (int i = 0; i < 200000; ++i) {
    chain.push_back({"app" + std::to_string(i), {}});
    if (i > 0) chain.back().depends_on.push_back("app" + std::to_string(i - 1));
  }
  CHECK(find_dependency_cycle(chain).empty());
  const Waves waves = dependency_waves(chain);
  REQUIRE(waves.size() == 200000);
  CHECK(waves.back() == std::vector<std::size_t>{199999});
  chain.front().depends_on.push_back("app199999");  // closes the chain into a ring
  CHECK(find_dependency_cycle(chain).size() == 200001);
}

TEST_CASE("waves refuse a graph with a cycle") {
  CHECK_THROWS(dependency_waves({{"a", {"b"}}, {"b", {"a"}}}));
}

}  // namespace cxpm
