// Clocks every layer reads: wall time for expiry and replies, monotonic time for durations and
// deadlines. Here, in the lowest layer, so storage and server share one definition.
#pragma once

#include <time.h>

#include <cstdint>

namespace tandem {

inline int64_t monotonic_ns() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}
inline int64_t monotonic_us() { return monotonic_ns() / 1000; }

inline int64_t unix_time_us() {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return int64_t{ts.tv_sec} * 1'000'000 + ts.tv_nsec / 1000;
}
inline int64_t unix_time_ms() { return unix_time_us() / 1000; }

}  // namespace tandem
