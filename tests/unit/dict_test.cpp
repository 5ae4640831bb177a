// Tests for storage/dict.h: basic operations, incremental rehashing, a randomized model check
// against std::unordered_map, the SCAN guarantee under concurrent mutation, and random_entry.
#include "storage/dict.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "tests/unit/string_dict_model.h"

namespace tandem {
namespace {

constexpr uint64_t kDictTestSeed = 0x1234abcd;

uint64_t rev64(uint64_t v) {
  uint64_t r = 0;
  for (int i = 0; i < 64; ++i) r |= ((v >> i) & 1) << (63 - i);
  return r;
}

// Finishes any rehash in progress so bucket counts are stable.
template <typename V>
void finish_rehash(Dict<V>& d) {
  while (d.rehash_step(100)) {
  }
}

// A full SCAN iteration; counts how often each key was returned.
template <typename V>
std::map<std::string, int> full_scan(Dict<V>& d, uint64_t cursor = 0) {
  std::map<std::string, int> seen;
  size_t calls = 0;
  do {
    cursor = d.scan(cursor, [&](typename Dict<V>::Entry& e) { ++seen[e.key]; });
    EXPECT_LT(++calls, 10'000'000u);
  } while (cursor != 0 && calls < 10'000'000);
  return seen;
}

TEST(DictTest, InsertFindEraseBasics) {
  Dict<int> d(kDictTestSeed);
  EXPECT_TRUE(d.empty());
  EXPECT_EQ(d.find("a"), nullptr);
  EXPECT_FALSE(d.erase("a"));

  auto [a, inserted] = d.try_emplace("a", 1);
  ASSERT_TRUE(inserted);
  EXPECT_EQ(a->key, "a");
  EXPECT_EQ(a->value, 1);
  EXPECT_EQ(d.size(), 1u);
  EXPECT_EQ(d.find("a"), a);
  EXPECT_EQ(d.find("b"), nullptr);

  auto [again, inserted_again] = d.try_emplace("a", 2);
  EXPECT_FALSE(inserted_again);
  EXPECT_EQ(again, a);
  EXPECT_EQ(a->value, 1) << "try_emplace must not overwrite";
  a->value = 3;
  const Dict<int>& cd = d;
  ASSERT_NE(cd.find("a"), nullptr);
  EXPECT_EQ(cd.find("a")->value, 3);

  d.try_emplace("b", 4);
  EXPECT_EQ(d.size(), 2u);
  EXPECT_TRUE(d.erase("a"));
  EXPECT_FALSE(d.erase("a"));
  EXPECT_EQ(d.find("a"), nullptr);
  EXPECT_EQ(d.size(), 1u);

  EXPECT_EQ(d.take("b"), std::optional<int>(4));
  EXPECT_EQ(d.take("b"), std::nullopt);
  EXPECT_TRUE(d.empty());
}

TEST(DictTest, EmptyAndBinaryKeysAreDistinct) {
  Dict<int> d(kDictTestSeed);
  d.try_emplace("", 1);
  d.try_emplace(std::string_view("\0", 1), 2);
  d.try_emplace(std::string_view("a\0b", 3), 3);
  EXPECT_EQ(d.size(), 3u);
  EXPECT_EQ(d.find("")->value, 1);
  EXPECT_EQ(d.find(std::string_view("\0", 1))->value, 2);
  EXPECT_EQ(d.find(std::string_view("a\0b", 3))->value, 3);
  EXPECT_EQ(d.find("a"), nullptr);
}

TEST(DictTest, EraseByEntryPointerRemovesThatEntry) {
  Dict<int> d(kDictTestSeed);
  for (int i = 0; i < 100; ++i) d.try_emplace(key_of(i), i);
  Dict<int>::Entry* e = d.find(key_of(42));
  ASSERT_NE(e, nullptr);
  d.erase(e);
  EXPECT_EQ(d.find(key_of(42)), nullptr);
  EXPECT_EQ(d.size(), 99u);
}

TEST(DictTest, HoldsMoveOnlyValues) {
  Dict<std::unique_ptr<int>> d(kDictTestSeed);
  d.try_emplace("x", std::make_unique<int>(7));
  EXPECT_EQ(*d.find("x")->value, 7);
  std::optional<std::unique_ptr<int>> v = d.take("x");
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(**v, 7);
  d.try_emplace("y");  // value-initialized
  EXPECT_EQ(d.find("y")->value, nullptr);
}

TEST(DictTest, EntriesKeepTheirAddressAcrossGrowthAndShrink) {
  Dict<int> d(kDictTestSeed);
  std::vector<Dict<int>::Entry*> ptrs;
  for (int i = 0; i < 100; ++i) ptrs.push_back(d.try_emplace(key_of(i), i).first);
  const size_t small_buckets = d.bucket_count();
  for (int i = 100; i < 20000; ++i) d.try_emplace(key_of(i), i);
  EXPECT_GT(d.bucket_count(), small_buckets * 64);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(d.find(key_of(i)), ptrs[i]);
  for (int i = 100; i < 20000; ++i) d.erase(key_of(i));
  finish_rehash(d);
  EXPECT_LE(d.bucket_count(), 128u);
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(d.find(key_of(i)), ptrs[i]);
    EXPECT_EQ(ptrs[i]->value, i);
  }
}

TEST(DictTest, GrowthRehashesIncrementallyOverLaterOperations) {
  Dict<int> d(kDictTestSeed);
  for (int i = 0; i < 1024; ++i) d.try_emplace(key_of(i), i);
  finish_rehash(d);
  ASSERT_FALSE(d.is_rehashing());
  ASSERT_EQ(d.bucket_count(), 1024u);

  d.try_emplace(key_of(1024), 1024);  // size reaches the bucket count: start growing
  ASSERT_TRUE(d.is_rehashing());
  EXPECT_EQ(d.bucket_count(), 1024u + 2048u);
  // Every key stays reachable mid-rehash, without help from const lookups (which never step).
  const Dict<int>& cd = d;
  for (int i = 0; i <= 1024; ++i) ASSERT_NE(cd.find(key_of(i)), nullptr);
  EXPECT_TRUE(d.is_rehashing());

  // Each lookup moves one bucket: completion takes many lookups, but no more than the old size.
  int lookups = 0;
  while (d.is_rehashing()) {
    ASSERT_NE(d.find(key_of(lookups % 1025)), nullptr);
    ++lookups;
    ASSERT_LE(lookups, 1024);
  }
  EXPECT_GT(lookups, 300);
  EXPECT_EQ(d.bucket_count(), 2048u);
  EXPECT_EQ(d.size(), 1025u);
}

TEST(DictTest, RehashStepAndRehashForDriveRehashToCompletion) {
  Dict<int> d(kDictTestSeed);
  for (int i = 0; i < 4096; ++i) d.try_emplace(key_of(i), i);
  finish_rehash(d);
  d.try_emplace("one more", 0);
  ASSERT_TRUE(d.is_rehashing());
  EXPECT_TRUE(d.rehash_step(1));
  EXPECT_FALSE(d.rehash_for(10'000'000));
  EXPECT_FALSE(d.is_rehashing());
  EXPECT_FALSE(d.rehash_step(1));
  EXPECT_EQ(d.bucket_count(), 8192u);
}

TEST(DictTest, ShrinksWhenMostlyEmpty) {
  Dict<int> d(kDictTestSeed);
  for (int i = 0; i < 1000; ++i) d.try_emplace(key_of(i), i);
  finish_rehash(d);
  EXPECT_EQ(d.bucket_count(), 1024u);
  for (int i = 10; i < 1000; ++i) d.erase(key_of(i));
  finish_rehash(d);
  EXPECT_EQ(d.bucket_count(), 16u);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(d.find(key_of(i))->value, i);
  for (int i = 0; i < 10; ++i) d.erase(key_of(i));
  finish_rehash(d);
  EXPECT_EQ(d.bucket_count(), 4u);
  EXPECT_TRUE(d.empty());
}

TEST(DictTest, RehashForStartsADueShrink) {
  Dict<int> d(kDictTestSeed);
  for (int i = 0; i < 100; ++i) d.try_emplace(key_of(i), i);
  finish_rehash(d);
  ASSERT_TRUE(d.expand(1 << 14));
  finish_rehash(d);
  EXPECT_EQ(d.bucket_count(), 1u << 14) << "finishing the expand must not undo it";
  EXPECT_FALSE(d.rehash_for(1'000'000));  // the cron, like Redis's, does take it back
  EXPECT_EQ(d.bucket_count(), 128u);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(d.find(key_of(i))->value, i);
}

TEST(DictTest, ResizeDisallowedOnlyResizesUnderExtremeLoad) {
  Dict<int> d(kDictTestSeed);
  d.set_resize_allowed(false);
  for (int i = 0; i < 16; ++i) d.try_emplace(key_of(i), i);
  EXPECT_EQ(d.bucket_count(), 4u);
  EXPECT_FALSE(d.is_rehashing());
  for (int i = 16; i < 40; ++i) d.try_emplace(key_of(i), i);
  EXPECT_GT(d.bucket_count(), 4u) << "load over 4x forces growth";
  finish_rehash(d);

  Dict<int> e(kDictTestSeed);
  for (int i = 0; i < 16; ++i) e.try_emplace(key_of(i), i);
  finish_rehash(e);
  e.set_resize_allowed(false);
  const size_t buckets = e.bucket_count();
  for (int i = 0; i < 48; ++i) e.try_emplace("x" + key_of(i), i);  // 64 entries: 4x the buckets
  EXPECT_FALSE(e.is_rehashing());
  EXPECT_EQ(e.bucket_count(), buckets);
  e.set_resize_allowed(true);  // catches up at once
  EXPECT_GT(e.bucket_count(), buckets);
  for (int i = 0; i < 48; ++i) EXPECT_EQ(e.find("x" + key_of(i))->value, i);
}

TEST(DictTest, ExpandPresizesTheTable) {
  Dict<int> d(kDictTestSeed);
  EXPECT_TRUE(d.expand(1000));
  EXPECT_EQ(d.bucket_count(), 1024u);
  EXPECT_FALSE(d.expand(500));
  for (int i = 0; i < 1000; ++i) d.try_emplace(key_of(i), i);
  EXPECT_FALSE(d.is_rehashing());
  EXPECT_EQ(d.bucket_count(), 1024u);
  EXPECT_TRUE(d.expand(5000));
  EXPECT_TRUE(d.is_rehashing());
  EXPECT_FALSE(d.expand(100000)) << "no second resize while rehashing";
  finish_rehash(d);
  EXPECT_EQ(d.bucket_count(), 8192u) << "finishing the rehash must not undo the hint";
  EXPECT_EQ(d.size(), 1000u);
}

TEST(DictTest, MoveTransfersEntriesAndLeavesSourceEmptyAndUsable) {
  Dict<int> a(kDictTestSeed);
  for (int i = 0; i < 1025; ++i) a.try_emplace(key_of(i), i);  // mid-rehash
  Dict<int>::Entry* e = a.find(key_of(5));
  Dict<int> b(std::move(a));
  EXPECT_EQ(b.size(), 1025u);
  EXPECT_EQ(b.find(key_of(5)), e);
  EXPECT_TRUE(a.empty());
  EXPECT_EQ(a.bucket_count(), 0u);
  a.try_emplace("fresh", 1);
  EXPECT_EQ(a.find("fresh")->value, 1);

  Dict<int> c(kDictTestSeed);
  c.try_emplace("old", 1);
  c = std::move(b);
  EXPECT_EQ(c.size(), 1025u);
  EXPECT_EQ(c.find("old"), nullptr);
  EXPECT_EQ(c.find(key_of(5)), e);
}

TEST(DictTest, ClearAndDestroyLargeDict) {
  auto d = std::make_unique<Dict<std::string>>(kDictTestSeed);
  for (int i = 0; i < 100000; ++i) d->try_emplace(key_of(i), "value");
  d->clear();
  EXPECT_TRUE(d->empty());
  EXPECT_EQ(d->find(key_of(1)), nullptr);
  for (int i = 0; i < 100000; ++i) d->try_emplace(key_of(i), "value");
  d.reset();
}

TEST(DictTest, RandomizedOperationsMatchUnorderedMap) {
  for (uint64_t seed = 0; seed < 8; ++seed) {
    std::mt19937_64 rng(seed);
    Dict<uint64_t> d(seed);
    std::unordered_map<std::string, uint64_t> model;
    // Alternating phases of mostly-insert and mostly-erase make the table grow and shrink.
    for (int op = 0; op < 40000; ++op) {
      const bool growing = (op / 5000) % 2 == 0;
      const std::string key = key_of(rng() % 3000);
      const uint64_t value = rng();
      const unsigned kind = rng() % 10;
      if (kind < (growing ? 5u : 2u)) {
        auto [e, inserted] = d.try_emplace(key, value);
        auto [it, model_inserted] = model.try_emplace(key, value);
        ASSERT_EQ(inserted, model_inserted);
        ASSERT_EQ(e->key, key);
        ASSERT_EQ(e->value, it->second);
      } else if (kind < 7) {
        if (kind == 6) {
          auto taken = d.take(key);
          auto it = model.find(key);
          ASSERT_EQ(taken.has_value(), it != model.end());
          if (taken) {
            ASSERT_EQ(*taken, it->second);
          }
          if (it != model.end()) model.erase(it);
        } else {
          ASSERT_EQ(d.erase(key), model.erase(key) == 1);
        }
      } else if (kind < 9) {
        auto* e = d.find(key);
        auto it = model.find(key);
        ASSERT_EQ(e != nullptr, it != model.end());
        if (e) {
          ASSERT_EQ(e->value, it->second);
          e->value = it->second = value;
        }
      } else {
        const auto* e = std::as_const(d).find(key);
        ASSERT_EQ(e != nullptr, model.count(key) == 1);
      }
      ASSERT_EQ(d.size(), model.size());
      if (op % 997 == 0) {
        size_t visited = 0;
        std::as_const(d).for_each([&](const Dict<uint64_t>::Entry& e) {
          ++visited;
          auto it = model.find(e.key);
          ASSERT_NE(it, model.end());
          EXPECT_EQ(it->second, e.value);
        });
        ASSERT_EQ(visited, model.size());
      }
    }
  }
}

TEST(DictTest, ScanOfStaticTableReturnsEveryKeyExactlyOnce) {
  for (int n : {0, 1, 3, 4, 5, 100, 1024, 1025, 5000}) {
    Dict<int> d(kDictTestSeed + n);
    for (int i = 0; i < n; ++i) d.try_emplace(key_of(i), i);
    auto seen = full_scan(d);
    ASSERT_EQ(seen.size(), static_cast<size_t>(n)) << "n=" << n;
    for (auto& [key, count] : seen) EXPECT_EQ(count, 1) << key;
    finish_rehash(d);
    seen = full_scan(d);
    ASSERT_EQ(seen.size(), static_cast<size_t>(n));
    for (auto& [key, count] : seen) EXPECT_EQ(count, 1) << key;
  }
}

TEST(DictTest, ScanMidRehashReturnsEveryKeyExactlyOnce) {
  for (bool shrinking : {false, true}) {
    Dict<int> d(kDictTestSeed);
    const int n = shrinking ? 4096 : 2048;
    for (int i = 0; i < n; ++i) d.try_emplace(key_of(i), i);
    finish_rehash(d);
    if (shrinking) {
      for (int i = 0; !d.is_rehashing(); ++i) d.erase(key_of(i));
      EXPECT_LT(d.bucket_count(), 2u * n);
    } else {
      d.try_emplace(key_of(n), n);
      EXPECT_EQ(d.bucket_count(), 3u * n);
    }
    ASSERT_TRUE(d.is_rehashing());
    d.rehash_step(20);
    ASSERT_TRUE(d.is_rehashing());
    auto seen = full_scan(d);
    ASSERT_TRUE(d.is_rehashing()) << "scan must not advance the rehash";
    ASSERT_EQ(seen.size(), d.size());
    for (auto& [key, count] : seen) {
      EXPECT_EQ(count, 1) << key;
      EXPECT_NE(d.find(key), nullptr);
    }
  }
}

TEST(DictTest, ScanFromAnyCursorReturnsExactlyPositionsAtOrAfterIt) {
  std::mt19937_64 rng(7);
  Dict<int> d(kDictTestSeed);
  for (int i = 0; i < 3000; ++i) d.try_emplace(key_of(i), i);
  for (int round = 0; round < 40; ++round) {
    // Vary the table state: settled, growing, shrinking.
    if (round == 10) finish_rehash(d);
    if (round == 20) {
      for (int i = 200; i < 3000; ++i) d.erase(key_of(i));
    }
    if (round == 30) d.set_resize_allowed(true);
    const uint64_t cursor = round % 4 == 0 ? ~uint64_t{0} : rng();
    std::set<std::string> expected;
    d.for_each([&](Dict<int>::Entry& e) {
      if (rev64(e.hash) >= rev64(cursor)) expected.insert(e.key);
    });
    auto seen = full_scan(d, cursor);
    std::set<std::string> got;
    for (auto& [key, count] : seen) {
      EXPECT_EQ(count, 1);
      got.insert(key);
    }
    EXPECT_EQ(got, expected) << "round " << round;
  }
}

TEST(DictTest, ScanWithArbitraryCursorsTerminates) {
  std::mt19937_64 rng(11);
  Dict<int> d(kDictTestSeed);
  for (int i = 0; i < 777; ++i) d.try_emplace(key_of(i), i);
  for (int round = 0; round < 200; ++round) {
    if (round % 50 == 0) d.try_emplace("k" + key_of(round), 0);  // sometimes starts a rehash
    uint64_t cursor = round < 64 ? uint64_t{1} << round : rng();
    size_t calls = 0;
    do {
      cursor = d.scan(cursor, [](Dict<int>::Entry&) {});
      ++calls;
    } while (cursor != 0 && calls <= d.bucket_count() + 1);
    EXPECT_EQ(cursor, 0u);
  }
  Dict<int> empty(kDictTestSeed);
  EXPECT_EQ(empty.scan(12345, [](Dict<int>::Entry&) { ADD_FAILURE(); }), 0u);
}

// The headline SCAN guarantee: mutations, growth, shrinkage and partial rehashes between calls
// never make SCAN miss a key present throughout, nor return any key twice.
TEST(DictTest, ScanUnderMutationMissesNothingAndNeverDuplicates) {
  constexpr uint64_t kUniverse = 20000;
  size_t scans_while_rehashing = 0, grew = 0, shrank = 0;
  for (uint64_t seed = 0; seed < 60; ++seed) {
    std::mt19937_64 rng(seed * 7919 + 1);
    Dict<int> d(seed);
    std::unordered_set<uint64_t> present;
    const size_t initial = 50 + rng() % 3000;
    while (present.size() < initial) {
      uint64_t k = rng() % kUniverse;
      present.insert(k);
      d.try_emplace(key_of(k), 0);
    }
    if (seed % 2) finish_rehash(d);
    std::unordered_set<uint64_t> erased_during, returned;
    const std::unordered_set<uint64_t> at_start = present;
    size_t prev_buckets = d.bucket_count();
    bool seed_grew = false, seed_shrank = false;
    // Per seed: mostly grow, mostly shrink, or swing between nearly empty and large.
    const int style = seed % 3;
    bool filling = false;
    uint64_t cursor = 0;
    size_t calls = 0;
    do {
      if (d.is_rehashing()) ++scans_while_rehashing;
      cursor = d.scan(cursor, [&](Dict<int>::Entry& e) {
        const uint64_t k = std::stoull(std::string(e.key.substr(4)));
        EXPECT_TRUE(present.count(k)) << "returned a key that is not present";
        EXPECT_TRUE(returned.insert(k).second) << "returned twice: " << e.key.view();
      });
      ++calls;
      const size_t ops = rng() % 40;
      for (size_t i = 0; i < ops; ++i) {
        if (present.size() < 50) filling = true;
        if (present.size() > 8000) filling = false;
        const int insert_percent = style == 0 ? 80 : style == 1 ? 10 : filling ? 90 : 5;
        const uint64_t k = rng() % kUniverse;
        if (static_cast<int>(rng() % 100) < insert_percent) {
          if (d.try_emplace(key_of(k), 0).second) present.insert(k);
        } else if (!present.empty()) {
          // Erase an existing key most of the time so that shrinking really happens.
          const uint64_t victim = rng() % 4 ? *present.begin() : k;
          if (d.erase(key_of(victim))) {
            present.erase(victim);
            erased_during.insert(victim);
          }
        }
        ASSERT_EQ(d.size(), present.size());
      }
      // A resize shows as the sum of both tables' buckets rising, then settling up or down.
      if (!d.is_rehashing()) {
        seed_grew |= d.bucket_count() > prev_buckets;
        seed_shrank |= d.bucket_count() < prev_buckets;
        prev_buckets = d.bucket_count();
      }
      ASSERT_LT(calls, 1'000'000u) << "scan did not terminate";
    } while (cursor != 0);
    grew += seed_grew;
    shrank += seed_shrank;
    for (uint64_t k : at_start) {
      if (!erased_during.count(k)) {
        EXPECT_TRUE(returned.count(k)) << "missed " << key_of(k);
      }
    }
  }
  EXPECT_GT(scans_while_rehashing, 1000u);
  EXPECT_GE(grew, 40u);
  EXPECT_GE(shrank, 40u);
  std::printf("scans while rehashing: %zu, seeds that grew: %zu, shrank: %zu\n",
              scans_while_rehashing, grew, shrank);
}

TEST(DictTest, RandomEntryReturnsMembersAndCoversAllKeys) {
  Dict<int> empty(kDictTestSeed);
  EXPECT_EQ(empty.random_entry(), nullptr);

  Dict<int> d(kDictTestSeed);
  constexpr int kKeys = 10;
  for (int i = 0; i < kKeys; ++i) d.try_emplace(key_of(i), i);
  std::map<std::string, int> counts;
  constexpr int kDraws = 20000;
  for (int i = 0; i < kDraws; ++i) {
    Dict<int>::Entry* e = d.random_entry();
    ASSERT_NE(e, nullptr);
    ASSERT_EQ(d.find(e->key), e);
    ++counts[e->key];
  }
  ASSERT_EQ(counts.size(), static_cast<size_t>(kKeys));
  for (auto& [key, count] : counts) {
    EXPECT_GT(count, kDraws / kKeys / 2) << key;
    EXPECT_LT(count, kDraws / kKeys * 3 / 2) << key;
  }
}

TEST(DictTest, RandomEntryCoversKeysInSparseAndRehashingTables) {
  std::mt19937_64 rng(3);
  Dict<int> sparse(kDictTestSeed);
  sparse.expand(1 << 16);
  for (int i = 0; i < 3; ++i) sparse.try_emplace(key_of(i), i);
  std::set<std::string> seen;
  for (int i = 0; i < 200 && seen.size() < 3; ++i) seen.insert(sparse.random_entry(rng)->key);
  EXPECT_EQ(seen.size(), 3u);

  Dict<int> d(kDictTestSeed);
  for (int i = 0; i < 65; ++i) d.try_emplace(key_of(i), i);
  ASSERT_TRUE(d.is_rehashing());
  seen.clear();
  for (int i = 0; i < 5000; ++i) {
    Dict<int>::Entry* e = d.random_entry(rng);
    ASSERT_NE(e, nullptr);
    seen.insert(e->key);
  }
  EXPECT_EQ(seen.size(), 65u);
}

}  // namespace
}  // namespace tandem
