#include "server/split_args.h"

#include <cctype>

#include "fmt/format.h"

namespace tandem {
namespace {
int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }
}  // namespace

bool split_args(std::string_view line, std::vector<std::string>& out) {
  out.clear();
  size_t i = 0;
  const size_t n = line.size();
  for (;;) {
    while (i < n && is_space(line[i])) ++i;
    if (i >= n) return true;
    std::string current;
    bool in_double = false, in_single = false;
    for (;;) {
      if (in_double) {
        if (i >= n) return false;
        if (line[i] == '\\' && i + 3 < n && line[i + 1] == 'x' && hex_value(line[i + 2]) >= 0 &&
            hex_value(line[i + 3]) >= 0) {
          current.push_back(
              static_cast<char>(hex_value(line[i + 2]) * 16 + hex_value(line[i + 3])));
          i += 3;
        } else if (line[i] == '\\' && i + 1 < n) {
          ++i;
          switch (line[i]) {
            case 'n':
              current.push_back('\n');
              break;
            case 'r':
              current.push_back('\r');
              break;
            case 't':
              current.push_back('\t');
              break;
            case 'b':
              current.push_back('\b');
              break;
            case 'a':
              current.push_back('\a');
              break;
            default:
              current.push_back(line[i]);
              break;
          }
        } else if (line[i] == '"') {
          // A closing quote must be followed by a space or the end of the line.
          if (i + 1 < n && !is_space(line[i + 1])) return false;
          in_double = false;
          ++i;
          break;
        } else {
          current.push_back(line[i]);
        }
      } else if (in_single) {
        if (i >= n) return false;
        if (line[i] == '\\' && i + 1 < n && line[i + 1] == '\'') {
          ++i;
          current.push_back('\'');
        } else if (line[i] == '\'') {
          if (i + 1 < n && !is_space(line[i + 1])) return false;
          in_single = false;
          ++i;
          break;
        } else {
          current.push_back(line[i]);
        }
      } else {
        if (i >= n || is_space(line[i])) break;
        if (line[i] == '"') {
          in_double = true;
        } else if (line[i] == '\'') {
          in_single = true;
        } else {
          current.push_back(line[i]);
        }
      }
      ++i;
    }
    out.push_back(std::move(current));
  }
}

void append_repr(std::string& out, std::string_view s) {
  out.push_back('"');
  for (unsigned char c : s) {
    switch (c) {
      case '\\':
      case '"':
        out.push_back('\\');
        out.push_back(static_cast<char>(c));
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\r':
        out.append("\\r");
        break;
      case '\t':
        out.append("\\t");
        break;
      case '\a':
        out.append("\\a");
        break;
      case '\b':
        out.append("\\b");
        break;
      default:
        if (c >= 0x20 && c < 0x7f) {
          out.push_back(static_cast<char>(c));
        } else {
          fmt::format_to(std::back_inserter(out), "\\x{:02x}", c);
        }
    }
  }
  out.push_back('"');
}

std::string repr(std::string_view s) {
  std::string out;
  append_repr(out, s);
  return out;
}

}  // namespace tandem
