#include "replication/backlog_window.h"

#include <algorithm>
#include <bit>

namespace tandem {

size_t BacklogWindow::allocation_size(size_t n) {
  // Between 2^k (exclusive) and 2^(k+1) (inclusive) jemalloc has four classes, 2^(k-2) apart.
  const int k = static_cast<int>(std::bit_width(n - 1)) - 1;
  const size_t spacing = size_t{1} << (k - 2);
  return (n + spacing - 1) / spacing * spacing;
}

void BacklogWindow::append(size_t n) {
  while (n > 0) {
    if (blocks_.empty() || blocks_.back().start + blocks_.back().capacity == end_) {
      // Redis 7.0.15's feedReplicationBuffer: a new block of what is left, at least 16 KB and
      // at most a sixteenth of the backlog, so that no huge block outlives its use.
      const size_t limit = std::max(size_ / 16, kMinBlockBytes);
      const size_t wanted = std::min(std::max(n, kMinBlockBytes), limit);
      const size_t capacity = allocation_size(wanted + kBlockHeaderBytes) - kBlockHeaderBytes;
      blocks_.push_back({end_, static_cast<int64_t>(capacity)});
    }
    const Block& tail = blocks_.back();
    const int64_t copied = std::min(tail.start + tail.capacity - end_, static_cast<int64_t>(n));
    end_ += copied;
    n -= static_cast<size_t>(copied);
  }
  trim();
}

void BacklogWindow::resize(size_t size) {
  size_ = size;
  trim();
}

// Redis's incrementalTrimReplicationBacklog. Every block but the last is full, so the first
// one's size is its capacity.
void BacklogWindow::trim() {
  const auto size = static_cast<int64_t>(size_);
  while (blocks_.size() > 1) {
    const int64_t histlen = end_ - blocks_.front().start;
    if (histlen <= size || histlen - blocks_.front().capacity <= size) break;
    blocks_.pop_front();
  }
}

}  // namespace tandem
