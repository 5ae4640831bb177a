// What a value's 24-bit access field means, and Redis's LFU counter kept in it.
//
// Under an LRU (or no) maxmemory policy the field is Redis's LRU clock: seconds, wrapping at 24
// bits (storage/database.h). Under an LFU policy it is Redis's LFU pair instead:
//   bits 8..23  the last decrement time, in minutes, wrapping at 16 bits;
//   bits 0..7   a logarithmic access counter: an access increments it with probability
//               1 / ((counter - kInitVal) * log_factor + 1), so 255 means about a million
//               accesses at lfu-log-factor 10; it loses one per lfu-decay-time minutes idle.
// New keys start at kInitVal so they are not evicted before they had a chance to be read.
// Switching the policy at runtime does not convert existing fields (neither does Redis): they
// read as the other kind until the keys are accessed again.
#pragma once

#include <cstdint>

namespace tandem {

struct AccessTracking {
  bool lfu = false;     // maxmemory-policy is volatile-lfu or allkeys-lfu
  int log_factor = 10;  // lfu-log-factor
  int decay_time = 1;   // lfu-decay-time, minutes per decrement (0: never decays)

  // The field of a value created now (Redis's createObject).
  uint32_t new_field(int64_t now_ms) const;
  // The field after an access now (Redis's lookupKey: LRU_CLOCK() or updateLFU()).
  uint32_t accessed(uint32_t field, int64_t now_ms) const;
};

namespace lfu {

inline constexpr uint8_t kInitVal = 5;  // LFU_INIT_VAL

// LFUGetTimeInMinutes: minutes of the Unix time, wrapping at 16 bits.
inline uint32_t minutes(int64_t now_ms) { return static_cast<uint32_t>(now_ms / 60000) & 65535; }
// LFUTimeElapsed: minutes since `then`, allowing for one wrap.
inline uint32_t minutes_elapsed(uint32_t then, int64_t now_ms) {
  uint32_t now = minutes(now_ms);
  return now >= then ? now - then : 65535 - then + now;
}
inline uint32_t field(int64_t now_ms, uint8_t counter) { return (minutes(now_ms) << 8) | counter; }
inline uint8_t counter_of(uint32_t field) { return static_cast<uint8_t>(field & 255); }

// LFUDecrAndReturn: the counter after the decay owed since its last decrement time.
inline uint8_t decayed(uint32_t field, int64_t now_ms, int decay_time) {
  uint32_t counter = counter_of(field);
  uint32_t periods =
      decay_time > 0 ? minutes_elapsed((field >> 8) & 65535, now_ms) / decay_time : 0;
  return static_cast<uint8_t>(periods > counter ? 0 : counter - periods);
}

// LFULogIncr with the random draw `r` in [0, 1] given, so the math is testable.
inline uint8_t log_increment(uint8_t counter, int log_factor, double r) {
  if (counter == 255) return 255;
  double base = counter > kInitVal ? counter - kInitVal : 0;
  double p = 1.0 / (base * log_factor + 1);
  return r < p ? counter + 1 : counter;
}

// A uniform draw in [0, 1] from a fast per-thread generator (Redis uses rand()).
double random_unit();

}  // namespace lfu
}  // namespace tandem
