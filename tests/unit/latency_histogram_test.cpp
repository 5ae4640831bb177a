#include "server/latency_histogram.h"

#include <gtest/gtest.h>

namespace tandem {
namespace {

TEST(LatencyHistogram, EmptyAnswersZero) {
  LatencyHistogram h;
  EXPECT_TRUE(h.empty());
  EXPECT_EQ(h.value_at_percentile(50), 0);
}

TEST(LatencyHistogram, SmallValuesAreExact) {
  LatencyHistogram h;
  h.record(200);
  EXPECT_EQ(h.value_at_percentile(50), 200);
  EXPECT_EQ(h.value_at_percentile(0), 200);
}

// Redis records whole microseconds in nanoseconds: 1 us reads back as 1.003 us, 2 us as 2.007.
TEST(LatencyHistogram, PercentilesAnswerTheHighestValueOfTheirBucket) {
  LatencyHistogram h;
  for (int i = 0; i < 98; ++i) h.record(1000);
  h.record(2000);
  h.record(3000);
  EXPECT_EQ(h.value_at_percentile(50), 1003);
  EXPECT_EQ(h.value_at_percentile(99), 2007);
  EXPECT_EQ(h.value_at_percentile(99.9), 3007);
  EXPECT_EQ(h.value_at_percentile(100), 3007);
  EXPECT_EQ(h.total(), 100u);
}

TEST(LatencyHistogram, ValuesAreClampedToOneSecond) {
  LatencyHistogram h;
  h.record(5'000'000'000);
  h.record(0);
  EXPECT_GE(h.value_at_percentile(100), LatencyHistogram::kHighestNs);
  EXPECT_LT(h.value_at_percentile(100), LatencyHistogram::kHighestNs * 101 / 100);
  EXPECT_EQ(h.value_at_percentile(0), 1);
}

TEST(LatencyHistogram, PercentileNamesAreTrimmed) {
  EXPECT_EQ(percentile_name(50), "50");
  EXPECT_EQ(percentile_name(99.9), "99.9");
  EXPECT_EQ(percentile_name(0), "0");
  EXPECT_EQ(percentile_name(12.125), "12.125");
}

}  // namespace
}  // namespace tandem
