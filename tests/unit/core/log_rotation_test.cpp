#include "cxpm/core/log_rotation.hpp"

#include <doctest/doctest.h>

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
