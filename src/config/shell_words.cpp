#include "cxpm/config/shell_words.hpp"

namespace cxpm {

std::optional<std::vector<std::string>> split_shell_words(std::string_view text,
                                                          std::string* error) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == ' ' || c == '\t' || c == '\n') {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
      continue;
    }
    in_word = true;
    if (c == '\\') {
      if (i + 1 < text.size()) ++i;
      word += text[i];
    } else if (c == '\'') {
      const std::size_t end = text.find('\'', i + 1);
      if (end == std::string_view::npos) {
        *error = "unterminated single quote";
        return std::nullopt;
      }
      word += text.substr(i + 1, end - i - 1);
      i = end;
    } else if (c == '"') {
      ++i;
      for (; i < text.size() && text[i] != '"'; ++i) {
        // Inside double quotes a backslash escapes only the characters the shell lists.
        if (text[i] == '\\' && i + 1 < text.size() &&
            std::string_view("\"\\$`").find(text[i + 1]) != std::string_view::npos) {
          ++i;
        }
        word += text[i];
      }
      if (i == text.size()) {
        *error = "unterminated double quote";
        return std::nullopt;
      }
    } else {
      word += c;
    }
  }
  if (in_word) words.push_back(std::move(word));
  return words;
}

}  // namespace cxpm
