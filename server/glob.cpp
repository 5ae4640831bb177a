#include "server/glob.h"

#include <utility>

namespace tandem {
namespace {

constexpr int kMaxNesting = 1000;

// ASCII-only folding, as tolower() does in the C locale Redis runs in.
int fold(int c) { return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c; }

// Redis compares bytes as (signed) char, which matters for ranges over bytes >= 0x80.
int byte_at(std::string_view s, size_t i) { return static_cast<signed char>(s[i]); }

// A line-by-line port of stringmatchlen_impl; `p`/`s` play the pattern/string pointers.
bool match_impl(std::string_view pattern, std::string_view str, bool nocase,
                bool& skip_longer_matches, int nesting) {
  // Each non-adjacent '*' recurses once; a hostile pattern must not exhaust the stack. Redis
  // 7.2.6+ has the same cap (7.0.15 has none and can crash on such a pattern).
  if (nesting > kMaxNesting) return false;
  size_t p = 0, s = 0;
  while (p < pattern.size() && s < str.size()) {
    switch (pattern[p]) {
      case '*': {
        while (p + 1 < pattern.size() && pattern[p + 1] == '*') ++p;
        if (p + 1 == pattern.size()) return true;
        while (s < str.size()) {
          if (match_impl(pattern.substr(p + 1), str.substr(s), nocase, skip_longer_matches,
                         nesting + 1)) {
            return true;
          }
          if (skip_longer_matches) return false;
          ++s;
        }
        // The rest of the pattern matches nowhere in the rest of the string: giving an earlier
        // star a longer run cannot help, so the whole match fails.
        skip_longer_matches = true;
        return false;
      }
      case '?':
        ++s;
        break;
      case '[': {
        ++p;
        bool negate = p < pattern.size() && pattern[p] == '^';
        if (negate) ++p;
        bool matched = false;
        const int c = byte_at(str, s);
        for (;;) {
          if (p >= pattern.size()) {
            // Unterminated class: step back so the shared `++p` below lands on the end.
            --p;
            break;
          }
          if (pattern[p] == '\\' && pattern.size() - p >= 2) {
            ++p;
            if (byte_at(pattern, p) == c) matched = true;
          } else if (pattern[p] == ']') {
            break;
          } else if (pattern.size() - p >= 3 && pattern[p + 1] == '-') {
            int start = byte_at(pattern, p);
            int end = byte_at(pattern, p + 2);
            int ch = c;
            if (start > end) std::swap(start, end);
            if (nocase) {
              start = fold(start);
              end = fold(end);
              ch = fold(ch);
            }
            p += 2;
            if (ch >= start && ch <= end) matched = true;
          } else if (nocase ? fold(byte_at(pattern, p)) == fold(c) : byte_at(pattern, p) == c) {
            matched = true;
          }
          ++p;
        }
        if (negate) matched = !matched;
        if (!matched) return false;
        ++s;
        break;
      }
      case '\\':
        if (pattern.size() - p >= 2) ++p;
        [[fallthrough]];
      default: {
        int a = byte_at(pattern, p), b = byte_at(str, s);
        if (nocase ? fold(a) != fold(b) : a != b) return false;
        ++s;
        break;
      }
    }
    ++p;
    if (s == str.size()) {
      while (p < pattern.size() && pattern[p] == '*') ++p;
      break;
    }
  }
  return p >= pattern.size() && s == str.size();
}

}  // namespace

bool glob_match(std::string_view pattern, std::string_view str, bool nocase) {
  bool skip_longer_matches = false;
  return match_impl(pattern, str, nocase, skip_longer_matches, 0);
}

}  // namespace tandem
