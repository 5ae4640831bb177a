// LZF through liblzf: round trips, Redis's "must save 4 bytes" rule, corrupt input refused.
#include "rdb/lzf.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace tandem::rdb {
namespace {

TEST(Lzf, RoundTripsCompressibleData) {
  std::string in;
  for (int i = 0; i < 200; ++i) in += "abcabcabc-" + std::to_string(i % 7);
  auto packed = lzf_compress_string(in);
  ASSERT_TRUE(packed);
  EXPECT_LT(packed->size(), in.size() - 4);
  EXPECT_EQ(lzf_decompress_string(*packed, in.size()), in);
}

TEST(Lzf, RefusesWhatDoesNotShrinkByFourBytes) {
  std::mt19937 rng(1);
  std::string random(100, '\0');
  for (char& c : random) c = static_cast<char>(rng());
  EXPECT_FALSE(lzf_compress_string(random));
  EXPECT_FALSE(lzf_compress_string("abcd"));
}

TEST(Lzf, CorruptOrWrongLengthFails) {
  std::string in(1000, 'x');
  auto packed = lzf_compress_string(in);
  ASSERT_TRUE(packed);
  EXPECT_FALSE(lzf_decompress_string(*packed, in.size() - 1));
  EXPECT_FALSE(lzf_decompress_string(*packed, in.size() + 1));
  EXPECT_FALSE(lzf_decompress_string(packed->substr(0, packed->size() / 2), in.size()));
  EXPECT_FALSE(lzf_decompress_string("\xff\xff\xff", 10));
}

TEST(Lzf, RandomizedRoundTrips) {
  std::mt19937 rng(7);
  for (int round = 0; round < 200; ++round) {
    std::string in;
    size_t len = 5 + rng() % 3000;
    int alphabet = 1 + rng() % 20;
    for (size_t i = 0; i < len; ++i) in.push_back(static_cast<char>('a' + rng() % alphabet));
    if (auto packed = lzf_compress_string(in)) {
      EXPECT_EQ(lzf_decompress_string(*packed, in.size()), in);
    }
  }
}

}  // namespace
}  // namespace tandem::rdb
