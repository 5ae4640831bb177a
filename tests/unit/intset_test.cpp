// Tests for storage/intset.h: Redis's byte layout (checked against blobs from a real Redis 7.0
// DUMP), upgrades that never downgrade, Redis's integrity validation, and a randomized comparison
// with std::set<int64_t>.
#include "storage/intset.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace tandem {
namespace {

std::string from_hex(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

// The intset inside a DUMP payload: RDB_TYPE_SET_INTSET (11), then an RDB string whose length
// fits the 6-bit form (these blobs are short), then the blob; the RDB version and CRC follow.
std::string intset_from_dump(std::string_view dump_hex) {
  std::string dump = from_hex(dump_hex);
  EXPECT_EQ(dump[0], 11);
  EXPECT_EQ(static_cast<uint8_t>(dump[1]) >> 6, 0);
  size_t len = static_cast<uint8_t>(dump[1]) & 0x3f;
  return dump.substr(2, len);
}

IntSet build(const std::vector<int64_t>& values) {
  IntSet s;
  for (int64_t v : values) s.insert(v);
  return s;
}

struct DumpCase {
  std::vector<int64_t> sadd;  // in SADD order
  const char* dump_hex;       // redis-cli DUMP of that set (rdbcompression no)
};

TEST(IntSet, BytesMatchRedisDumpOutput) {
  const DumpCase cases[] = {
      {{0}, "0b0a020000000100000000000a00030c18a56f21e4b8"},
      {{5, 1, -3, 100}, "0b100200000004000000fdff0100050064000a005fa1ed12ad74f3b7"},
      {{-32768, 32767}, "0b0c02000000020000000080ff7f0a002232de2c8ba9c18d"},
      {{32768}, "0b0c0400000001000000008000000a001d7b98d2ce8acb90"},
      {{1, 70000, -2}, "0b140400000003000000feffffff01000000701101000a0030527df8cc311f3b"},
      {{7, -1, 5000000000},
       "0b200800000003000000ffffffffffffffff070000000000000000f2052a010000000a00ae1959dae219d48d"},
      {{1, 5000000000, INT64_MIN, INT64_MAX},
       "0b2808000000040000000000000000000080010000000000000000f2052a01000000ffffffffffffff7f0a000e3"
       "0"
       "a6b8325ba226"},
  };
  for (const DumpCase& c : cases) {
    std::string redis_blob = intset_from_dump(c.dump_hex);
    IntSet ours = build(c.sadd);
    EXPECT_EQ(ours.bytes(), redis_blob) << c.dump_hex;
    EXPECT_TRUE(validate_intset(redis_blob, true));
    auto loaded = IntSet::from_bytes(redis_blob);
    ASSERT_TRUE(loaded.has_value());
    EXPECT_EQ(loaded->size(), c.sadd.size());
    for (int64_t v : c.sadd) EXPECT_TRUE(loaded->contains(v));
  }
}

TEST(IntSet, EmptyHasTheSixteenBitHeader) {
  IntSet s;
  EXPECT_EQ(s.bytes(), std::string("\x02\0\0\0\0\0\0\0", 8));
  EXPECT_EQ(s.encoding(), IntSet::kEnc16);
  EXPECT_FALSE(s.contains(0));
}

TEST(IntSet, UpgradesOnWiderValuesAndNeverDowngrades) {
  IntSet s = build({1, 2, 3});
  EXPECT_EQ(s.encoding(), IntSet::kEnc16);
  EXPECT_TRUE(s.insert(-100000));  // prepended by the upgrade
  EXPECT_EQ(s.encoding(), IntSet::kEnc32);
  EXPECT_EQ(s.at(0), -100000);
  EXPECT_TRUE(s.insert(int64_t{1} << 40));  // appended by the upgrade
  EXPECT_EQ(s.encoding(), IntSet::kEnc64);
  EXPECT_EQ(s.max(), int64_t{1} << 40);
  EXPECT_EQ(s.blob_size(), IntSet::kHeaderSize + 5 * 8);
  EXPECT_TRUE(s.erase(int64_t{1} << 40));
  EXPECT_TRUE(s.erase(-100000));
  EXPECT_EQ(s.encoding(), IntSet::kEnc64);
  EXPECT_EQ(s.blob_size(), IntSet::kHeaderSize + 3 * 8);
  EXPECT_FALSE(s.insert(2));
  EXPECT_FALSE(s.erase(99));
  // A value wider than the encoding is never a member.
  EXPECT_FALSE(build({1}).contains(int64_t{1} << 33));
  EXPECT_FALSE(build({1}).contains(INT64_MIN));
}

TEST(IntSet, EncodingBoundaries) {
  EXPECT_EQ(IntSet::encoding_for(INT16_MIN), IntSet::kEnc16);
  EXPECT_EQ(IntSet::encoding_for(INT16_MAX), IntSet::kEnc16);
  EXPECT_EQ(IntSet::encoding_for(INT16_MIN - 1), IntSet::kEnc32);
  EXPECT_EQ(IntSet::encoding_for(INT16_MAX + 1), IntSet::kEnc32);
  EXPECT_EQ(IntSet::encoding_for(INT32_MIN), IntSet::kEnc32);
  EXPECT_EQ(IntSet::encoding_for(int64_t{INT32_MAX} + 1), IntSet::kEnc64);
  EXPECT_EQ(IntSet::encoding_for(INT64_MIN), IntSet::kEnc64);
}

TEST(IntSet, ValidationRejectsWhatRedisRejects) {
  std::string good = std::string(build({1, 2, 3}).bytes());
  EXPECT_TRUE(validate_intset(good, true));
  EXPECT_FALSE(validate_intset(good.substr(0, 7), true));                // header cut
  EXPECT_FALSE(validate_intset(good.substr(0, good.size() - 1), true));  // size mismatch
  EXPECT_FALSE(validate_intset(good + "x", true));                       // trailing byte
  EXPECT_FALSE(validate_intset(IntSet().bytes(), true));                 // empty set
  std::string bad_enc = good;
  bad_enc[0] = 3;
  EXPECT_FALSE(validate_intset(bad_enc, true));
  std::string unsorted = good;
  std::swap(unsorted[8], unsorted[10]);  // 2, 1, 3
  EXPECT_FALSE(validate_intset(unsorted, true));
  EXPECT_TRUE(validate_intset(unsorted, false));  // shallow checks only the header and size
  std::string dup = good;
  dup[10] = 1;  // 1, 1, 3
  EXPECT_FALSE(validate_intset(dup, true));
  EXPECT_FALSE(IntSet::from_bytes(dup).has_value());
  // A huge length does not overflow the size check.
  std::string huge = good;
  huge[4] = huge[5] = huge[6] = huge[7] = '\xff';
  EXPECT_FALSE(validate_intset(huge, true));
}

TEST(IntSet, RandomizedAgainstStdSet) {
  std::mt19937_64 gen(12345);
  for (int round = 0; round < 20; ++round) {
    IntSet s;
    std::set<int64_t> model;
    const int width = round % 4;  // pick value ranges so each encoding is exercised
    auto value = [&]() -> int64_t {
      switch ((gen() % 4 <= static_cast<uint64_t>(width)) ? gen() % 3 : 0) {
        case 0:
          return static_cast<int64_t>(gen() % 200) - 100;
        case 1:
          return static_cast<int64_t>(gen() % 200000) - 100000;
        default:
          return static_cast<int64_t>(gen());
      }
    };
    for (int op = 0; op < 2000; ++op) {
      int64_t v = value();
      if (gen() % 3 == 0) {
        ASSERT_EQ(s.erase(v), model.erase(v) == 1);
      } else {
        ASSERT_EQ(s.insert(v), model.insert(v).second);
      }
      ASSERT_EQ(s.size(), model.size());
      if (op % 100 == 0) {
        size_t i = 0;
        for (int64_t m : model) ASSERT_EQ(s.at(i++), m);
        ASSERT_EQ(s.blob_size(), IntSet::kHeaderSize + s.size() * s.encoding());
        if (!model.empty()) {
          ASSERT_TRUE(validate_intset(s.bytes(), true));
          ASSERT_GE(s.encoding(), IntSet::encoding_for(*model.begin()));
          ASSERT_GE(s.encoding(), IntSet::encoding_for(*model.rbegin()));
        }
      }
      ASSERT_EQ(s.contains(v), model.count(v) == 1);
    }
  }
}

}  // namespace
}  // namespace tandem
