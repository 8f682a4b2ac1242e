#include "cxpm/core/log_rotation.hpp"

#include <doctest/doctest.h>

#include <algorithm>

using namespace cxpm;

namespace {

const CivilTime kMoment{2024, 5, 1, 13, 2, 3, 0, 0};

}  // namespace

TEST_CASE("log rotation: pm2-logrotate's names") {
  CHECK(rotated_path("/home/u/.cxpm/logs/api-out.log", kMoment) ==
        "/home/u/.cxpm/logs/api-out__2024-05-01_13-02-03.log");
  CHECK(rotated_path("/l/api-out-1.log", kMoment, 2) == "/l/api-out-1__2024-05-01_13-02-03_2.log");
  CHECK(rotated_path("/l/my.app.log", kMoment) == "/l/my.app__2024-05-01_13-02-03.log");
  CHECK(rotated_path("/l/output", kMoment) == "/l/output__2024-05-01_13-02-03");
  CHECK(rotated_path("relative.log", kMoment) == "relative__2024-05-01_13-02-03.log");
}

TEST_CASE("log rotation: names are read back") {
  auto plain = parse_rotated_name("api-out.log", "api-out__2024-05-01_13-02-03.log");
  REQUIRE(plain);
  CHECK(plain->stamp == "2024-05-01_13-02-03");
  CHECK(plain->sequence == 1);
  CHECK_FALSE(plain->compressed);
  auto second = parse_rotated_name("api-out.log", "api-out__2024-05-01_13-02-03_12.log.gz");
  REQUIRE(second);
  CHECK(second->sequence == 12);
  CHECK(second->compressed);
}

TEST_CASE("log rotation: other files are not rotations") {
  for (const char* name :
       {"api-out.log", "api-out-1__2024-05-01_13-02-03.log", "api-out__2024-05-01_13-02-03.txt",
        "api-out__2024-05-01.log", "api-out__2024-05-01_13-02-03_1.log",
        "api-out__2024-05-01_13-02-03_x.log", "api-out__2024-05-01_13-02-0x.log",
        "api-error__2024-05-01_13-02-03.log"}) {
    CAPTURE(name);
    CHECK_FALSE(parse_rotated_name("api-out.log", name));
  }
}

TEST_CASE("log rotation: keeps the newest `retain`, oldest deleted first") {
  const std::vector<std::string> names{
      "api-out.log",
      "api-out__2024-05-01_13-02-03_10.log.gz",
      "api-out__2024-05-01_13-02-03_2.log.gz",
      "api-out__2024-05-01_13-02-03.log.gz",
      "api-out__2024-04-30_23-59-59.log.gz",
      "api-out__2024-05-02_00-00-00.log",
      "api-out__2024-05-02_00-00-00.log.gz",  // being compressed: one rotation
      "api-error__2023-01-01_00-00-00.log",
      "unrelated.txt",
  };
  CHECK(rotations_to_delete("api-out.log", names, 2) ==
        std::vector<std::string>{"api-out__2024-04-30_23-59-59.log.gz",
                                 "api-out__2024-05-01_13-02-03.log.gz",
                                 "api-out__2024-05-01_13-02-03_2.log.gz"});
  CHECK(rotations_to_delete("api-out.log", names, 5).empty());
  CHECK(rotations_to_delete("api-out.log", names, 0).size() == 6);
}

TEST_CASE("log rotation: empty rotations never push out history") {
  // A full disk once made an empty rotated file every few seconds; `retain` must keep the
  // files that hold lines, and the empty ones go.
  const std::vector<DirectoryEntry> files{
      {"api-out.log", 0},
      {"api-out__2024-05-01_10-00-00.log", 2 << 20},
      {"api-out__2024-05-01_11-00-00.log.gz", 0},  // compressed: holds something
      {"api-out__2024-05-01_12-00-00.log", 0},
      {"api-out__2024-05-01_12-00-04.log", 0},
      {"api-out__2024-05-01_12-00-08.log", 0},
  };
  CHECK(rotations_to_delete("api-out.log", files, 2) ==
        std::vector<std::string>{"api-out__2024-05-01_12-00-00.log",
                                 "api-out__2024-05-01_12-00-04.log",
                                 "api-out__2024-05-01_12-00-08.log"});
  CHECK(rotations_to_delete("api-out.log", files, 1) ==
        std::vector<std::string>{
            "api-out__2024-05-01_10-00-00.log", "api-out__2024-05-01_12-00-00.log",
            "api-out__2024-05-01_12-00-04.log", "api-out__2024-05-01_12-00-08.log"});
}

TEST_CASE("log rotation: a new rotation sorts after every earlier one of its second") {
  CHECK(next_rotation_sequence("api-out.log", kMoment, {"api-out.log"}) == 1);
  CHECK(next_rotation_sequence(
            "api-out.log", kMoment,
            {"api-out__2024-05-01_13-02-03.log", "api-out__2024-05-01_13-02-03_9.log.gz",
             "api-out__2024-05-01_13-02-02_40.log"}) == 10);
  // `retain` deleted the first rotations of this second: their numbers are not reused, or the
  // newest file would sort first and be the next one deleted.
  CHECK(next_rotation_sequence(
            "api-out.log", kMoment,
            {"api-out__2024-05-01_13-02-03_5.log", "api-out__2024-05-01_13-02-03_6.log"}) == 7);
}

TEST_CASE("log rotation: many rotations in one second keep the newest, at any count") {
  // The rotation loop as the writer runs it: name the next, then apply retain 2.
  std::vector<std::string> names{"api-out.log"};
  std::vector<std::string> order;  // every rotation made, oldest first
  for (int round = 0; round < 25; ++round) {
    const int sequence = next_rotation_sequence("api-out.log", kMoment, names);
    const std::string path = rotated_path("api-out.log", kMoment, sequence);
    names.push_back(path);
    order.push_back(path);
    for (const auto& doomed : rotations_to_delete("api-out.log", names, 2)) {
      std::erase(names, doomed);
    }
  }
  std::erase(names, std::string("api-out.log"));
  std::ranges::sort(names);
  std::vector<std::string> newest{order[order.size() - 2], order.back()};
  std::ranges::sort(newest);
  CHECK(names == newest);
  CHECK(order.back() == "api-out__2024-05-01_13-02-03_25.log");
}
