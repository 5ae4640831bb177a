// How far a running RDB load has got, for INFO persistence's loading_* fields. The decoder
// (possibly on a loading thread) writes it; the main thread reads it while the load runs, so
// both fields are atomics and a reader sees a value at most one read behind.
#pragma once

#include <atomic>
#include <cstdint>

namespace tandem::rdb {

struct LoadProgress {
  std::atomic<uint64_t> loaded_bytes{0};  // bytes the decoder has consumed from its source
  std::atomic<uint64_t> rdb_used_mem{0};  // the file's used-mem AUX field, once read
};

}  // namespace tandem::rdb
