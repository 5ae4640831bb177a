// Tests for storage/set.h: Redis 7.0's encoding rules (intset while every member is a canonical
// integer and the count is within the limit, one-way conversion to a hashtable), random member
// selection, iteration, clone independence, and a randomized comparison with std::set.
#include "storage/set.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "server/memory_usage.h"

namespace tandem {
namespace {

std::set<std::string> members(const Set& s) {
  std::set<std::string> out;
  s.for_each([&](std::string_view m) { EXPECT_TRUE(out.emplace(m).second) << m; });
  return out;
}

TEST(Set, CreateForPicksTheEncodingOfTheFirstMember) {
  EXPECT_EQ(Set::create_for("12")->encoding(), Set::Encoding::kIntset);
  EXPECT_EQ(Set::create_for("-9223372036854775808")->encoding(), Set::Encoding::kIntset);
  for (const char* m : {"a", "012", "+1", " 1", "1.5", "9223372036854775808", "", "-0"}) {
    EXPECT_EQ(Set::create_for(m)->encoding(), Set::Encoding::kHashtable) << m;
  }
}

TEST(Set, NonIntegerMemberConvertsToHashtable) {
  Set s;
  EXPECT_TRUE(s.add("1", 512));
  EXPECT_TRUE(s.add("2", 512));
  EXPECT_FALSE(s.add("2", 512));
  EXPECT_STREQ(s.encoding_name(), "intset");
  EXPECT_TRUE(s.add("x", 512));
  EXPECT_STREQ(s.encoding_name(), "hashtable");
  EXPECT_EQ(members(s), (std::set<std::string>{"1", "2", "x"}));
  EXPECT_TRUE(s.remove("x"));
  EXPECT_STREQ(s.encoding_name(), "hashtable");  // never converted back
  EXPECT_TRUE(s.contains("1"));
  EXPECT_FALSE(s.contains("01"));
}

TEST(Set, ConvertsWhenPastTheEntryLimit) {
  Set s;
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(s.add(std::to_string(i), 4));
  EXPECT_STREQ(s.encoding_name(), "intset");
  EXPECT_TRUE(s.add("4", 4));
  EXPECT_STREQ(s.encoding_name(), "hashtable");
  EXPECT_EQ(s.size(), 5u);
  Set zero;
  EXPECT_TRUE(zero.add("1", 0));
  EXPECT_STREQ(zero.encoding_name(), "hashtable");
}

TEST(Set, IntsetIteratesInAscendingOrder) {
  Set s;
  for (const char* m : {"5", "-3", "100", "0"}) s.add(m, 512);
  std::vector<std::string> seen;
  s.for_each([&](std::string_view m) { seen.emplace_back(m); });
  EXPECT_EQ(seen, (std::vector<std::string>{"-3", "0", "5", "100"}));
  EXPECT_EQ(std::string(s.intset().bytes().substr(0, 4)), std::string("\x02\0\0\0", 4));
}

TEST(Set, FromIntsetKeepsTheBlob) {
  IntSet blob;
  for (int64_t v : {3, 1, 70000}) blob.insert(v);
  auto loaded = IntSet::from_bytes(blob.bytes());
  ASSERT_TRUE(loaded.has_value());
  auto s = Set::from_intset(std::move(*loaded));
  EXPECT_STREQ(s->encoding_name(), "intset");
  EXPECT_EQ(s->intset().bytes(), blob.bytes());
  EXPECT_EQ(members(*s), (std::set<std::string>{"1", "3", "70000"}));
}

TEST(Set, MemoryUsageGrowsWithTheSet) {
  Set small, ints, words;
  small.add("1", 512);
  for (int i = 0; i < 400; ++i) {
    ints.add(std::to_string(i), 512);
    words.add("member-" + std::to_string(i), 512);
  }
  EXPECT_LT(small.memory_usage(), ints.memory_usage());
  EXPECT_LT(ints.memory_usage(), words.memory_usage());
  EXPECT_GE(ints.memory_usage(), 400u * 2);
}

TEST(Set, CloneIsIndependent) {
  for (bool ints : {true, false}) {
    Set s;
    for (int i = 0; i < 100; ++i) s.add(ints ? std::to_string(i) : "m" + std::to_string(i), 512);
    auto copy = std::static_pointer_cast<Set>(s.clone());
    EXPECT_EQ(members(*copy), members(s));
    EXPECT_STREQ(copy->encoding_name(), s.encoding_name());
    s.remove(ints ? "5" : "m5");
    s.add("extra", 512);
    EXPECT_TRUE(copy->contains(ints ? "5" : "m5"));
    EXPECT_FALSE(copy->contains("extra"));
    EXPECT_EQ(copy->size(), 100u);
  }
}

// A hashtable set's clone shares its members (Dict::shared_copy): cloning and then writing on
// either side allocates a few chunks and nodes, not a copy of the set, and neither side sees the
// other's writes. pop_random on the clone must not disturb the original either.
TEST(Set, CloneOfABigHashtableCopiesOnlyWhatIsWritten) {
  constexpr int kMembers = 100000;
  Set s(Set::Encoding::kHashtable);
  for (int i = 0; i < kMembers; ++i) s.add("member:" + std::to_string(i), 512);
  const uint64_t before = heap_used_bytes();
  auto copy = std::static_pointer_cast<Set>(s.clone());
  EXPECT_TRUE(s.add("new", 512));
  EXPECT_TRUE(s.remove("member:1"));
  EXPECT_TRUE(copy->remove("member:2"));
  const std::string popped = copy->pop_random();
  const uint64_t grown = heap_used_bytes() - before;
  EXPECT_LT(grown, 64u * 1024) << grown;
  EXPECT_TRUE(copy->contains("member:1"));
  EXPECT_FALSE(copy->contains("new"));
  EXPECT_TRUE(s.contains("member:2"));
  EXPECT_TRUE(s.contains(popped));
  EXPECT_FALSE(copy->contains(popped));
  EXPECT_EQ(s.size(), size_t{kMembers});
  EXPECT_EQ(copy->size(), size_t{kMembers} - 2);
}

TEST(Set, RandomMembersCoverTheSetAndPopRemoves) {
  for (int n : {1, 10, 300}) {
    for (bool ints : {true, false}) {
      Set s;
      std::set<std::string> all;
      for (int i = 0; i < n; ++i) {
        std::string m = ints ? std::to_string(i * 7) : "m" + std::to_string(i);
        s.add(m, 1000);
        all.insert(m);
      }
      std::map<std::string, int> hits;
      for (int i = 0; i < n * 50; ++i) {
        std::string m = s.random_member();
        ASSERT_TRUE(all.count(m)) << m;
        ++hits[m];
      }
      EXPECT_EQ(hits.size(), all.size()) << "every member is drawn eventually";
      std::set<std::string> popped;
      while (s.size() > 0) {
        std::string m = s.pop_random();
        ASSERT_TRUE(all.count(m));
        ASSERT_TRUE(popped.insert(m).second) << "popped twice: " << m;
        ASSERT_FALSE(s.contains(m));
      }
      EXPECT_EQ(popped, all);
    }
  }
}

TEST(Set, ScanVisitsEveryMemberOfAHashtable) {
  Set s;
  for (int i = 0; i < 1000; ++i) s.add("k" + std::to_string(i), 512);
  std::set<std::string> seen;
  uint64_t cursor = 0;
  do {
    cursor = s.scan(cursor, [&](std::string_view m) { seen.emplace(m); });
  } while (cursor != 0);
  EXPECT_EQ(seen, members(s));
}

TEST(Set, RandomizedAgainstStdSet) {
  std::mt19937_64 gen(7);
  for (int round = 0; round < 10; ++round) {
    const size_t limit = round % 2 ? 16 : 512;
    Set s;
    std::set<std::string> model;
    bool saw_hashtable = false;
    for (int op = 0; op < 3000; ++op) {
      std::string m = gen() % 10 == 0 ? "s" + std::to_string(gen() % 50)
                                      : std::to_string(static_cast<int64_t>(gen() % 100) - 50);
      if (round >= 8 && gen() % 2) m = std::to_string(static_cast<int64_t>(gen()));
      switch (gen() % 4) {
        case 0:
          ASSERT_EQ(s.remove(m), model.erase(m) == 1);
          break;
        case 1:
          if (!model.empty()) {
            std::string p = s.pop_random();
            ASSERT_EQ(model.erase(p), 1u) << p;
          }
          break;
        default:
          ASSERT_EQ(s.add(m, limit), model.insert(m).second);
      }
      ASSERT_EQ(s.size(), model.size());
      ASSERT_EQ(s.contains(m), model.count(m) == 1);
      // Once a hashtable, always a hashtable; an intset holds only integers within the limit.
      if (s.encoding() == Set::Encoding::kHashtable) saw_hashtable = true;
      ASSERT_EQ(s.encoding() == Set::Encoding::kHashtable, saw_hashtable);
      if (s.encoding() == Set::Encoding::kIntset) {
        ASSERT_LE(s.size(), limit);
      }
      if (op % 250 == 0) {
        ASSERT_EQ(members(s), model);
      }
    }
    ASSERT_EQ(members(s), model);
  }
}

}  // namespace
}  // namespace tandem

namespace tandem {
namespace {

TEST(Set, HashtableRandomMemberIsRoughlyUniform) {
  Set s;
  for (int i = 0; i < 500; ++i) s.add("m" + std::to_string(i), 512);
  std::map<std::string, int> hits;
  const int draws = 500 * 200;
  for (int i = 0; i < draws; ++i) ++hits[s.random_member()];
  ASSERT_EQ(hits.size(), 500u);
  for (const auto& [m, n] : hits) {
    EXPECT_GT(n, 200 / 4) << m;
    EXPECT_LT(n, 200 * 4) << m;
  }
}

}  // namespace
}  // namespace tandem
