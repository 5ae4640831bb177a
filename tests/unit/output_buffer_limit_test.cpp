#include "server/output_buffer_limit.h"

#include <gtest/gtest.h>

namespace tandem {
namespace {

TEST(OutputBufferLimit, ZeroLimitsNeverDisconnect) {
  int64_t since = 0;
  EXPECT_FALSE(output_buffer_limit_reached({0, 0, 0}, size_t{1} << 40, since, 1000));
}

TEST(OutputBufferLimit, HardLimitDisconnectsAtOnce) {
  int64_t since = 0;
  EXPECT_FALSE(output_buffer_limit_reached({100, 0, 0}, 99, since, 1000));
  EXPECT_TRUE(output_buffer_limit_reached({100, 0, 0}, 100, since, 1000));
}

TEST(OutputBufferLimit, SoftLimitNeedsToLastLongerThanItsSeconds) {
  const OutputBufferLimit limit{0, 50, 2};
  int64_t since = 0;
  EXPECT_FALSE(output_buffer_limit_reached(limit, 60, since, 10'000));
  EXPECT_EQ(since, 10'000);
  EXPECT_FALSE(output_buffer_limit_reached(limit, 60, since, 12'000));
  EXPECT_TRUE(output_buffer_limit_reached(limit, 60, since, 12'001));
}

TEST(OutputBufferLimit, DroppingBelowSoftLimitResetsTheClock) {
  const OutputBufferLimit limit{0, 50, 2};
  int64_t since = 0;
  EXPECT_FALSE(output_buffer_limit_reached(limit, 60, since, 10'000));
  EXPECT_FALSE(output_buffer_limit_reached(limit, 10, since, 11'000));
  EXPECT_EQ(since, 0);
  EXPECT_FALSE(output_buffer_limit_reached(limit, 60, since, 12'500));
  EXPECT_FALSE(output_buffer_limit_reached(limit, 60, since, 14'000));
}

}  // namespace
}  // namespace tandem
