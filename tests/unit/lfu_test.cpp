// Redis's LFU counter math (storage/lfu.h): logarithmic increments, decay per lfu-decay-time
// minutes, the 16-bit minute clock's wrap, and the fields new and accessed values get.
#include "storage/lfu.h"

#include <gtest/gtest.h>

#include <random>

#include "storage/clock.h"
#include "storage/database.h"
#include "tests/unit/fixed_now.h"

namespace tandem {
namespace {

constexpr int64_t kMinute = 60'000;
TEST(Lfu, FieldPacksMinutesAboveTheCounter) {
  uint32_t field = lfu::field(kNow, 42);
  EXPECT_EQ(lfu::counter_of(field), 42);
  EXPECT_EQ(field >> 8, lfu::minutes(kNow));
  EXPECT_LT(field, 1u << 24);  // fits Redis's 24-bit lru field
}

TEST(Lfu, IncrementIsCertainUpToTheInitialValueThenLogarithmic) {
  EXPECT_EQ(lfu::log_increment(0, 10, 0.999), 1);
  EXPECT_EQ(lfu::log_increment(lfu::kInitVal, 10, 0.999), lfu::kInitVal + 1);
  // At 15 the chance is 1 / ((15 - 5) * 10 + 1) = 1/101.
  EXPECT_EQ(lfu::log_increment(15, 10, 0.5 / 101), 16);
  EXPECT_EQ(lfu::log_increment(15, 10, 2.0 / 101), 15);
  // lfu-log-factor 0: every access counts.
  EXPECT_EQ(lfu::log_increment(200, 0, 0.999), 201);
  EXPECT_EQ(lfu::log_increment(255, 0, 0.0), 255);  // saturates
}

// redis.conf's table for lfu-log-factor 10: 100 hits ~ 10, 1000 hits ~ 18, 100K hits ~ 142.
TEST(Lfu, CounterAfterManyHitsMatchesRedisTable) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  auto after = [&](int hits, int factor) {
    uint8_t counter = lfu::kInitVal;
    for (int i = 0; i < hits; ++i) counter = lfu::log_increment(counter, factor, unit(rng));
    return int{counter};
  };
  EXPECT_NEAR(after(100, 10), 10, 2);
  EXPECT_NEAR(after(1000, 10), 18, 3);
  EXPECT_NEAR(after(100'000, 10), 142, 20);  // one run: ~1.5 standard deviations is normal
  EXPECT_EQ(after(1'000'000, 0), 255);
  EXPECT_NEAR(after(100, 1), 18, 3);
}

TEST(Lfu, DecaysOnePerDecayTimeMinutes) {
  uint32_t field = lfu::field(kNow - 3 * kMinute, 10);
  EXPECT_EQ(lfu::decayed(field, kNow, 1), 7);
  EXPECT_EQ(lfu::decayed(field, kNow, 2), 9);
  EXPECT_EQ(lfu::decayed(field, kNow, 0), 10);                               // 0: never decays
  EXPECT_EQ(lfu::decayed(lfu::field(kNow - 30 * kMinute, 10), kNow, 1), 0);  // floors at 0
  // Within the same minute nothing decays.
  const int64_t minute_start = kNow / kMinute * kMinute;
  EXPECT_EQ(lfu::decayed(lfu::field(minute_start + 1000, 10), minute_start + 59'000, 1), 10);
}

TEST(Lfu, MinuteClockWrapsAt16Bits) {
  // 65534 minutes then 1 minute past the wrap: 2 minutes elapsed (LFUTimeElapsed).
  const int64_t before_wrap = int64_t{65534} * kMinute;
  const int64_t after_wrap = int64_t{65536 + 1} * kMinute;
  EXPECT_EQ(lfu::minutes(after_wrap), 1u);
  EXPECT_EQ(lfu::minutes_elapsed(lfu::minutes(before_wrap), after_wrap), 2u);
  EXPECT_EQ(lfu::decayed(lfu::field(before_wrap, 9), after_wrap, 1), 7);
}

TEST(Lfu, TrackingStampsNewValuesAndAccesses) {
  AccessTracking lru;
  EXPECT_EQ(lru.new_field(kNow), lru_clock(kNow));
  EXPECT_EQ(lru.accessed(123, kNow + 5000), lru_clock(kNow + 5000));

  AccessTracking lfu_tracking{.lfu = true, .log_factor = 10, .decay_time = 1};
  uint32_t created = lfu_tracking.new_field(kNow);
  EXPECT_EQ(lfu::counter_of(created), lfu::kInitVal);
  // An access first applies the decay owed, then increments (certain at or below kInitVal).
  uint32_t idle = lfu::field(kNow - 4 * kMinute, lfu::kInitVal);
  uint32_t accessed = lfu_tracking.accessed(idle, kNow);
  EXPECT_EQ(lfu::counter_of(accessed), lfu::kInitVal - 4 + 1);
  EXPECT_EQ(accessed >> 8, lfu::minutes(kNow));
}

TEST(Lfu, DatabaseLookupsUpdateTheCounterAndPeeksDoNot) {
  ExpiryPolicy policy;
  policy.access = {.lfu = true, .log_factor = 0, .decay_time = 1};  // every access counts
  Database db(0, &policy);
  db.set("k", Value::from_string("v"));
  EXPECT_EQ(lfu::counter_of(db.peek("k", kNow)->value.access_time()), lfu::kInitVal);
  for (int i = 0; i < 10; ++i) db.find("k", unix_time_ms());
  EXPECT_EQ(lfu::counter_of(db.peek("k", kNow)->value.access_time()), lfu::kInitVal + 10);
}

}  // namespace
}  // namespace tandem
