// Glob matching with the exact semantics of Redis's stringmatchlen (util.c), used by CONFIG GET,
// KEYS, SCAN MATCH and PSUBSCRIBE so that every pattern matches what it matches in Redis:
//   *        any run of bytes (including none)       ?       exactly one byte
//   [abc]    one byte of the set                     [^abc]  one byte not in the set
//   [a-z]    a range (reversed ranges like [z-a] work too)
//   \x       the byte x literally, also inside [...]
// An unterminated '[' runs to the end of the pattern. Matching is byte-wise; with `nocase`,
// ASCII letters compare case-insensitively (escaped bytes inside [...] stay case-sensitive, as
// in Redis). Backtracking is bounded like Redis 7.0.9+: once a '*' fails to place the rest of
// the pattern anywhere, earlier stars are not retried, so no pattern is exponential; recursion
// is capped at 1000 nested stars (as Redis 7.2.6+), past which nothing matches.
#pragma once

#include <string_view>

namespace tandem {

bool glob_match(std::string_view pattern, std::string_view str, bool nocase = false);

}  // namespace tandem
