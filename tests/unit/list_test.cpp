// The quicklist (storage/list.h) against a std::deque model, its node sizing, and its
// copy-on-write clone.
#include "storage/list.h"

#include <gtest/gtest.h>

#include <deque>
#include <random>
#include <string>
#include <vector>

namespace tandem {
namespace {

std::vector<std::string> model_vector(const std::deque<std::string>& d) {
  return {d.begin(), d.end()};
}

void check_nodes(const List& list, int fill) {
  size_t total = 0;
  for (size_t i = 0; i < list.node_count(); ++i) {
    const Listpack& node = list.node(i);
    EXPECT_FALSE(node.empty()) << "node " << i;
    if (fill > 0) {
      EXPECT_LE(node.size(), static_cast<size_t>(fill));
    }
    total += node.size();
  }
  EXPECT_EQ(total, list.size());
}

TEST(ListTest, PushPopBothEnds) {
  List list;
  list.push_back("b");
  list.push_front("a");
  list.push_back("123");
  EXPECT_EQ(list.size(), 3u);
  EXPECT_EQ(list.to_vector(), (std::vector<std::string>{"a", "b", "123"}));
  EXPECT_EQ(list.pop_back(), "123");
  EXPECT_EQ(list.pop_front(), "a");
  EXPECT_EQ(list.pop_front(), "b");
  EXPECT_EQ(list.pop_front(), std::nullopt);
  EXPECT_EQ(list.node_count(), 0u);
}

TEST(ListTest, PositiveFillCapsEntriesPerNode) {
  List list(4);
  for (int i = 0; i < 10; ++i) list.push_back(std::to_string(i));
  EXPECT_EQ(list.node_count(), 3u);
  check_nodes(list, 4);
}

TEST(ListTest, NegativeFillCapsNodeBytes) {
  List list(-1);  // 4 KB nodes
  std::string value(100, 'x');
  for (int i = 0; i < 200; ++i) list.push_back(value);
  EXPECT_GT(list.node_count(), 4u);
  for (size_t i = 0; i < list.node_count(); ++i) EXPECT_LE(list.node(i).bytes_size(), 4096u);
  List bigger(-5);  // 64 KB nodes
  for (int i = 0; i < 200; ++i) bigger.push_back(value);
  EXPECT_EQ(bigger.node_count(), 1u);
}

TEST(ListTest, InsertSplitsFullNode) {
  List list(4);
  for (int i = 0; i < 4; ++i) list.push_back(std::to_string(i));
  ASSERT_EQ(list.node_count(), 1u);
  EXPECT_TRUE(list.insert("1", "x", /*after=*/true));
  EXPECT_EQ(list.to_vector(), (std::vector<std::string>{"0", "1", "x", "2", "3"}));
  check_nodes(list, 4);
  EXPECT_FALSE(list.insert("nope", "y", false));
}

TEST(ListTest, RandomizedAgainstDeque) {
  for (int fill : {-2, -1, 1, 3, 16}) {
    std::mt19937 rng(1234 + fill);
    List list(fill);
    std::deque<std::string> model;
    auto random_value = [&] {
      switch (rng() % 4) {
        case 0:
          return std::to_string(static_cast<int>(rng() % 50));
        case 1:
          return std::to_string(static_cast<int64_t>(rng()) * 1000003);
        case 2:
          return std::string(rng() % 300, static_cast<char>('a' + rng() % 3));
        default:
          return std::string(1, static_cast<char>('a' + rng() % 5));
      }
    };
    for (int step = 0; step < 4000; ++step) {
      int64_t n = static_cast<int64_t>(model.size());
      switch (rng() % 10) {
        case 0:
        case 1: {
          std::string v = random_value();
          list.push_back(v);
          model.push_back(v);
          break;
        }
        case 2:
        case 3: {
          std::string v = random_value();
          list.push_front(v);
          model.push_front(v);
          break;
        }
        case 4: {
          bool front = rng() % 2;
          auto got = front ? list.pop_front() : list.pop_back();
          if (n == 0) {
            EXPECT_EQ(got, std::nullopt);
            break;
          }
          EXPECT_EQ(got, front ? model.front() : model.back());
          if (front) {
            model.pop_front();
          } else {
            model.pop_back();
          }
          break;
        }
        case 5: {
          if (n == 0) break;
          int64_t idx = static_cast<int64_t>(rng() % n) - (rng() % 2 ? n : 0);
          std::string v = random_value();
          ASSERT_TRUE(list.set(idx, v));
          model[static_cast<size_t>(idx < 0 ? idx + n : idx)] = v;
          break;
        }
        case 6: {
          std::string pivot = random_value(), v = random_value();
          bool after = rng() % 2;
          auto it = std::find(model.begin(), model.end(), pivot);
          EXPECT_EQ(list.insert(pivot, v, after), it != model.end());
          if (it != model.end()) model.insert(after ? it + 1 : it, v);
          break;
        }
        case 7: {
          std::string v = random_value();
          int64_t count = static_cast<int64_t>(rng() % 5) - 2;
          size_t expected = 0;
          if (count >= 0) {
            for (auto it = model.begin(); it != model.end();) {
              if (*it == v && (count == 0 || expected < static_cast<size_t>(count))) {
                it = model.erase(it);
                ++expected;
              } else {
                ++it;
              }
            }
          } else {
            for (int64_t i = n - 1; i >= 0; --i) {
              if (model[i] == v && expected < static_cast<size_t>(-count)) {
                model.erase(model.begin() + i);
                ++expected;
              }
            }
          }
          EXPECT_EQ(list.remove(v, count), expected);
          break;
        }
        case 8: {
          if (n == 0) break;
          size_t start = rng() % n, count = rng() % 20;
          list.erase_range(start, count);
          size_t end = std::min<size_t>(n, start + count);
          model.erase(model.begin() + start, model.begin() + end);
          break;
        }
        case 9: {
          if (n == 0) break;
          int64_t idx = static_cast<int64_t>(rng() % n);
          EXPECT_EQ(list.at(idx), model[idx]);
          EXPECT_EQ(list.at(idx - n), model[idx]);
          EXPECT_EQ(list.at(n), std::nullopt);
          break;
        }
      }
      ASSERT_EQ(list.size(), model.size()) << "step " << step;
      if (step % 50 == 0) {
        ASSERT_EQ(list.to_vector(), model_vector(model)) << "fill " << fill << " step " << step;
        check_nodes(list, fill);
      }
    }
    ASSERT_EQ(list.to_vector(), model_vector(model));
    check_nodes(list, fill);
    // Reverse iteration from an offset.
    std::vector<std::string> reversed;
    list.for_each(2, true, [&](const List::Element& e) {
      reversed.push_back(e.to_string());
      return true;
    });
    std::vector<std::string> expected(model.rbegin() + std::min<size_t>(2, model.size()),
                                      model.rend());
    EXPECT_EQ(reversed, expected);
  }
}

TEST(ListTest, PopsMatchTheModel) {
  List list(3);
  std::deque<std::string> model;
  for (int i = 0; i < 50; ++i) {
    list.push_back(std::to_string(i));
    model.push_back(std::to_string(i));
  }
  while (!model.empty()) {
    EXPECT_EQ(list.pop_front(), model.front());
    model.pop_front();
    if (model.empty()) break;
    EXPECT_EQ(list.pop_back(), model.back());
    model.pop_back();
  }
  EXPECT_EQ(list.size(), 0u);
}

TEST(ListTest, CloneThenWriteLeavesCloneUnchangedAndSharesUntouchedNodes) {
  List list(4);
  for (int i = 0; i < 40; ++i) list.push_back("v" + std::to_string(i));
  ASSERT_EQ(list.node_count(), 10u);
  std::shared_ptr<Collection> copy = list.clone();
  const List& snapshot = static_cast<const List&>(*copy);
  std::vector<std::string> before = snapshot.to_vector();

  list.push_back("tail");  // new node: all old nodes still shared
  list.set(5, "changed");  // touches node 1 only
  list.erase_range(0, 1);  // touches node 0 only
  EXPECT_EQ(snapshot.to_vector(), before);
  EXPECT_EQ(snapshot.size(), 40u);
  EXPECT_FALSE(list.shares_node_with(snapshot, 0, 0));
  EXPECT_FALSE(list.shares_node_with(snapshot, 1, 1));
  for (size_t i = 2; i < 10; ++i) EXPECT_TRUE(list.shares_node_with(snapshot, i, i)) << i;

  // Writing through the clone leaves the original alone too.
  std::shared_ptr<Collection> copy2 = list.clone();
  auto& other = static_cast<List&>(*copy2);
  std::vector<std::string> original = list.to_vector();
  other.remove("v20", 0);
  other.pop_front();
  EXPECT_EQ(list.to_vector(), original);
}

}  // namespace
}  // namespace tandem
