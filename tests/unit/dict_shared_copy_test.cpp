// Tests for Dict::shared_copy() (storage/dict.h, "Shared copies"): a copy shares every node
// until one side writes, writes on either side stay invisible to the other, random operations on
// several live copies match a model each, a rehash either stalls on shared buckets or copies
// them (set_rehash_copies_shared), and a reader thread walks a shared copy, and a shared Set and
// Hash, while the main thread writes the other copy (this file also runs under ThreadSanitizer).
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "storage/dict.h"
#include "storage/hash.h"
#include "storage/set.h"
#include "tests/unit/string_dict_model.h"

namespace tandem {
namespace {

TEST(DictSharedCopyTest, CopyOfAnEmptyDictIsEmptyAndUsable) {
  StringDict d(kDictSeed);
  StringDict c = d.shared_copy();
  EXPECT_TRUE(c.empty());
  c.try_emplace("a", "1");
  EXPECT_TRUE(d.empty());
  EXPECT_EQ(c.size(), 1u);
}

TEST(DictSharedCopyTest, CopySharesEveryNodeUntilWritten) {
  StringDict d(kDictSeed);
  StringModel model;
  fill(d, model, 0, 10000, "v");
  StringDict c = d.shared_copy();
  const StringDict& cd = d;
  const StringDict& cc = c;
  for (uint64_t i = 0; i < 10000; ++i) ASSERT_EQ(cd.find(key_of(i)), cc.find(key_of(i)));
  c.find(key_of(7))->value = "changed";  // a mutable lookup copies the node on the copy's side
  EXPECT_NE(cd.find(key_of(7)), cc.find(key_of(7)));
  size_t shared = 0;
  for (uint64_t i = 0; i < 10000; ++i) shared += cd.find(key_of(i)) == cc.find(key_of(i));
  // Only key 7 and the nodes ahead of it in its chain may have been copied.
  EXPECT_GE(shared, 10000u - 8);
  expect_dict_is(d, model);
}

TEST(DictSharedCopyTest, WritesOnEitherSideStayInvisibleToTheOther) {
  for (bool write_original : {true, false}) {
    StringDict d(kDictSeed);
    StringModel before;
    fill(d, before, 0, 5000, "v");
    StringDict c = d.shared_copy();
    StringDict& writer = write_original ? d : c;
    const StringDict& reader = write_original ? c : d;
    StringModel after = before;
    for (uint64_t i = 0; i < 5000; i += 3) {
      writer.erase(key_of(i));
      after.erase(key_of(i));
    }
    for (uint64_t i = 1; i < 5000; i += 3) {
      writer.find(key_of(i))->value = "w";
      after[key_of(i)] = "w";
    }
    EXPECT_EQ(writer.take(key_of(2)), std::optional<std::string>("v2"));
    after.erase(key_of(2));
    fill(writer, after, 5000, 20000, "n");  // grows through several resizes
    expect_dict_is(writer, after);
    expect_dict_is(reader, before);
  }
}

TEST(DictSharedCopyTest, CopyTakenDuringARehashFinishesItOnBothSides) {
  for (bool copies : {true, false}) {
    StringDict d(kDictSeed);
    d.set_rehash_copies_shared(copies);
    StringModel model;
    fill(d, model, 0, 1024, "v");
    d.try_emplace(key_of(1024), "v1024");  // load factor 1: a grow starts
    model[key_of(1024)] = "v1024";
    ASSERT_TRUE(d.is_rehashing());
    StringDict c = d.shared_copy();
    while (d.rehash_step(100)) {
      if (!copies) break;
    }
    if (copies) {
      EXPECT_FALSE(d.is_rehashing());
      while (c.rehash_step(100)) {
      }
      EXPECT_FALSE(c.is_rehashing());
    } else {
      EXPECT_TRUE(d.rehash_step(100)) << "a rehash that waits stalls on shared buckets";
    }
    expect_dict_is(d, model);
    expect_dict_is(c, model);
  }
}

// A dict whose peer lives for ever must still grow: with set_rehash_copies_shared the rehash
// that a growth starts reaches its end through the operations alone (one bucket each).
TEST(DictSharedCopyTest, GrowthCompletesWhileAPeerSharesEverything) {
  StringDict d(kDictSeed);
  d.set_rehash_copies_shared(true);
  StringModel model;
  fill(d, model, 0, 4096, "v");
  while (d.rehash_step(100)) {
  }
  StringDict peer = d.shared_copy();
  fill(d, model, 4096, 40000, "n");
  EXPECT_LE(d.size(), d.bucket_count()) << "the table kept up with the growth";
  expect_dict_is(d, model);
  StringModel peer_model;
  for (uint64_t i = 0; i < 4096; ++i) peer_model[key_of(i)] = "v" + std::to_string(i);
  expect_dict_is(peer, peer_model);
}

// Random operations on a family of live copies (some copied from copies, some dropped), each
// against its own model, with both rehash policies.
TEST(DictSharedCopyTest, RandomizedModelOnSeveralLiveCopies) {
  for (bool copies : {true, false}) {
    std::mt19937_64 rng(copies ? 11 : 12);
    auto pick = [&](uint64_t n) { return rng() % n; };
    std::vector<std::pair<std::unique_ptr<StringDict>, StringModel>> family;
    family.emplace_back(std::make_unique<StringDict>(kDictSeed), StringModel{});
    family[0].first->set_rehash_copies_shared(copies);
    for (int step = 0; step < 60000; ++step) {
      auto& [d, model] = family[pick(family.size())];
      const std::string k = key_of(pick(3000));
      switch (pick(20)) {
        case 0:
          if (family.size() < 6) {
            auto copy = std::make_unique<StringDict>(d->shared_copy());
            StringModel m = model;
            family.emplace_back(std::move(copy), std::move(m));
          }
          break;
        case 1:
          if (family.size() > 1) {
            std::swap(family[pick(family.size())], family.back());
            family.pop_back();
          }
          break;
        case 2:
          if (pick(50) == 0) {
            d->clear();
            model.clear();
          }
          break;
        case 3:
        case 4:
        case 5: {
          const bool erased = d->erase(k);
          EXPECT_EQ(erased, model.erase(k) == 1) << k;
          break;
        }
        case 6: {
          std::optional<std::string> v = d->take(k);
          auto it = model.find(k);
          EXPECT_EQ(v.has_value(), it != model.end()) << k;
          if (it != model.end()) {
            EXPECT_EQ(*v, it->second);
            model.erase(it);
          }
          break;
        }
        case 7:
          if (StringDict::Entry* e = d->random_entry(rng)) {
            EXPECT_EQ(model.at(std::string(e->key)), e->value);
            model.erase(std::string(e->key));
            d->erase(e);
          }
          break;
        case 8:
          d->rehash_step(pick(5));
          break;
        case 9:
        case 10:
          if (StringDict::Entry* e = d->find(k)) {
            e->value = "w" + std::to_string(step);
            model.at(k) = e->value;
          } else {
            EXPECT_EQ(model.count(k), 0u) << k;
          }
          break;
        default: {
          auto [e, inserted] = d->try_emplace(k, "i" + std::to_string(step));
          EXPECT_EQ(inserted, model.count(k) == 0) << k;
          if (!inserted) e->value = "o" + std::to_string(step);
          model[k] = e->value;
        }
      }
      if (step % 5000 == 0) {
        for (auto& [dict, m] : family) expect_dict_is(*dict, m);
      }
    }
    for (auto& [dict, m] : family) expect_dict_is(*dict, m);
  }
}

// A reader thread walks one copy while the main thread writes the other (and makes further
// copies of it); the reader sees exactly the contents at the time of the copy. Under TSan this
// checks the reference-count synchronisation rule for shared copies.
TEST(DictSharedCopyTest, ReaderThreadSeesItsCopyWhileMainThreadWritesTheOther) {
  constexpr uint64_t kKeys = 20000;
  StringDict d(kDictSeed);
  d.set_rehash_copies_shared(true);
  StringModel live;
  fill(d, live, 0, kKeys, "v");
  std::mt19937_64 rng(7);
  uint64_t next = kKeys;  // the next new key, across rounds (a round may insert any number)
  for (int round = 0; round < 4; ++round) {
    const StringModel frozen = live;
    // The reader owns its copy and destroys it on its own thread, as a snapshot thread drops
    // the last reference to a collection.
    auto copy = std::make_unique<StringDict>(d.shared_copy());
    std::atomic<bool> done{false};
    StringModel seen;
    std::thread reader([&, mine = std::move(copy)]() mutable {
      seen = dict_contents(*mine);
      for (const auto& [k, v] : frozen) {
        const StringDict::Entry* e = std::as_const(*mine).find(k);
        if (!e || e->value != v) seen[k] = "lookup mismatch";
      }
      mine.reset();
      done.store(true, std::memory_order_release);
    });
    std::vector<StringDict> extra;
    while (!done.load(std::memory_order_acquire)) {
      for (int i = 0; i < 200; ++i) {
        const std::string k = key_of(rng() % next);
        switch (rng() % 5) {
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
          case 2:
            if (extra.size() < 3) extra.push_back(d.shared_copy());
            break;
          default:
            d.try_emplace(key_of(next), "n");
            live[key_of(next++)] = "n";
        }
      }
    }
    reader.join();
    EXPECT_EQ(seen, frozen) << "round " << round;
    expect_dict_is(d, live);
  }
}

// The same with the collections themselves: a snapshot thread holds the only other reference to
// a hashtable Set and Hash and reads them while the main thread clones them (Value::mutable_as's
// path) and writes the clones.
TEST(DictSharedCopyTest, SnapshotThreadReadsCollectionsWhileMainThreadWritesClones) {
  constexpr int kMembers = 20000;
  auto set = std::make_shared<Set>(Set::Encoding::kHashtable);
  auto hash = std::make_shared<Hash>();
  hash->convert_to_hashtable();
  const Hash::Limits limits;
  for (int i = 0; i < kMembers; ++i) {
    set->add("m" + std::to_string(i), 512);
    hash->set("f" + std::to_string(i), "v" + std::to_string(i), limits);
  }
  std::shared_ptr<const Collection> frozen_set = set;
  std::shared_ptr<const Collection> frozen_hash = hash;
  std::atomic<bool> done{false};
  size_t set_seen = 0, hash_seen = 0, hash_bad = 0;
  std::thread snapshot([&, s = std::move(frozen_set), h = std::move(frozen_hash)]() mutable {
    static_cast<const Set&>(*s).for_each([&](std::string_view) { ++set_seen; });
    static_cast<const Hash&>(*h).for_each([&](std::string_view f, std::string_view v) {
      ++hash_seen;
      hash_bad += v != "v" + std::string(f.substr(1));
    });
    s.reset();
    h.reset();
    done.store(true, std::memory_order_release);
  });
  set = std::static_pointer_cast<Set>(set->clone());
  hash = std::static_pointer_cast<Hash>(hash->clone());
  for (int i = 0; !done.load(std::memory_order_acquire); ++i) {
    set->remove("m" + std::to_string(i % kMembers));
    set->add("n" + std::to_string(i), 512);
    hash->set("f" + std::to_string(i % kMembers), "changed", limits);
    hash->erase("f" + std::to_string((i * 7) % kMembers));
  }
  snapshot.join();
  EXPECT_EQ(set_seen, size_t{kMembers});
  EXPECT_EQ(hash_seen, size_t{kMembers});
  EXPECT_EQ(hash_bad, 0u);
}

}  // namespace
}  // namespace tandem
