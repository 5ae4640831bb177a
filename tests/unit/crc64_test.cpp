// CRC-64/Jones: Redis's check value, and chunked updates equal one pass.
#include "rdb/crc64.h"

#include <gtest/gtest.h>

#include <string>

namespace tandem::rdb {
namespace {

TEST(Crc64, MatchesRedisCheckValue) { EXPECT_EQ(crc64(0, "123456789"), 0xe9c6d914c4b8d9caULL); }

TEST(Crc64, EmptyInputKeepsTheCrc) {
  EXPECT_EQ(crc64(0, ""), 0u);
  EXPECT_EQ(crc64(42, ""), 42u);
}

TEST(Crc64, ContinuingOverPiecesEqualsOnePass) {
  std::string data;
  for (int i = 0; i < 1000; ++i) data.push_back(static_cast<char>(i * 31 + 7));
  uint64_t whole = crc64(0, data);
  for (size_t split : {1u, 3u, 8u, 13u, 500u, 999u}) {
    uint64_t crc = crc64(0, std::string_view(data).substr(0, split));
    EXPECT_EQ(crc64(crc, std::string_view(data).substr(split)), whole) << split;
  }
}

}  // namespace
}  // namespace tandem::rdb
