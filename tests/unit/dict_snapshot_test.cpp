// Tests for Dict::snapshot() (storage/dict.h): a snapshot reads exactly the contents at the
// moment it was taken whatever the dict does afterwards (inserts, erases, overwrites, takes,
// growth and shrinking), untouched entries stay shared rather than copied, the live dict keeps
// its guarantees (SCAN, rehash) meanwhile, a randomized model check with several snapshots
// alive at once, and a reader thread walking a snapshot while the main thread writes (run this
// file under ThreadSanitizer too; see docs/ARCHITECTURE.md).
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "storage/dict.h"
#include "tests/unit/string_dict_model.h"

namespace tandem {
namespace {

// Runs a rehash in progress to its end.
void finish_rehash(StringDict& d) {
  while (d.rehash_step(100)) {
  }
}

TEST(DictSnapshotTest, EmptyDictGivesAnEmptySnapshot) {
  StringDict d(kDictSeed);
  StringDict::Snapshot s = d.snapshot();
  d.try_emplace("a", "1");
  EXPECT_TRUE(s.empty());
  EXPECT_EQ(s.find("a"), nullptr);
  EXPECT_TRUE(dict_contents(s).empty());
}

TEST(DictSnapshotTest, SnapshotKeepsOldContentsThroughHeavyMutationAndGrowth) {
  StringDict d(kDictSeed);
  StringModel before;
  fill(d, before, 0, 5000, "v");
  finish_rehash(d);
  StringDict::Snapshot s = d.snapshot();
  StringModel live = before;
  // Overwrites through find() and try_emplace(), erases, takes, and four times as many inserts
  // (which starts a grow whose rehash must not disturb the snapshot).
  for (uint64_t i = 0; i < 5000; i += 3) {
    d.find(key_of(i))->value = "new" + std::to_string(i);
    live[key_of(i)] = "new" + std::to_string(i);
  }
  for (uint64_t i = 1; i < 5000; i += 3) {
    ASSERT_TRUE(d.erase(key_of(i)));
    live.erase(key_of(i));
  }
  for (uint64_t i = 2; i < 5000; i += 9) {
    ASSERT_EQ(d.take(key_of(i)), before[key_of(i)]);
    live.erase(key_of(i));
  }
  fill(d, live, 5000, 25000, "w");
  for (uint64_t i = 5000; i < 25000; i += 7) {
    d.try_emplace(key_of(i)).first->value = "again";
    live[key_of(i)] = "again";
  }
  d.rehash_for(1000);
  expect_dict_is(s, before);
  EXPECT_EQ(s.find(key_of(6000)), nullptr);
  EXPECT_EQ(dict_contents(d), live);
  EXPECT_EQ(d.size(), live.size());

  // Once the snapshot is gone the stalled rehash completes and nothing changed.
  s.reset();
  finish_rehash(d);
  EXPECT_FALSE(d.is_rehashing());
  EXPECT_EQ(dict_contents(d), live);
}

TEST(DictSnapshotTest, SnapshotSurvivesShrinkClearAndDestructionOfTheDict) {
  auto d = std::make_unique<StringDict>(kDictSeed);
  StringModel before, live;
  fill(*d, before, 0, 4000, "v");
  live = before;
  StringDict::Snapshot s = d->snapshot();
  for (uint64_t i = 0; i < 3900; ++i) {
    d->erase(key_of(i));
    live.erase(key_of(i));
  }
  d->rehash_for(1000);
  expect_dict_is(s, before);
  EXPECT_EQ(dict_contents(*d), live);
  StringDict::Snapshot second = d->snapshot();
  d->clear();
  fill(*d, live, 0, 10, "x");
  d.reset();
  expect_dict_is(s, before);
  StringModel tail;
  for (uint64_t i = 3900; i < 4000; ++i) tail[key_of(i)] = "v" + std::to_string(i);
  expect_dict_is(second, tail);
}

TEST(DictSnapshotTest, SnapshotTakenDuringARehashSeesBothTables) {
  StringDict d(kDictSeed);
  StringModel before;
  fill(d, before, 0, 1024, "v");
  finish_rehash(d);
  fill(d, before, 1024, 1100, "v");  // starts a grow; a few steps move some buckets
  ASSERT_TRUE(d.is_rehashing());
  StringDict::Snapshot s = d.snapshot();
  StringModel live = before;
  for (uint64_t i = 0; i < 1100; i += 2) {
    d.find(key_of(i))->value = "changed";
    live[key_of(i)] = "changed";
  }
  fill(d, live, 2000, 6000, "w");
  expect_dict_is(s, before);
  EXPECT_EQ(dict_contents(d), live);
  s.reset();
  d.rehash_for(100000);
  EXPECT_EQ(dict_contents(d), live);
}

TEST(DictSnapshotTest, UntouchedEntriesStaySharedAndWrittenOnesAreCopied) {
  StringDict d(kDictSeed);
  StringModel before;
  fill(d, before, 0, 10000, "v");
  finish_rehash(d);
  StringDict::Snapshot s = d.snapshot();
  StringDict::Entry* written = d.find(key_of(7));  // a mutable lookup copies the node
  written->value = "changed";
  const StringDict& cd = d;
  EXPECT_NE(s.find(key_of(7)), cd.find(key_of(7)));
  EXPECT_EQ(s.find(key_of(7))->value, "v7");
  size_t shared = 0;
  for (uint64_t i = 0; i < 10000; ++i) shared += s.find(key_of(i)) == cd.find(key_of(i));
  // Only key 7 and the nodes ahead of it in its chain may have been copied.
  EXPECT_GE(shared, 10000u - 8);
  // The copy is exclusive now: a second lookup returns the same node.
  EXPECT_EQ(d.find(key_of(7)), written);
}

TEST(DictSnapshotTest, PeekRandomCopiesNothingASnapshotShares) {
  StringDict d(kDictSeed);
  StringModel before;
  fill(d, before, 0, 2000, "v");
  finish_rehash(d);
  StringDict::Snapshot s = d.snapshot();
  const StringDict& cd = d;
  std::set<std::string> seen;
  for (int i = 0; i < 20000; ++i) {
    const StringDict::Entry* e = cd.peek_random();
    ASSERT_NE(e, nullptr);
    ASSERT_EQ(s.find(e->key), e);  // the very node the snapshot holds: nothing was copied
    seen.insert(e->key);
  }
  EXPECT_GT(seen.size(), 1900u);  // and the picks cover the table
}

TEST(DictSnapshotTest, DrainVisitsEverythingOnceAndEmptiesTheSnapshot) {
  StringDict d(kDictSeed);
  StringModel before;
  fill(d, before, 0, 3000, "v");
  StringDict::Snapshot s = d.snapshot();
  for (uint64_t i = 0; i < 3000; i += 2) d.erase(key_of(i));
  StringModel drained;
  s.drain([&](const StringDict::Entry& e) {
    EXPECT_TRUE(drained.emplace(std::string(e.key), e.value).second);
  });
  EXPECT_EQ(drained, before);
  EXPECT_TRUE(s.empty());
  EXPECT_EQ(d.size(), 1500u);
}

// The SCAN guarantee of the live dict holds while a snapshot stalls its rehash.
TEST(DictSnapshotTest, ScanMissesNothingWhileASnapshotIsAlive) {
  StringDict d(kDictSeed);
  StringModel base;
  fill(d, base, 0, 2000, "v");
  StringDict::Snapshot s = d.snapshot();
  std::map<std::string, int> seen;
  uint64_t cursor = 0, extra = 100000;
  size_t calls = 0;
  do {
    cursor = d.scan(cursor, [&](StringDict::Entry& e) { ++seen[e.key]; });
    // Inserts (growth), and erases of keys that are not part of the base set.
    for (int i = 0; i < 20; ++i) d.try_emplace(key_of(extra++), "x");
    d.erase(key_of(extra - 30));
    ASSERT_LT(++calls, 1000000u);
  } while (cursor != 0);
  for (const auto& [k, v] : base) EXPECT_EQ(seen[k], 1) << k;
  for (const auto& [k, n] : seen) EXPECT_EQ(n, 1) << k;
  expect_dict_is(s, base);
}

// Fewer seeds for the model test under ThreadSanitizer (ctest's dict_snapshot_tsan), which is
// there for the two-thread test.
#ifdef __SANITIZE_THREAD__
constexpr uint64_t kModelSeeds = 2;
#else
constexpr uint64_t kModelSeeds = 6;
#endif

// Random interleavings of writes, snapshot creation, reading and release, against a model.
TEST(DictSnapshotTest, RandomizedModelWithSeveralLiveSnapshots) {
  for (uint64_t seed = 1; seed <= kModelSeeds; ++seed) {
    std::mt19937_64 rng(seed);
    StringDict d(seed);
    StringModel live;
    struct Held {
      StringDict::Snapshot snap;
      StringModel model;
    };
    std::vector<Held> held;
    const uint64_t key_space = seed % 2 ? 300 : 3000;
    auto pick = [&](uint64_t n) { return std::uniform_int_distribution<uint64_t>(0, n - 1)(rng); };
    for (int iter = 0; iter < 6000; ++iter) {
      const std::string k = key_of(pick(key_space));
      switch (pick(12)) {
        case 0:
        case 1:
        case 2: {  // insert or overwrite
          const std::string v = std::to_string(iter);
          auto [e, inserted] = d.try_emplace(k, v);
          if (!inserted) e->value = v;
          live[k] = v;
          break;
        }
        case 3:
        case 4:
          ASSERT_EQ(d.erase(k), live.erase(k) == 1);
          break;
        case 5: {
          auto taken = d.take(k);
          auto it = live.find(k);
          ASSERT_EQ(taken.has_value(), it != live.end());
          if (taken) {
            ASSERT_EQ(*taken, it->second);
            live.erase(it);
          }
          break;
        }
        case 6:
          if (auto* e = d.find(k)) {
            e->value += "+";
            live[k] += "+";
          }
          break;
        case 7:
          if (auto* e = d.random_entry(rng)) {
            e->value += "r";
            live[std::string(e->key)] += "r";
          }
          break;
        case 8:
          d.rehash_for(pick(2) ? 0 : 1000);
          break;
        case 9:  // mass growth or shrink now and then
          if (pick(40) == 0) {
            if (live.size() < key_space / 2) {
              for (uint64_t i = 0; i < key_space; ++i) {
                d.try_emplace(key_of(i), "bulk");
                live.try_emplace(key_of(i), "bulk");
              }
            } else {
              for (uint64_t i = 0; i < key_space; i += 1 + pick(2)) {
                d.erase(key_of(i));
                live.erase(key_of(i));
              }
            }
          }
          break;
        case 10:
          if (held.size() < 4) held.push_back({d.snapshot(), live});
          break;
        case 11:
          if (!held.empty()) {
            const size_t i = pick(held.size());
            expect_dict_is(held[i].snap, held[i].model);
            if (pick(2)) held.erase(held.begin() + static_cast<std::ptrdiff_t>(i));
          }
          break;
      }
      if (iter % 500 == 0) {
        ASSERT_EQ(dict_contents(d), live) << "seed " << seed << " iter " << iter;
      }
    }
    for (auto& h : held) expect_dict_is(h.snap, h.model);
    ASSERT_EQ(dict_contents(d), live);
    held.clear();
    finish_rehash(d);
    ASSERT_EQ(dict_contents(d), live);
  }
}

// A reader thread walks (and drains) a snapshot while the main thread overwrites, erases and
// inserts; the reader must see exactly the frozen contents. Under TSan this also checks the
// reference-count synchronisation rule.
TEST(DictSnapshotTest, ReaderThreadSeesFrozenContentsWhileMainThreadWrites) {
  constexpr uint64_t kKeys = 20000;
  StringDict d(kDictSeed);
  StringModel live;
  fill(d, live, 0, kKeys, "v");
  std::mt19937_64 rng(7);
  for (int round = 0; round < 4; ++round) {
    const StringModel frozen = live;
    StringDict::Snapshot s = d.snapshot();
    std::atomic<bool> done{false};
    StringModel seen;
    bool duplicate = false;
    std::thread reader([&, drain = round % 2 == 1] {
      auto visit = [&](const StringDict::Entry& e) {
        duplicate |= !seen.emplace(std::string(e.key), e.value).second;
      };
      if (drain) {
        s.drain(visit);
      } else {
        s.for_each(visit);
        s.reset();  // released on the reader thread
      }
      done.store(true, std::memory_order_release);
    });
    uint64_t next = kKeys * (round + 1);
    while (!done.load(std::memory_order_acquire)) {
      for (int i = 0; i < 200; ++i) {
        const std::string k = key_of(rng() % (kKeys * (round + 1)));
        switch (rng() % 4) {
          case 0:
            if (auto* e = d.find(k)) {
              e->value = "w" + std::to_string(round);
              live[k] = e->value;
            }
            break;
          case 1:
            d.erase(k);
            live.erase(k);
            break;
          default:
            d.try_emplace(key_of(next), "n");
            live[key_of(next++)] = "n";
        }
      }
      d.rehash_step(10);
    }
    reader.join();
    EXPECT_FALSE(duplicate);
    EXPECT_EQ(seen, frozen) << "round " << round;
    EXPECT_EQ(dict_contents(d), live);
  }
}

}  // namespace
}  // namespace tandem
