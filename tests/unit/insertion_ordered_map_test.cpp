// Tests for server/insertion_ordered_map.h: first-insertion order survives erasures and
// re-insertions, lookups are by content (binary-safe), and moving keeps every entry reachable.
#include "server/insertion_ordered_map.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace tandem {
namespace {

std::vector<std::string> keys(const InsertionOrderedMap<int>& map) {
  std::vector<std::string> out;
  for (const auto& [name, value] : map) out.push_back(name);
  return out;
}

TEST(InsertionOrderedMapTest, IteratesInFirstInsertionOrder) {
  InsertionOrderedMap<int> map;
  bool inserted = false;
  for (const char* name : {"c", "a", "b"}) map.get_or_insert(name, inserted) = 1;
  map.get_or_insert("a", inserted) = 7;
  EXPECT_FALSE(inserted);
  EXPECT_EQ(keys(map), (std::vector<std::string>{"c", "a", "b"}));
  EXPECT_EQ(*map.find("a"), 7);
}

TEST(InsertionOrderedMapTest, ReinsertingAfterEraseGoesLast) {
  InsertionOrderedMap<int> map;
  bool inserted = false;
  for (const char* name : {"x", "y", "z"}) map.get_or_insert(name, inserted);
  EXPECT_TRUE(map.erase("x"));
  EXPECT_FALSE(map.erase("x"));
  EXPECT_EQ(map.find("x"), nullptr);
  map.get_or_insert("x", inserted);
  EXPECT_TRUE(inserted);
  EXPECT_EQ(keys(map), (std::vector<std::string>{"y", "z", "x"}));
  EXPECT_EQ(map.size(), 3u);
}

TEST(InsertionOrderedMapTest, LooksUpByContentNotByPointer) {
  InsertionOrderedMap<int> map;
  bool inserted = false;
  std::string key("k\0ey", 4);
  map.get_or_insert(key, inserted) = 3;
  key[0] = 'X';  // the map holds its own copy
  EXPECT_EQ(map.find(key), nullptr);
  EXPECT_EQ(*map.find(std::string("k\0ey", 4)), 3);
  EXPECT_FALSE(map.contains("k"));
}

TEST(InsertionOrderedMapTest, MovingKeepsEntriesReachable) {
  InsertionOrderedMap<int> source;
  bool inserted = false;
  for (int i = 0; i < 100; ++i) source.get_or_insert("key" + std::to_string(i), inserted) = i;
  InsertionOrderedMap<int> moved = std::move(source);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(*moved.find("key" + std::to_string(i)), i);
  EXPECT_TRUE(moved.erase("key50"));
  EXPECT_EQ(moved.size(), 99u);
  EXPECT_EQ(keys(moved).front(), "key0");
}

}  // namespace
}  // namespace tandem
