// Tests for server/watched_keys.h, wired to a real keyspace through its hooks as the server wires
// it: writes make watchers dirty (and unwatch them), flushes dirty only the watchers of keys that
// were there, keys already expired when watched follow Redis 7.0's rules, and unwatching keeps
// both sides of the registry in step.
#include "server/watched_keys.h"

#include <gtest/gtest.h>

#include "storage/clock.h"
#include "storage/keyspace.h"

namespace tandem {
namespace {

class WatchedKeysTest : public ::testing::Test {
 protected:
  WatchedKeysTest() {
    keyspace_.expiry().on_modified = [this](int db, std::string_view key) {
      registry_.touch(db, key);
    };
    keyspace_.expiry().on_flush = [this](int db) { registry_.touch_all_in(db); };
  }

  Database& db(int index) { return keyspace_.db(index); }
  void store(int index, std::string_view key) { db(index).set(key, Value::from_string("v")); }

  int64_t now_ = unix_time_ms();
  Keyspace keyspace_{4};
  WatchedKeys registry_{keyspace_};
};

TEST_F(WatchedKeysTest, WriteToWatchedKeyMakesItsWatchersDirtyAndUnwatchesThem) {
  WatchState a, b;
  registry_.watch(a, 0, "k", now_);
  registry_.watch(a, 0, "other", now_);
  registry_.watch(b, 0, "k", now_);
  EXPECT_EQ(registry_.size(), 3u);
  store(0, "k");
  EXPECT_TRUE(a.dirty);
  EXPECT_TRUE(b.dirty);
  EXPECT_TRUE(a.keys.empty());
  EXPECT_EQ(registry_.size(), 0u);
}

TEST_F(WatchedKeysTest, WritesToOtherKeysOrDatabasesChangeNothing) {
  WatchState w;
  registry_.watch(w, 0, "k", now_);
  store(0, "k2");
  store(1, "k");
  EXPECT_FALSE(w.dirty);
  EXPECT_EQ(registry_.size(), 1u);
}

TEST_F(WatchedKeysTest, WatchingTheSameKeyTwiceIsOneWatch) {
  WatchState w;
  registry_.watch(w, 2, "k", now_);
  registry_.watch(w, 2, "k", now_);
  EXPECT_EQ(w.keys.size(), 1u);
  EXPECT_EQ(registry_.size(), 1u);
}

TEST_F(WatchedKeysTest, UnwatchAllForgetsOnlyThatWatcher) {
  WatchState a, b;
  registry_.watch(a, 0, "k", now_);
  registry_.watch(b, 0, "k", now_);
  registry_.unwatch_all(a);
  EXPECT_TRUE(a.keys.empty());
  EXPECT_EQ(registry_.size(), 1u);
  store(0, "k");
  EXPECT_FALSE(a.dirty);
  EXPECT_TRUE(b.dirty);
}

TEST_F(WatchedKeysTest, DeletesAndTtlChangesAreModifications) {
  WatchState deleted, expired, persisted;
  store(0, "d");
  store(0, "e");
  store(0, "p");
  db(0).set_expire("p", now_ + 100'000);
  registry_.watch(deleted, 0, "d", now_);
  registry_.watch(expired, 0, "e", now_);
  registry_.watch(persisted, 0, "p", now_);
  db(0).erase("d");
  db(0).set_expire("e", now_ + 100'000);
  db(0).persist("p");
  EXPECT_TRUE(deleted.dirty);
  EXPECT_TRUE(expired.dirty);
  EXPECT_TRUE(persisted.dirty);
}

TEST_F(WatchedKeysTest, FlushDirtiesOnlyWatchersOfKeysTheDatabaseHeld) {
  WatchState held, missing, elsewhere;
  store(0, "a");
  store(1, "a");
  registry_.watch(held, 0, "a", now_);
  registry_.watch(missing, 0, "b", now_);
  registry_.watch(elsewhere, 1, "a", now_);
  db(0).clear();
  EXPECT_TRUE(held.dirty);
  EXPECT_FALSE(missing.dirty);
  EXPECT_FALSE(elsewhere.dirty);
  keyspace_.flush_all();
  EXPECT_TRUE(elsewhere.dirty);
}

TEST_F(WatchedKeysTest, KeyLiveWhenWatchedThatExpiresSinceCountsAtExec) {
  WatchState w;
  store(0, "k");
  db(0).set_expire("k", now_ + 50);
  registry_.watch(w, 0, "k", now_);
  EXPECT_FALSE(registry_.any_expired(w, now_));
  EXPECT_TRUE(registry_.any_expired(w, now_ + 51));
}

TEST_F(WatchedKeysTest, KeyExpiredWhenWatchedOnlyChangesWhenALiveValueReplacesIt) {
  WatchState w;
  store(0, "k");
  db(0).set_expire("k", now_ - 10);
  registry_.watch(w, 0, "k", now_);
  EXPECT_FALSE(registry_.any_expired(w, now_));
  // Lazy expiry deletes it: no change a client could see.
  EXPECT_EQ(db(0).find("k", now_), nullptr);
  EXPECT_FALSE(w.dirty);
  EXPECT_FALSE(w.keys[0].expired);
  store(0, "k");
  EXPECT_TRUE(w.dirty);
}

TEST_F(WatchedKeysTest, KeyExpiredWhenWatchedIsNoChangeWhenFlushed) {
  WatchState w;
  store(0, "k");
  db(0).set_expire("k", now_ - 10);
  registry_.watch(w, 0, "k", now_);
  keyspace_.flush_all();
  EXPECT_FALSE(w.dirty);
}

TEST_F(WatchedKeysTest, OverwritingAnExpiredKeyWithALiveValueIsAChange) {
  WatchState w;
  store(0, "k");
  db(0).set_expire("k", now_ - 10);
  registry_.watch(w, 0, "k", now_);
  store(0, "k");  // set() without a lookup first (MSET): the TTL goes with the old value
  EXPECT_TRUE(w.dirty);
}

}  // namespace
}  // namespace tandem
