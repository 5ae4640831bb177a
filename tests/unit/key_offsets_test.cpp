#include "rdb/key_offsets.h"

#include <gtest/gtest.h>

namespace tandem::rdb {
namespace {

TEST(KeyOffsets, EmptyHoldsNoKeys) {
  KeyOffsets offsets;
  EXPECT_EQ(offsets.keys_within(0), 0u);
  EXPECT_EQ(offsets.keys_within(1000), 0u);
  EXPECT_EQ(offsets.total_keys(), 0u);
}

TEST(KeyOffsets, EveryKeyCountsOnceItsLastByteIsWithin) {
  KeyOffsets offsets;
  // Keys of kSpacing bytes each after a 100-byte header: every end is marked.
  const uint64_t size = KeyOffsets::kSpacing;
  for (uint64_t k = 1; k <= 10; ++k) offsets.key_ends(100 + k * size, k);
  EXPECT_EQ(offsets.keys_within(0), 0u);
  EXPECT_EQ(offsets.keys_within(100 + size - 1), 0u);
  EXPECT_EQ(offsets.keys_within(100 + size), 1u);
  EXPECT_EQ(offsets.keys_within(100 + 5 * size + 7), 5u);
  EXPECT_EQ(offsets.keys_within(100 + 10 * size - 1), 9u);
  EXPECT_EQ(offsets.keys_within(100 + 10 * size), 10u);
  EXPECT_EQ(offsets.keys_within(1u << 30), 10u);  // EOF and checksum follow
  EXPECT_EQ(offsets.total_keys(), 10u);
}

TEST(KeyOffsets, SmallKeysAreMarkedSparselyButCountedWhole) {
  KeyOffsets offsets;
  const uint64_t keys = 100000;
  for (uint64_t k = 1; k <= keys; ++k) offsets.key_ends(100 + k * 10, k);
  // Within the keys of kSpacing bytes, never above the truth.
  for (uint64_t bytes : {uint64_t{5000}, uint64_t{123456}, uint64_t{999999}}) {
    const uint64_t truth = (bytes - 100) / 10;
    EXPECT_LE(offsets.keys_within(bytes), truth);
    EXPECT_GE(offsets.keys_within(bytes) + KeyOffsets::kSpacing / 10, truth);
  }
  EXPECT_EQ(offsets.keys_within(100 + keys * 10), keys);
  EXPECT_EQ(offsets.total_keys(), keys);
}

}  // namespace
}  // namespace tandem::rdb
