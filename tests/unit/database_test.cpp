// Tests for storage/database.h and storage/keyspace.h: lazy expiry (and the replica policy that
// only hides expired keys), the active expiry cycle deleting expired keys in bounded slices,
// loading (add_loaded, reserve), random_entry, SCAN over a database that changes between calls,
// access-time stamping, and moving a value with its TTL between databases.
#include "storage/database.h"

#include <gtest/gtest.h>
#include <time.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "storage/clock.h"
#include "storage/keyspace.h"
#include "tests/unit/fixed_now.h"

namespace tandem {
namespace {

std::string key_of(int i) { return "key:" + std::to_string(i); }

// A full SCAN iteration of `db` at `now`; counts how often each key was returned. `between` runs
// after every call, to mutate the database mid-iteration.
template <typename F>
std::map<std::string, int> full_scan(Database& db, int64_t now, F&& between) {
  std::map<std::string, int> seen;
  uint64_t cursor = 0;
  do {
    cursor = db.scan(cursor, now, [&](Database::Entry& e) { ++seen[e.key]; });
    between();
  } while (cursor != 0);
  return seen;
}

TEST(DatabaseTest, SetFindEraseAndTtl) {
  Keyspace keyspace(1);
  Database& db = keyspace.db(0);
  db.set("a", Value::from_string("1"));
  ASSERT_NE(db.find("a", kNow), nullptr);
  EXPECT_EQ(db.find("a", kNow)->value.string_value(), "1");
  EXPECT_FALSE(db.expire_time("a"));

  db.set_expire("a", kNow + 1000);
  EXPECT_EQ(db.expire_time("a"), kNow + 1000);
  EXPECT_EQ(db.expires_count(), 1u);
  // Overwriting drops the TTL unless asked to keep it.
  db.set("a", Value::from_string("2"), /*keep_ttl=*/true);
  EXPECT_EQ(db.expire_time("a"), kNow + 1000);
  db.set("a", Value::from_string("3"));
  EXPECT_FALSE(db.expire_time("a"));
  EXPECT_EQ(db.expires_count(), 0u);

  db.set_expire("a", kNow + 1000);
  EXPECT_TRUE(db.persist("a"));
  EXPECT_FALSE(db.persist("a"));
  db.set_expire("a", kNow + 1000);
  EXPECT_TRUE(db.erase("a"));
  EXPECT_FALSE(db.erase("a"));
  EXPECT_EQ(db.size(), 0u);
  EXPECT_EQ(db.expires_count(), 0u);
}

// A snapshot keeps the keys and TTLs of its moment: later sets, erases, TTL changes and
// PERSIST, and the live database shows only the new state.
TEST(DatabaseTest, SnapshotKeepsKeysAndTtlsOfItsMoment) {
  ExpiryPolicy policy;
  Database db(0, &policy);
  for (int i = 0; i < 100; ++i) db.set(key_of(i), Value::from_int(i));
  for (int i = 0; i < 100; i += 2) db.set_expire(key_of(i), kNow + i);
  Database::Snapshot snap = db.snapshot();
  for (int i = 0; i < 100; i += 4) db.persist(key_of(i));
  for (int i = 1; i < 100; i += 4) db.set_expire(key_of(i), kNow + 1000);
  for (int i = 2; i < 100; i += 8) db.set_expire(key_of(i), kNow + 5000);
  for (int i = 3; i < 100; i += 4) db.erase(key_of(i));
  db.set(key_of(0), Value::from_string("over"));
  db.set(key_of(500), Value::from_string("new"));
  EXPECT_EQ(snap.keys.size(), 100u);
  EXPECT_EQ(snap.expires.size(), 50u);
  for (int i = 0; i < 100; ++i) {
    const auto* e = snap.keys.find(key_of(i));
    ASSERT_NE(e, nullptr);
    EXPECT_TRUE(e->value.is_int());
    EXPECT_EQ(e->value.int_value(), i);
    const auto* ttl = snap.expires.find(key_of(i));
    if (i % 2 == 0) {
      ASSERT_NE(ttl, nullptr) << i;
      EXPECT_EQ(ttl->value, kNow + i);
    } else {
      EXPECT_EQ(ttl, nullptr) << i;
    }
  }
  EXPECT_EQ(snap.keys.find(key_of(500)), nullptr);
  EXPECT_EQ(db.expire_time(key_of(0)), std::nullopt);
  EXPECT_EQ(db.expire_time(key_of(1)), kNow + 1000);
  EXPECT_EQ(db.expire_time(key_of(2)), kNow + 5000);
  EXPECT_FALSE(db.holds(key_of(3)));
  EXPECT_EQ(db.size(), 76u);
}

TEST(DatabaseTest, LazyExpiryDeletesOnLookupAfterTheExpiryTime) {
  Keyspace keyspace(1);
  std::vector<std::string> expired;
  keyspace.expiry().on_expired = [&](int db, std::string_view key) {
    EXPECT_EQ(db, 0);
    expired.emplace_back(key);
  };
  Database& db = keyspace.db(0);
  db.set("k", Value::from_string("v"));
  db.set_expire("k", kNow);
  // Live through its expiry millisecond, gone from the next one.
  EXPECT_NE(db.find("k", kNow), nullptr);
  EXPECT_EQ(db.size(), 1u);
  EXPECT_EQ(db.peek("k", kNow + 1), nullptr);
  EXPECT_EQ(db.size(), 0u);
  EXPECT_EQ(db.expires_count(), 0u);
  EXPECT_EQ(keyspace.expiry().expired_keys, 1u);
  EXPECT_EQ(expired, std::vector<std::string>{"k"});
  EXPECT_FALSE(db.exists("k", kNow + 1));
}

TEST(DatabaseTest, ReplicaPolicyHidesExpiredKeysWithoutDeletingThem) {
  Keyspace keyspace(1);
  keyspace.expiry().delete_expired = false;
  Database& db = keyspace.db(0);
  db.set("k", Value::from_string("v"));
  db.set_expire("k", kNow);
  EXPECT_EQ(db.find("k", kNow + 1), nullptr);
  // RANDOMKEY on a replica may return an expired key once its tries run out, as Redis's does.
  ASSERT_NE(db.random_entry(kNow + 1), nullptr);
  EXPECT_EQ(db.random_entry(kNow + 1)->key, "k");
  EXPECT_EQ(db.size(), 1u);
  EXPECT_EQ(db.active_expire(kNow + 1, monotonic_ns() + 1'000'000'000), 0u);
  EXPECT_EQ(db.size(), 1u);
  // The master's DEL removes it.
  EXPECT_TRUE(db.erase("k"));
}

TEST(DatabaseTest, ActiveExpiryDeletesExpiredKeysInBoundedSlices) {
  Keyspace keyspace(1);
  Database& db = keyspace.db(0);
  constexpr int kExpired = 20000;
  for (int i = 0; i < kExpired; ++i) {
    db.set(key_of(i), Value::from_int(i));
    db.set_expire(key_of(i), kNow - 1);
  }
  for (int i = 0; i < 100; ++i) db.set("persistent:" + std::to_string(i), Value::from_int(i));
  for (int i = 0; i < 100; ++i) {
    db.set("future:" + std::to_string(i), Value::from_int(i));
    db.set_expire("future:" + std::to_string(i), kNow + 60'000);
  }

  // A slice whose deadline has already passed still makes progress, but stops early.
  size_t first = db.active_expire(kNow, monotonic_ns() - 1);
  EXPECT_GT(first, 0u);
  EXPECT_LT(first, static_cast<size_t>(kExpired));
  EXPECT_EQ(keyspace.expiry().expired_keys, first);

  // Repeated slices (as the cron runs them) delete every expired key and nothing else.
  size_t total = first;
  for (int slice = 0; slice < 10000 && db.size() > 200; ++slice) {
    total += db.active_expire(kNow, monotonic_ns() - 1);
  }
  EXPECT_EQ(total, static_cast<size_t>(kExpired));
  EXPECT_EQ(db.size(), 200u);
  EXPECT_EQ(db.expires_count(), 100u);
  for (int i = 0; i < 100; ++i) {
    EXPECT_NE(db.peek("persistent:" + std::to_string(i), kNow), nullptr);
    EXPECT_NE(db.peek("future:" + std::to_string(i), kNow), nullptr);
  }
  // Nothing expired left: a slice deletes nothing and estimates the remaining TTLs.
  EXPECT_EQ(db.active_expire(kNow, monotonic_ns() + 1'000'000'000), 0u);
  EXPECT_GT(db.avg_ttl(), 0);
  EXPECT_LE(db.avg_ttl(), 60'000);
}

TEST(DatabaseTest, ActiveExpiryWithAGenerousDeadlineClearsAMostlyExpiredDatabase) {
  Keyspace keyspace(1);
  Database& db = keyspace.db(0);
  for (int i = 0; i < 5000; ++i) {
    db.set(key_of(i), Value::from_int(i));
    db.set_expire(key_of(i), kNow - 1);
  }
  // Keeps looping while more than 10% of the sampled keys are expired.
  EXPECT_EQ(db.active_expire(kNow, monotonic_ns() + 10'000'000'000), 5000u);
  EXPECT_EQ(db.size(), 0u);
}

TEST(DatabaseTest, RandomEntryReturnsOnlyLiveKeys) {
  Keyspace keyspace(1);
  Database& db = keyspace.db(0);
  EXPECT_EQ(db.random_entry(kNow), nullptr);
  for (int i = 0; i < 10; ++i) db.set(key_of(i), Value::from_int(i));
  for (int i = 10; i < 20; ++i) {
    db.set(key_of(i), Value::from_int(i));
    db.set_expire(key_of(i), kNow - 1);
  }
  std::set<std::string> seen;
  for (int i = 0; i < 2000; ++i) {
    Database::Entry* e = db.random_entry(kNow);
    ASSERT_NE(e, nullptr);
    seen.insert(e->key);
  }
  std::set<std::string> live;
  for (int i = 0; i < 10; ++i) live.insert(key_of(i));
  EXPECT_EQ(seen, live);
}

TEST(DatabaseTest, RandomEntryOfAnAllExpiredDatabaseIsNullAndDeletesWhatItMet) {
  Keyspace keyspace(1);
  Database& db = keyspace.db(0);
  for (int i = 0; i < 50; ++i) {
    db.set(key_of(i), Value::from_int(i));
    db.set_expire(key_of(i), kNow - 1);
  }
  // Each try deletes the expired key it drew, so the 50 keys are gone within its 100 tries.
  EXPECT_EQ(db.random_entry(kNow), nullptr);
  EXPECT_EQ(db.size(), 0u);
}

TEST(DatabaseTest, ScanReturnsEveryKeyOnceAndSkipsExpiredOnes) {
  Keyspace keyspace(1);
  Database& db = keyspace.db(0);
  for (int i = 0; i < 10000; ++i) db.set(key_of(i), Value::from_int(i));
  for (int i = 0; i < 100; ++i) db.set_expire(key_of(i), kNow - 1);
  auto seen = full_scan(db, kNow, [] {});
  EXPECT_EQ(seen.size(), 9900u);
  for (const auto& [key, count] : seen) EXPECT_EQ(count, 1) << key;
  EXPECT_EQ(seen.count(key_of(0)), 0u);
  EXPECT_EQ(seen.count(key_of(9999)), 1u);
}

TEST(DatabaseTest, ScanWhileKeysAreAddedAndRemovedMissesNoneAndRepeatsNone) {
  Keyspace keyspace(1);
  Database& db = keyspace.db(0);
  for (int i = 0; i < 10000; ++i) db.set(key_of(i), Value::from_int(i));
  int added = 0;
  int removed = 0;
  // Between the first calls, grow by 300 keys (so the table resizes and rehashes mid-scan) and
  // shrink by 50; bounded, or a one-bucket-per-call scan would never catch up.
  auto seen = full_scan(db, kNow, [&] {
    for (int j = 0; j < 300 && added < 12000; ++j) {
      db.set("new:" + std::to_string(added++), Value::from_int(j));
    }
    for (int j = 0; j < 50 && removed < 5000; ++j) db.erase(key_of(5000 + removed++));
  });
  for (const auto& [key, count] : seen) EXPECT_EQ(count, 1) << key;
  // Keys present throughout: never removed.
  for (int i = 0; i < 5000; ++i) EXPECT_EQ(seen.count(key_of(i)), 1u) << i;
  for (int i = 5000 + removed; i < 10000; ++i) EXPECT_EQ(seen.count(key_of(i)), 1u) << i;
}

TEST(DatabaseTest, DatabasesAreIndependent) {
  Keyspace keyspace(3);
  for (int i = 0; i < 100; ++i) keyspace.db(0).set(key_of(i), Value::from_int(i));
  for (int i = 0; i < 50; ++i) keyspace.db(2).set("other:" + std::to_string(i), Value::from_int(i));
  keyspace.db(2).set_expire("other:0", kNow + 5);
  EXPECT_EQ(keyspace.total_keys(), 150u);
  EXPECT_EQ(full_scan(keyspace.db(0), kNow, [] {}).size(), 100u);
  EXPECT_EQ(full_scan(keyspace.db(1), kNow, [] {}).size(), 0u);
  auto seen = full_scan(keyspace.db(2), kNow, [] {});
  EXPECT_EQ(seen.size(), 50u);
  EXPECT_EQ(seen.count(key_of(0)), 0u);
  EXPECT_EQ(keyspace.db(0).expires_count(), 0u);
  EXPECT_EQ(keyspace.db(2).expires_count(), 1u);
  EXPECT_EQ(keyspace.db(1).random_entry(kNow), nullptr);

  keyspace.flush_all();
  EXPECT_EQ(keyspace.total_keys(), 0u);
  EXPECT_EQ(keyspace.db(2).expires_count(), 0u);
}

TEST(DatabaseTest, MovingAValueBetweenDatabasesKeepsItsTtlWhenReapplied) {
  // What MOVE and RENAME do: take the value, re-add it, restore the TTL.
  Keyspace keyspace(2);
  Database& src = keyspace.db(0);
  Database& dst = keyspace.db(1);
  src.set("k", Value::from_string("hello"));
  src.set_expire("k", kNow + 500);
  std::optional<int64_t> expire = src.expire_time("k");
  std::optional<Value> value = src.take("k");
  ASSERT_TRUE(value);
  EXPECT_EQ(src.size(), 0u);
  EXPECT_EQ(src.expires_count(), 0u);
  EXPECT_FALSE(src.take("k"));
  dst.set("k", std::move(*value));
  dst.set_expire("k", *expire);
  EXPECT_EQ(dst.expire_time("k"), kNow + 500);
  EXPECT_EQ(dst.find("k", kNow)->value.string_value(), "hello");
}

TEST(DatabaseTest, AddLoadedStoresNewKeysWithTheirTtlAndRefusesDuplicates) {
  Keyspace keyspace(1);
  Database& db = keyspace.db(0);
  db.reserve(1000, 10);  // RESIZEDB
  EXPECT_TRUE(db.add_loaded("plain", Value::from_string("1"), -1));
  EXPECT_TRUE(db.add_loaded("ttl", Value::from_string("2"), kNow + 5000));
  EXPECT_FALSE(db.add_loaded("ttl", Value::from_string("3"), -1));
  EXPECT_EQ(db.size(), 2u);
  EXPECT_EQ(db.peek("ttl", kNow)->value.string_value(), "2");
  EXPECT_EQ(db.expire_time("ttl"), kNow + 5000);
  EXPECT_FALSE(db.expire_time("plain"));
  EXPECT_EQ(db.expires_count(), 1u);
  // Loaded values are stamped like created ones: OBJECT IDLETIME starts at zero.
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  const int64_t wall_ms = int64_t{ts.tv_sec} * 1000;
  EXPECT_LE(idle_seconds(db.peek("plain", wall_ms)->value, wall_ms), 1);
}

TEST(DatabaseTest, AccessTimeIsStampedOnInsertAndByFindButNotByPeek) {
  Keyspace keyspace(1);
  Database& db = keyspace.db(0);
  db.set("k", Value::from_string("v"));
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  const int64_t wall_ms = int64_t{ts.tv_sec} * 1000;
  // Stamped with the wall clock on insert (allowing for the coarse clock's lag).
  EXPECT_LE(idle_seconds(db.peek("k", wall_ms)->value, wall_ms), 1);

  // 100 seconds later: peek leaves the access time alone, find refreshes it.
  const int64_t later = wall_ms + 100'000;
  EXPECT_GE(idle_seconds(db.peek("k", later)->value, later), 99);
  EXPECT_GE(idle_seconds(db.peek("k", later)->value, later), 99);
  db.find("k", later);
  EXPECT_EQ(idle_seconds(db.peek("k", later)->value, later), 0);
  // A value that carries an access time (a moved one) keeps it.
  Value moved = Value::from_string("x");
  moved.touch(lru_clock(wall_ms - 50'000));
  db.set("m", std::move(moved));
  EXPECT_GE(idle_seconds(db.peek("m", wall_ms)->value, wall_ms), 49);
}

TEST(DatabaseTest, IdleSecondsAllowsForTheLruClockWrapping) {
  Value v = Value::from_string("x");
  const int64_t before_wrap_ms = int64_t{kLruClockMax - 10} * 1000;
  v.touch(lru_clock(before_wrap_ms));
  // 20 seconds later the 24-bit clock has wrapped past zero.
  const int64_t after_ms = before_wrap_ms + 20'000;
  EXPECT_LT(lru_clock(after_ms), lru_clock(before_wrap_ms));
  EXPECT_EQ(idle_seconds(v, after_ms), 19);  // Redis's estimate is off by one across the wrap
}

}  // namespace
}  // namespace tandem
