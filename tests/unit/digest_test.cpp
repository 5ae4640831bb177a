// Tests for server/digest.h: DEBUG DIGEST / DIGEST-VALUE must equal real Redis 7.0's output.
// The expected hex strings below were produced by redis-server 7.0.15 from the same datasets.
#include "server/digest.h"

#include <gtest/gtest.h>

#include <string>

#include "storage/keyspace.h"
#include "storage/value.h"

namespace tandem {
namespace {

constexpr int64_t kFarFuture = int64_t{4'000'000'000'000};

TEST(DigestTest, EmptyDatasetIsAllZeros) {
  Keyspace keyspace(16);
  EXPECT_EQ(digest_hex(dataset_digest(keyspace)), std::string(40, '0'));
}

TEST(DigestTest, SingleKeyMatchesRedis) {
  Keyspace keyspace(16);
  keyspace.db(0).set("foo", Value::from_string("bar"));
  EXPECT_EQ(digest_hex(dataset_digest(keyspace)), "d2ab4820c1be0580ea28efbfe8bfa1dc05bb802a");
}

// SET foo bar; SET n 12345; SET ttl <100 x>; EXPIRE ttl 1000; SELECT 3; SET foo bar;
// SELECT 15; SET "" ""; EXPIRE "" 1000; SELECT 3; SET neg -7
TEST(DigestTest, SeveralDatabasesIntegersAndTtlsMatchRedis) {
  Keyspace keyspace(16);
  keyspace.db(0).set("foo", Value::from_string("bar"));
  keyspace.db(0).set("n", Value::from_string("12345"));
  keyspace.db(0).set("ttl", Value::from_string(std::string(100, 'x')));
  keyspace.db(0).set_expire("ttl", kFarFuture);
  keyspace.db(3).set("foo", Value::from_string("bar"));
  keyspace.db(15).set("", Value::from_string(""));
  keyspace.db(15).set_expire("", kFarFuture);
  keyspace.db(3).set("neg", Value::from_string("-7"));
  EXPECT_EQ(digest_hex(dataset_digest(keyspace)), "8634cff4ccbb7dbbf540b068ba14bbfb0b984b11");
}

TEST(DigestTest, DigestIsIndependentOfInsertionOrder) {
  Keyspace a(16);
  Keyspace b(16);
  for (int i = 0; i < 100; ++i) a.db(1).set("k" + std::to_string(i), Value::from_int(i));
  for (int i = 99; i >= 0; --i) b.db(1).set("k" + std::to_string(i), Value::from_int(i));
  EXPECT_EQ(dataset_digest(a), dataset_digest(b));
}

TEST(DigestTest, SameKeysInAnotherDatabaseDigestDifferently) {
  Keyspace a(16);
  Keyspace b(16);
  a.db(0).set("foo", Value::from_string("bar"));
  b.db(1).set("foo", Value::from_string("bar"));
  EXPECT_NE(dataset_digest(a), dataset_digest(b));
}

TEST(DigestTest, ValueDigestMatchesRedis) {
  EXPECT_EQ(digest_hex(value_digest(Value::from_string(std::string(100, 'x')), true)),
            "8fc74748c69613f759a14900dd1fa0c532737d52");
  EXPECT_EQ(digest_hex(value_digest(Value::from_string("12345"), false)),
            "e1cf90774e995ae03de66e8109dc5cb9d9c2dc83");
}

TEST(DigestTest, IntegerAndRawEncodingsOfTheSameTextDigestAlike) {
  Value raw = Value::raw_string("12345");
  EXPECT_EQ(value_digest(raw, false), value_digest(Value::from_string("12345"), false));
}

}  // namespace
}  // namespace tandem
