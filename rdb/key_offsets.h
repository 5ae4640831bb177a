// How many keys the first N bytes of an RDB file hold: marks (offset where a key ends, keys up to
// there) recorded while the file is encoded, one each kSpacing bytes at most, so a 5 GB file
// keeps some 10 MB of them. A disk-based full sync sends the file by bytes; with these it tells
// a replica's progress in keys too (INFO), to within the keys of kSpacing bytes.
//
// Written by the saving thread, read by the main thread only after that thread was joined.
#pragma once

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

namespace tandem::rdb {

class KeyOffsets {
 public:
  static constexpr uint64_t kSpacing = 8 * 1024;

  // The first `keys` keys end at `bytes` (both never decrease).
  void key_ends(uint64_t bytes, uint64_t keys) {
    total_keys_ = keys;
    last_end_ = bytes;
    if (marks_.empty() || bytes - marks_.back().first >= kSpacing) marks_.emplace_back(bytes, keys);
  }

  // Keys wholly inside the first `bytes` bytes, to within the keys of kSpacing bytes.
  uint64_t keys_within(uint64_t bytes) const {
    if (total_keys_ > 0 && bytes >= last_end_) return total_keys_;
    auto after = std::upper_bound(marks_.begin(), marks_.end(), bytes,
                                  [](uint64_t b, const auto& mark) { return b < mark.first; });
    return after == marks_.begin() ? 0 : std::prev(after)->second;
  }

  // The keys of the whole file.
  uint64_t total_keys() const { return total_keys_; }

 private:
  std::vector<std::pair<uint64_t, uint64_t>> marks_;
  uint64_t total_keys_ = 0;
  uint64_t last_end_ = 0;  // where the last key ends
};

}  // namespace tandem::rdb
