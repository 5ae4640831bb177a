// The fixed "current time" (unix ms) unit tests pass where the server passes the clock, so
// expiry and LRU/LFU arithmetic is deterministic.
#pragma once

#include <cstdint>

namespace tandem {

inline constexpr int64_t kNow = 1'700'000'000'000;

}  // namespace tandem
