#include "server/latency_histogram.h"

#include <algorithm>

#include "fmt/format.h"

namespace tandem {
namespace {

// HdrHistogram's layout for lowest value 1 and 2 significant figures: sub-buckets of 256 values,
// the lower half of each bucket after the first being covered by the bucket before.
constexpr int kSubBucketHalfCountMagnitude = 7;
constexpr int64_t kSubBucketHalfCount = int64_t{1} << kSubBucketHalfCountMagnitude;  // 128
constexpr int64_t kSubBucketCount = kSubBucketHalfCount * 2;                         // 256
constexpr int64_t kSubBucketMask = kSubBucketCount - 1;

constexpr int buckets_needed() {
  int64_t smallest_untrackable = kSubBucketCount;
  int buckets = 1;
  while (smallest_untrackable <= LatencyHistogram::kHighestNs) {
    smallest_untrackable <<= 1;
    ++buckets;
  }
  return buckets;
}
constexpr size_t kCountsLen = static_cast<size_t>((buckets_needed() + 1) * kSubBucketHalfCount);

int bucket_index(int64_t value) {
  int pow2_ceiling = 64 - __builtin_clzll(static_cast<uint64_t>(value | kSubBucketMask));
  return pow2_ceiling - (kSubBucketHalfCountMagnitude + 1);
}

size_t counts_index(int64_t value) {
  int bucket = bucket_index(value);
  int64_t sub_bucket = value >> bucket;
  return static_cast<size_t>(((int64_t{bucket} + 1) << kSubBucketHalfCountMagnitude) +
                             (sub_bucket - kSubBucketHalfCount));
}

// The lowest value counted at `index` and the width of its bucket.
void index_range(size_t index, int64_t& lowest, int64_t& width) {
  int bucket = static_cast<int>(index >> kSubBucketHalfCountMagnitude) - 1;
  int64_t sub_bucket =
      static_cast<int64_t>(index & (kSubBucketHalfCount - 1)) + kSubBucketHalfCount;
  if (bucket < 0) {
    sub_bucket -= kSubBucketHalfCount;
    bucket = 0;
  }
  lowest = sub_bucket << bucket;
  width = int64_t{1} << bucket;
}

}  // namespace

std::string percentile_name(double percentile) {
  std::string text = fmt::format("{:f}", percentile);
  if (text.find('.') != std::string::npos) {
    text.erase(text.find_last_not_of('0') + 1);
    if (text.back() == '.') text.pop_back();
  }
  return text;
}

void LatencyHistogram::record(int64_t nanoseconds) {
  if (counts_.empty()) counts_.assign(kCountsLen, 0);
  int64_t value = std::clamp(nanoseconds, kLowestNs, kHighestNs);
  ++counts_[counts_index(value)];
  ++total_;
}

int64_t LatencyHistogram::value_at_percentile(double percentile) const {
  if (total_ == 0) return 0;
  double requested = std::min(percentile, 100.0);
  auto wanted = static_cast<uint64_t>(requested / 100 * static_cast<double>(total_) + 0.5);
  wanted = std::max<uint64_t>(wanted, 1);
  uint64_t seen = 0;
  for (size_t i = 0; i < counts_.size(); ++i) {
    seen += counts_[i];
    if (seen < wanted) continue;
    int64_t lowest, width;
    index_range(i, lowest, width);
    return percentile == 0.0 ? lowest : lowest + width - 1;
  }
  return 0;
}

}  // namespace tandem
