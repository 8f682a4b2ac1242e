#include "cxpm/config/units.hpp"

#include <doctest/doctest.h>

namespace cxpm {
namespace {

using std::chrono::milliseconds;

TEST_CASE("parse_duration reads a plain number as milliseconds, as pm2 does") {
  CHECK(parse_duration("1500") == milliseconds(1500));
  CHECK(parse_duration("0") == milliseconds(0));
}

TEST_CASE("parse_duration reads units") {
  CHECK(parse_duration("250ms") == milliseconds(250));
  CHECK(parse_duration("5s") == milliseconds(5000));
  CHECK(parse_duration("1.5s") == milliseconds(1500));
  CHECK(parse_duration("2m") == milliseconds(120'000));
  CHECK(parse_duration("2min") == milliseconds(120'000));
  CHECK(parse_duration("1h") == milliseconds(3'600'000));
  CHECK(parse_duration("1d") == milliseconds(86'400'000));
  CHECK(parse_duration("5S") == milliseconds(5000));
  CHECK(parse_duration("10 s") == milliseconds(10'000));
  CHECK(parse_duration(" 3s ") == milliseconds(3000));
  CHECK(parse_duration("0.25s") == milliseconds(250));
  CHECK(parse_duration("1.0005s") == milliseconds(1000));  // below a millisecond is dropped
}

TEST_CASE("parse_duration rejects what is not a duration") {
  CHECK_FALSE(parse_duration(""));
  CHECK_FALSE(parse_duration("s"));
  CHECK_FALSE(parse_duration("-5s"));
  CHECK_FALSE(parse_duration("5 parsecs"));
  CHECK_FALSE(parse_duration("5sec"));
  CHECK_FALSE(parse_duration("1.s"));
  CHECK_FALSE(parse_duration(".5s"));
  CHECK_FALSE(parse_duration("1,5s"));
  CHECK_FALSE(parse_duration("5s5"));
  CHECK_FALSE(parse_duration("99999999999999999999"));
  CHECK_FALSE(parse_duration("9999999999999999d"));
}

TEST_CASE("parse_bytes reads plain bytes and binary units") {
  CHECK(parse_bytes("512") == 512u);
  CHECK(parse_bytes("512K") == 512u * 1024);
  CHECK(parse_bytes("300M") == 300u * 1024 * 1024);
  CHECK(parse_bytes("1G") == 1024u * 1024 * 1024);
  CHECK(parse_bytes("2T") == 2ull * 1024 * 1024 * 1024 * 1024);
  CHECK(parse_bytes("10MB") == 10u * 1024 * 1024);
  CHECK(parse_bytes("10mb") == 10u * 1024 * 1024);
  CHECK(parse_bytes("1GiB") == 1024u * 1024 * 1024);
  CHECK(parse_bytes("1.5K") == 1536u);
  CHECK(parse_bytes("100B") == 100u);
  CHECK(parse_bytes("1 G") == 1024u * 1024 * 1024);
}

TEST_CASE("parse_bytes rejects what is not a size") {
  CHECK_FALSE(parse_bytes(""));
  CHECK_FALSE(parse_bytes("M"));
  CHECK_FALSE(parse_bytes("-1M"));
  CHECK_FALSE(parse_bytes("10X"));
  CHECK_FALSE(parse_bytes("10MBB"));
  CHECK_FALSE(parse_bytes("lots"));
  CHECK_FALSE(parse_bytes("99999999999T"));
}

TEST_CASE("format_bytes picks a binary unit with one decimal") {
  CHECK(format_bytes(0) == "0 B");
  CHECK(format_bytes(1023) == "1023 B");
  CHECK(format_bytes(1024) == "1.0 KiB");
  CHECK(format_bytes(1536) == "1.5 KiB");
  CHECK(format_bytes(12'897'484) == "12.3 MiB");
  CHECK(format_bytes(2ull * 1024 * 1024 * 1024) == "2.0 GiB");
  CHECK(format_bytes(1024 * 1024 - 1) == "1.0 MiB");  // not "1024.0 KiB"
}

TEST_CASE("format_duration shows the two largest units") {
  CHECK(format_duration(milliseconds(0)) == "0ms");
  CHECK(format_duration(milliseconds(850)) == "850ms");
  CHECK(format_duration(milliseconds(12'400)) == "12s");
  CHECK(format_duration(milliseconds((3 * 60 + 12) * 1000)) == "3m 12s");
  CHECK(format_duration(milliseconds(3 * 60 * 1000)) == "3m");
  CHECK(format_duration(milliseconds((5 * 60 + 2) * 60 * 1000)) == "5h 2m");
  CHECK(format_duration(milliseconds((2 * 24 + 4) * 3600 * 1000)) == "2d 4h");
  CHECK(format_duration(milliseconds(-5)) == "0ms");
}

}  // namespace
}  // namespace cxpm
