#pragma once
// The terminal under `cxpm monit`, through ncurses: taken over while the object lives (the
// alternate screen, keys read one at a time without echo) and given back as it was when it
// goes, however the dashboard ends. The only file that includes curses.h is its source.

#include <cstddef>
#include <string>
#include <vector>

#include "cxpm/cli/monit_layout.hpp"
#include "cxpm/cli/monit_view.hpp"
#include "cxpm/core/sparkline.hpp"

namespace cxpm {

class MonitScreen {
 public:
  // Throws CliError when the terminal cannot be driven (an unknown TERM).
  MonitScreen();
  ~MonitScreen();
  MonitScreen(const MonitScreen&) = delete;
  MonitScreen& operator=(const MonitScreen&) = delete;

  // Unicode bars and arrows on a UTF-8 terminal, ASCII on any other.
  Glyphs glyphs() const { return glyphs_; }

  // The keys typed since the last call (never waits). A resize is taken in here: the next
  // layout() and draw() are for the new size.
  std::vector<MonitKey> read_keys();

  MonitLayout layout(const MonitView& view) const;

  // Draws everything; `title` is the top line.
  void draw(const MonitView& view, const std::string& title);

 private:
  void draw_table(const MonitView& view, const MonitLayout& layout);
  void draw_logs(const MonitView& view, const MonitLayout& layout);

  void* screen_ = nullptr;  // ncurses' SCREEN, kept opaque so curses.h stays in one file
  Glyphs glyphs_ = Glyphs::kAscii;
  std::size_t first_process_ = 0;  // the table's scroll
};

}  // namespace cxpm
