#include "storage/lfu.h"

#include <random>

#include "storage/database.h"

namespace tandem {

uint32_t AccessTracking::new_field(int64_t now_ms) const {
  return lfu ? lfu::field(now_ms, lfu::kInitVal) : lru_clock(now_ms);
}

uint32_t AccessTracking::accessed(uint32_t field, int64_t now_ms) const {
  if (!lfu) return lru_clock(now_ms);
  uint8_t counter = lfu::decayed(field, now_ms, decay_time);
  return lfu::field(now_ms, lfu::log_increment(counter, log_factor, lfu::random_unit()));
}

namespace lfu {

double random_unit() {
  thread_local std::minstd_rand generator(std::random_device{}());
  return static_cast<double>(generator() - generator.min()) /
         static_cast<double>(generator.max() - generator.min());
}

}  // namespace lfu
}  // namespace tandem
