// Hash: both encodings, the listpack -> hashtable conversions at Redis's thresholds, clone
// independence, random pairs and scans, and a randomized comparison against std::map.
#include "storage/hash.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>
#include <string>

#include "server/memory_usage.h"

namespace tandem {
namespace {

std::map<std::string, std::string> contents(const Hash& h) {
  std::map<std::string, std::string> out;
  h.for_each([&](std::string_view f, std::string_view v) {
    EXPECT_TRUE(out.emplace(f, v).second) << "duplicate field " << f;
  });
  return out;
}

TEST(Hash, StartsAsListpackInInsertionOrder) {
  Hash h;
  Hash::Limits lim;
  EXPECT_STREQ(h.encoding_name(), "listpack");
  EXPECT_TRUE(h.set("b", "1", lim));
  EXPECT_TRUE(h.set("a", "x", lim));
  EXPECT_FALSE(h.set("b", "22", lim));  // replaced in place
  std::vector<std::string> order;
  h.for_each([&](std::string_view f, std::string_view v) {
    order.push_back(std::string(f) + "=" + std::string(v));
  });
  EXPECT_EQ(order, (std::vector<std::string>{"b=22", "a=x"}));
  EXPECT_EQ(h.size(), 2u);
  std::string scratch;
  EXPECT_EQ(h.get("b", scratch), "22");
  EXPECT_FALSE(h.get("22", scratch));  // a value is never matched as a field
  EXPECT_FALSE(h.contains("x"));
  // The same bytes Redis keeps: field, value, field, value.
  Listpack expected;
  for (const char* s : {"b", "22", "a", "x"}) expected.push_back(s);
  EXPECT_EQ(h.listpack()->bytes(), expected.bytes());
}

TEST(Hash, ConvertsOnEntryCount) {
  Hash::Limits lim{.max_listpack_entries = 4, .max_listpack_value = 64};
  Hash h;
  for (int i = 0; i < 4; ++i) h.set("f" + std::to_string(i), "v", lim);
  EXPECT_STREQ(h.encoding_name(), "listpack");
  h.set("f0", "again", lim);  // updating does not add an entry
  EXPECT_STREQ(h.encoding_name(), "listpack");
  h.set("f4", "v", lim);
  EXPECT_STREQ(h.encoding_name(), "hashtable");
  EXPECT_EQ(h.listpack(), nullptr);
  EXPECT_EQ(h.size(), 5u);
  // Never back, even when it shrinks.
  for (int i = 0; i < 5; ++i) h.erase("f" + std::to_string(i));
  EXPECT_EQ(h.size(), 0u);
  EXPECT_STREQ(h.encoding_name(), "hashtable");
}

TEST(Hash, ConvertsOnLongFieldOrValue) {
  Hash::Limits lim;
  {
    Hash h;
    h.set("f", std::string(64, 'v'), lim);
    EXPECT_STREQ(h.encoding_name(), "listpack");
    h.set(std::string(64, 'f'), "v", lim);
    EXPECT_STREQ(h.encoding_name(), "listpack");
    h.set("f", std::string(65, 'v'), lim);
    EXPECT_STREQ(h.encoding_name(), "hashtable");
    std::string scratch;
    EXPECT_EQ(h.get("f", scratch), std::string(65, 'v'));
    EXPECT_EQ(h.get(std::string(64, 'f'), scratch), "v");
  }
  {
    Hash h;
    h.set(std::string(65, 'f'), "v", lim);
    EXPECT_STREQ(h.encoding_name(), "hashtable");
  }
}

TEST(Hash, IntegerValuesReadBackAsStrings) {
  Hash h;
  Hash::Limits lim;
  h.set("n", "-9223372036854775808", lim);
  h.set("12", "34", lim);
  std::string scratch;
  EXPECT_EQ(h.get("n", scratch), "-9223372036854775808");
  EXPECT_EQ(h.get("12", scratch), "34");
  EXPECT_FALSE(h.contains("012"));
  EXPECT_EQ(contents(h),
            (std::map<std::string, std::string>{{"n", "-9223372036854775808"}, {"12", "34"}}));
}

TEST(Hash, CloneIsIndependent) {
  for (size_t entries : {size_t{128}, size_t{2}}) {
    Hash::Limits lim{.max_listpack_entries = entries, .max_listpack_value = 64};
    Hash h;
    for (int i = 0; i < 10; ++i) h.set("f" + std::to_string(i), std::to_string(i), lim);
    auto copy = std::static_pointer_cast<Hash>(h.clone());
    EXPECT_STREQ(copy->encoding_name(), h.encoding_name());
    h.set("f0", "changed", lim);
    h.erase("f1");
    EXPECT_EQ(copy->size(), 10u);
    std::string scratch;
    EXPECT_EQ(copy->get("f0", scratch), "0");
    EXPECT_TRUE(copy->contains("f1"));
    EXPECT_GT(copy->memory_usage(), 0u);
  }
}

// A hashtable hash's clone shares its members (Dict::shared_copy): cloning and then writing one
// field on either side allocates a few chunks and nodes, not a copy of the hash, and neither side
// sees the other's writes.
TEST(Hash, CloneOfABigHashtableCopiesOnlyWhatIsWritten) {
  constexpr int kFields = 100000;
  const Hash::Limits lim;
  Hash h;
  for (int i = 0; i < kFields; ++i) h.set("field:" + std::to_string(i), "value", lim);
  ASSERT_FALSE(h.is_listpack());
  const uint64_t before = heap_used_bytes();
  auto copy = std::static_pointer_cast<Hash>(h.clone());
  h.set("field:1", "changed", lim);
  h.set("new", "x", lim);
  copy->erase("field:2");
  copy->set("field:3", "copy's", lim);
  const uint64_t grown = heap_used_bytes() - before;
  // The directories (2 x 2048 chunk pointers) and 4 written chunks and chains: under 64 KB,
  // where a full copy takes several MB.
  EXPECT_LT(grown, 64u * 1024) << grown;
  std::string scratch;
  EXPECT_EQ(copy->get("field:1", scratch), "value");
  EXPECT_FALSE(copy->contains("new"));
  EXPECT_EQ(h.get("field:2", scratch), "value");
  EXPECT_EQ(h.get("field:3", scratch), "value");
  EXPECT_EQ(copy->get("field:3", scratch), "copy's");
  EXPECT_EQ(h.size(), size_t{kFields} + 1);
  EXPECT_EQ(copy->size(), size_t{kFields} - 1);
}

TEST(Hash, RandomPairsCoverEveryField) {
  for (size_t entries : {size_t{128}, size_t{4}}) {
    Hash::Limits lim{.max_listpack_entries = entries, .max_listpack_value = 64};
    Hash h;
    for (int i = 0; i < 20; ++i) h.set("f" + std::to_string(i), "v" + std::to_string(i), lim);
    std::mt19937_64 rng(1);
    std::set<std::string> seen;
    for (int i = 0; i < 2000; ++i) {
      auto [f, v] = h.random_pair(rng);
      EXPECT_EQ("v" + f.substr(1), v);
      seen.insert(f);
    }
    EXPECT_EQ(seen.size(), 20u) << h.encoding_name();
  }
}

TEST(Hash, ScanVisitsEveryFieldOnce) {
  Hash::Limits lim{.max_listpack_entries = 1, .max_listpack_value = 64};
  Hash h;
  for (int i = 0; i < 1000; ++i) h.set("f" + std::to_string(i), "v", lim);
  ASSERT_FALSE(h.is_listpack());
  std::multiset<std::string> seen;
  uint64_t cursor = 0;
  do {
    cursor = h.scan(cursor, [&](std::string_view f, std::string_view) { seen.emplace(f); });
  } while (cursor != 0);
  EXPECT_EQ(seen.size(), 1000u);
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), 1000u);
}

