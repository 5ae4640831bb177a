// SCAN, HSCAN, SSCAN and ZSCAN's shared arguments: the cursor and the COUNT / MATCH (/ TYPE)
// options, parsed as Redis's parseScanCursorOrReply and scanGenericCommand do.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace tandem {

class Reply;

struct ScanOptions {
  int64_t count = 10;
  std::optional<std::string_view> pattern;  // unset for "*", which matches everything
  std::optional<std::string_view> type;     // SCAN only

  bool matches(std::string_view element) const;
  // As Redis: buckets are visited until `count` elements were gathered, giving up after 10x as
  // many buckets so that a sparse table does not make one call slow.
  int64_t bucket_budget() const;
};

// strtoul's grammar (so "+5", "-1" and even "" parse, the last as 0), but no leading space, no
// trailing garbage and no overflow. Replies `ERR invalid cursor` and returns nullopt otherwise.
std::optional<uint64_t> parse_scan_cursor(std::string_view arg, Reply& reply);

// The options in `args`; replies Redis's error and returns nullopt on a bad one. TYPE is taken
// only when `allow_type` (SCAN).
std::optional<ScanOptions> parse_scan_options(std::span<const std::string_view> args,
                                              bool allow_type, Reply& reply);

}  // namespace tandem
