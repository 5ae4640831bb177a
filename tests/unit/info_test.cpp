// Tests for the pieces INFO is built from: bytes_to_human (server/info.h), the instantaneous
// rate sampler (server/metrics.h) and the allocation counter (server/memory_usage.h).
#include "server/info.h"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "server/memory_usage.h"
#include "server/metrics.h"

namespace tandem {
namespace {

TEST(InfoTest, BytesToHumanMatchesRedis) {
  EXPECT_EQ(bytes_to_human(0), "0B");
  EXPECT_EQ(bytes_to_human(1023), "1023B");
  EXPECT_EQ(bytes_to_human(1024), "1.00K");
  EXPECT_EQ(bytes_to_human(1089576), "1.04M");
  EXPECT_EQ(bytes_to_human(7069696), "6.74M");
  EXPECT_EQ(bytes_to_human(25276510208ull), "23.54G");
  EXPECT_EQ(bytes_to_human(1ull << 40), "1.00T");
  EXPECT_EQ(bytes_to_human(3ull << 50), "3.00P");
}

TEST(InfoTest, InstantaneousMetricAveragesTheLastSixteenSamples) {
  InstantaneousMetric metric;
  metric.reset(0, 0);
  EXPECT_EQ(metric.per_second(), 0);
  // 100 events every 100 ms: 1000 per second once the window is full.
  for (int i = 1; i <= 16; ++i) metric.sample(i * 100, static_cast<uint64_t>(i) * 100);
  EXPECT_EQ(metric.per_second(), 1000);
  // Idle from now on: the rate decays to zero as the window slides.
  for (int i = 17; i <= 24; ++i) metric.sample(i * 100, 1600);
  EXPECT_EQ(metric.per_second(), 500);
  for (int i = 25; i <= 32; ++i) metric.sample(i * 100, 1600);
  EXPECT_EQ(metric.per_second(), 0);
}

TEST(InfoTest, HeapUsedBytesFollowsAllocations) {
  uint64_t before = heap_used_bytes();
  auto block = std::make_unique<std::vector<char>>(1 << 20);
  EXPECT_GE(heap_used_bytes(), before + (1 << 20));
  block.reset();
  EXPECT_LT(heap_used_bytes(), before + (1 << 20));
}

}  // namespace
}  // namespace tandem
