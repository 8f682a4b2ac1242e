#include "cxpm/cli/monit_screen.hpp"

#include <curses.h>
#include <fmt/format.h>
#include <langinfo.h>

#include <clocale>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "cxpm/cli/client.hpp"
#include "cxpm/cli/monit_text.hpp"
#include "cxpm/cli/terminal_text.hpp"

namespace cxpm {
namespace {

enum ColorPair : short { kGreen = 1, kRed, kYellow };

// A key's meaning; KEY_RESIZE and keys that mean nothing are kOther.
MonitKey key_of(int key) {
  switch (key) {
    case KEY_UP:
    case 'k':
      return MonitKey::kUp;
    case KEY_DOWN:
    case 'j':
      return MonitKey::kDown;
    case KEY_PPAGE:
      return MonitKey::kPageUp;
    case KEY_NPAGE:
    case ' ':
      return MonitKey::kPageDown;
    case KEY_HOME:
    case 'g':
      return MonitKey::kHome;
    case KEY_END:
    case 'G':
      return MonitKey::kEnd;
    case 'r':
      return MonitKey::kRestart;
    case 'l':
      return MonitKey::kReload;
    case 's':
      return MonitKey::kStop;
    case 'y':
    case 'Y':
      return MonitKey::kConfirm;
    case 'q':
    case 'Q':
      return MonitKey::kQuit;
    default:
      return MonitKey::kOther;
  }
}

attr_t status_attributes(Status status) {
  switch (status) {
    case Status::kOnline:
      return COLOR_PAIR(kGreen) | A_BOLD;
    case Status::kErrored:
    case Status::kUnhealthy:
      return COLOR_PAIR(kRed) | A_BOLD;
    case Status::kStopped:
      return A_DIM;
    default:
      return COLOR_PAIR(kYellow);
  }
}

// `text` at the start of `row`, cut to `width` columns so nothing wraps onto the next row.
void put_line(int row, const std::string& text, std::size_t width, attr_t attributes = A_NORMAL) {
  const std::string_view fitted = fit_columns(text, width);
  attron(attributes);
  mvaddnstr(row, 0, fitted.data(), static_cast<int>(fitted.size()));
  attroff(attributes);
}

}  // namespace

MonitScreen::MonitScreen() {
  // The locale says whether the terminal takes UTF-8 (the bars and arrows) or only ASCII.
  std::setlocale(LC_CTYPE, "");
  const char* codeset = nl_langinfo(CODESET);
  glyphs_ = codeset && std::strcmp(codeset, "UTF-8") == 0 ? Glyphs::kUnicode : Glyphs::kAscii;
  // newterm, not initscr, which would print its own error and exit() on an unknown TERM.
  SCREEN* screen = newterm(nullptr, stdout, stdin);
  if (!screen) {
    const char* term = std::getenv("TERM");
    throw CliError(std::string("monit cannot drive this terminal (TERM=") + (term ? term : "") +
                   "); try `cxpm ls` or `cxpm jlist`");
  }
  screen_ = screen;
  set_escdelay(25);  // Esc-prefixed keys (arrows) arrive together; do not wait a second
  cbreak();          // Ctrl-C stays a signal, which ends the dashboard as q does
  noecho();
  nonl();
  keypad(stdscr, TRUE);
  nodelay(stdscr, TRUE);
  curs_set(0);
  if (has_colors()) {
    start_color();
    use_default_colors();
    init_pair(kGreen, COLOR_GREEN, -1);
    init_pair(kRed, COLOR_RED, -1);
    init_pair(kYellow, COLOR_YELLOW, -1);
  }
}

MonitScreen::~MonitScreen() {
  endwin();
  delscreen(static_cast<SCREEN*>(screen_));
}

std::vector<MonitKey> MonitScreen::read_keys() {
  std::vector<MonitKey> keys;
  for (int key = getch(); key != ERR; key = getch()) {
    // A resize: ncurses has already taken the new size (LINES, COLS); drawing follows it.
    if (key != KEY_RESIZE) keys.push_back(key_of(key));
  }
  return keys;
}

MonitLayout MonitScreen::layout(const MonitView& view) const {
  return monit_layout(COLS, LINES, view.processes().size(),
                      view.table_widths(restarts_header(glyphs_)));
}

void MonitScreen::draw(const MonitView& view, const std::string& title) {
  const MonitLayout layout = this->layout(view);
  const auto width = static_cast<std::size_t>(COLS);
  erase();
  if (!layout.fits) {
    // Short lines, so they can be read on the smallest terminal.
    put_line(0, "Too small for monit:", width);
    put_line(1, fmt::format("needs {}x{}, is {}x{}.", kMinMonitWidth, kMinMonitHeight, COLS, LINES),
             width);
    put_line(2, "q quits.", width);
    refresh();
    return;
  }
  put_line(layout.title_row, title, width, A_BOLD);
  draw_table(view, layout);
  draw_logs(view, layout);
  put_line(layout.message_row, view.message(), width);
  // Never the bottom-right cell: writing there makes some terminals scroll.
  put_line(layout.help_row, monit_help(glyphs_, width - 1), width - 1, A_REVERSE);
  refresh();
}

void MonitScreen::draw_table(const MonitView& view, const MonitLayout& layout) {
  const auto width = static_cast<std::size_t>(layout.width);
  put_line(layout.header_row, monit_header(layout.columns, glyphs_), width, A_BOLD | A_UNDERLINE);
  const auto& processes = view.processes();
  if (processes.empty()) {
    put_line(layout.first_process_row, "  No apps yet: start one with `cxpm start <script>`.",
             width);
    return;
  }
  const auto rows = static_cast<std::size_t>(layout.process_rows);
  first_process_ = first_shown(first_process_, view.selected_index(), rows, processes.size());
  for (std::size_t shown = 0; shown < rows && first_process_ + shown < processes.size(); ++shown) {
    const std::size_t index = first_process_ + shown;
    const ProcessInfo& process = processes[index];
    const bool selected = index == view.selected_index();
    const ProcessRowText row =
        monit_process_row(process, layout.columns, view.cpu_history(process.id),
                          view.memory_history(process.id), selected, glyphs_);
    const int y = layout.first_process_row + static_cast<int>(shown);
    put_line(y, row.text, width, selected ? A_REVERSE : A_NORMAL);
    if (row.status_column < width) {
      const attr_t attributes = status_attributes(process.status) | (selected ? A_REVERSE : 0);
      mvchgat(y, static_cast<int>(row.status_column), static_cast<int>(layout.columns.status),
              attributes & ~A_COLOR, static_cast<short>(PAIR_NUMBER(attributes)), nullptr);
    }
  }
}

void MonitScreen::draw_logs(const MonitView& view, const MonitLayout& layout) {
  const auto width = static_cast<std::size_t>(layout.width);
  put_line(layout.log_title_row,
           monit_log_title(view.selected(), view.log_scroll(), width, glyphs_), width, A_BOLD);
  const auto lines = view.visible_logs(static_cast<std::size_t>(layout.log_rows));
  int y = layout.first_log_row;
  for (const auto line : lines) {
    const std::string text(line);
    put_line(y, text, width);
    // The stream's tag ("err |") in red, so errors stand out among the lines.
    if (text.starts_with("err")) mvchgat(y, 0, 3, A_BOLD, kRed, nullptr);
    ++y;
  }
}

}  // namespace cxpm