TEST(Hash, RandomizedAgainstMap) {
  std::mt19937_64 rng(99);
  for (int round = 0; round < 30; ++round) {
    Hash::Limits lim{.max_listpack_entries = 1 + rng() % 40, .max_listpack_value = 1 + rng() % 20};
    Hash h;
    std::map<std::string, std::string> model;
    bool converted = false;
    for (int op = 0; op < 500; ++op) {
      auto field = [&] {
        return rng() % 4 ? std::to_string(rng() % 60) : std::string(rng() % 25, 'f');
      };
      std::string f = field();
      switch (rng() % 5) {
        case 0:
        case 1:
        case 2: {
          std::string v = rng() % 2 ? std::to_string(static_cast<int64_t>(rng()) >> (rng() % 64))
                                    : std::string(rng() % 25, 'v');
          const bool was_listpack = h.is_listpack();
          const bool inserted = h.set(f, v, lim);
          EXPECT_EQ(inserted, model.find(f) == model.end());
          model[f] = v;
          // Redis's rule: convert on a long field/value or on too many entries.
          const bool should_convert = f.size() > lim.max_listpack_value ||
                                      v.size() > lim.max_listpack_value ||
                                      model.size() > lim.max_listpack_entries;
          if (was_listpack && should_convert) converted = true;
          break;
        }
        case 3:
          EXPECT_EQ(h.erase(f), model.erase(f) == 1);
          break;
        case 4: {
          std::string scratch;
          auto v = h.get(f, scratch);
          auto it = model.find(f);
          ASSERT_EQ(v.has_value(), it != model.end());
          if (v) {
            EXPECT_EQ(*v, it->second);
          }
          EXPECT_EQ(h.contains(f), it != model.end());
          break;
        }
      }
      ASSERT_EQ(h.size(), model.size());
      ASSERT_EQ(h.is_listpack(), !converted);
    }
    EXPECT_EQ(contents(h), model);
  }
}

}  // namespace
}  // namespace tandem
