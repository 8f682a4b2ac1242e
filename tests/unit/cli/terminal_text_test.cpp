#include "cxpm/cli/terminal_text.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace cxpm;

TEST_CASE("printable text: escape sequences are taken out, the words kept") {
  CHECK(printable_text("\x1b[1;31merror\x1b[0m: disk full") == "error: disk full");
  CHECK(printable_text("\x1b]0;my title\a after") == " after");
  CHECK(printable_text("\x1b]2;title\x1b\\after") == "after");
  CHECK(printable_text("a\x1b"
                       "7b") == "ab");  // ESC 7: save the cursor
  CHECK(printable_text("cut off \x1b[12") == "cut off ");
  CHECK(printable_text("\x1b") == "");
}

TEST_CASE("printable text: control characters dropped, tabs to the next stop") {
  CHECK(printable_text("progress 10%\rprogress 20%") == "progress 10%progress 20%");
  CHECK(printable_text("bell\a\x7f") == "bell");
  CHECK(printable_text("a\tb") == "a       b");
  CHECK(printable_text("1234567\tx") == "1234567 x");
  CHECK(printable_text("\xc2\x9b"
                       "31m") == "31m");  // C1 CSI
}

TEST_CASE("printable text: UTF-8 kept, other bytes become '?'") {
  CHECK(printable_text("héllo ▁█") == "héllo ▁█");
  CHECK(printable_text("bad \xff byte") == "bad ? byte");
  CHECK(printable_text("cut \xe2\x96") == "cut ??");
  CHECK(printable_text("\x80") == "?");
  CHECK(printable_text("\xc0\xaf") == "??");  // overlong '/'
}

TEST_CASE("columns: one per code point; fitting never splits one") {
  CHECK(text_columns("") == 0);
  CHECK(text_columns("abc") == 3);
  CHECK(text_columns("▁▂▃") == 3);
  CHECK(fit_columns("héllo", 2) == "hé");
  CHECK(fit_columns("héllo", 10) == "héllo");
  CHECK(fit_columns("▁▂▃", 0).empty());
  CHECK(pad_columns("ab", 4) == "ab  ");
  CHECK(pad_columns("▁▂▃", 2) == "▁▂");
  CHECK(pad_columns("abc", 0).empty());
}
