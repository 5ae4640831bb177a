// Per-command latency distribution behind INFO latencystats (Redis 7.0's latency tracking).
//
// Redis keeps an HDR histogram per command (lowest 1 ns, highest 1 s, 2 significant figures) and
// reports hdr_value_at_percentile() / 1000 as microseconds. Debian ships no HdrHistogram C
// library, so this is the same bucketing written out: values below 256 ns are exact, above that
// each power-of-two range is cut into 128 equal sub-buckets (under 1% error), and a percentile
// answers the highest value of the bucket that holds it, as HdrHistogram does. The same
// recordings therefore print the same figures Redis would.
//
// Memory: the counts (24 KB) are allocated on the first recording, so only commands that ran
// pay for one.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tandem {

class LatencyHistogram {
 public:
  static constexpr int64_t kLowestNs = 1;
  static constexpr int64_t kHighestNs = 1'000'000'000;

  // Records one call; the value is clamped to [kLowestNs, kHighestNs] as Redis does.
  void record(int64_t nanoseconds);
  bool empty() const { return total_ == 0; }
  uint64_t total() const { return total_; }
  // hdr_value_at_percentile(): `percentile` in [0, 100].
  int64_t value_at_percentile(double percentile) const;

 private:
  std::vector<uint64_t> counts_;
  uint64_t total_ = 0;
};

// A percentile as Redis prints it in CONFIG GET and INFO: "%f" with trailing zeros trimmed ("50",
// "99.9").
std::string percentile_name(double percentile);

}  // namespace tandem
