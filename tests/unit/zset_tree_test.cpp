// ZsetTree (the skiplist-encoded sorted set's ordered half) against a std::set model: random
// inserts, erases, score updates and rank-range erases on several trees that share nodes
// through shared_copy(), each of which must keep matching its own model as of the moment it was
// copied; the fill of ascending and descending loads; and a reader thread walking a copy while
// the main thread writes the original (run under TSan too).
#include "storage/zset_tree.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <iterator>
#include <map>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace tandem {
namespace {

struct Key {
  double score;
  std::string member;
  bool operator<(const Key& o) const { return zset_less(score, member, o.score, o.member); }
  bool operator==(const Key& o) const { return score == o.score && member == o.member; }
};
using TreeModel = std::set<Key>;

std::vector<Key> contents(const ZsetTree& t, bool reverse = false) {
  std::vector<Key> out;
  if (t.size() > 0) {
    t.visit(0, t.size() - 1, reverse, [&](std::string_view m, double s) {
      out.push_back({s, std::string(m)});
    });
  }
  return out;
}

void expect_same(const ZsetTree& t, const TreeModel& model) {
  ASSERT_TRUE(t.valid());
  ASSERT_EQ(t.size(), model.size());
  std::vector<Key> expect(model.begin(), model.end());
  ASSERT_EQ(contents(t), expect);
  std::reverse(expect.begin(), expect.end());
  ASSERT_EQ(contents(t, true), expect);
}

TEST(ZsetTreeTest, RanksFollowTheOrderAndSurviveEdits) {
  ZsetTree t;
  for (int i = 0; i < 1000; ++i) t.insert(i % 10, "m" + std::to_string(i));
  ASSERT_TRUE(t.valid());
  EXPECT_EQ(t.size(), 1000u);
  std::vector<Key> all = contents(t);
  for (size_t r = 0; r < all.size(); ++r) ASSERT_EQ(t.rank_of(all[r].score, all[r].member), r);
  EXPECT_FALSE(t.rank_of(3, "m4"));
  EXPECT_TRUE(t.erase(3, "m3"));
  EXPECT_FALSE(t.erase(3, "m3"));
  t.erase_ranks(10, 20);
  EXPECT_EQ(t.size(), 988u);
  t.update_score(9, "m999", -1);
  EXPECT_EQ(t.rank_of(-1, "m999"), 0u);
  EXPECT_EQ(contents(t)[0], (Key{-1, "m999"}));
  // count_while: how many lie below a score bound, or a member bound among equal scores.
  EXPECT_EQ(t.count_while([](double s, std::string_view) { return s < 0; }), 1u);
  EXPECT_EQ(t.count_while([](double s, std::string_view) { return s < 1; }), 1u + 100 - 11);
  EXPECT_TRUE(t.valid());
}

// Several trees sharing nodes: each op picks one, and a copy is taken now and then; every tree
// must match the model it had when it was copied, as changed by its own ops only.
TEST(ZsetTreeTest, CopiesDivergeOnlyByTheirOwnWrites) {
  std::mt19937 rng(12345);
  const double kScores[] = {0, 1, -1, 2.5, 1e300, -1e300, 0.1, 3, 7, 1e-300};
  auto pick_score = [&] {
    return rng() % 4 ? kScores[rng() % std::size(kScores)] : double(rng() % 100000) / 7;
  };
  auto pick_member = [&] {
    unsigned n = rng() % 20000;
    if (n == 0) return std::string();
    if (n < 20) return std::string(1000 + n * 150, char('a' + n));  // several per leaf overflow
    return "member:" + std::to_string(n);
  };
  struct Copy {
    ZsetTree tree;
    TreeModel model;
    std::map<std::string, double> scores;
  };
  std::vector<Copy> trees(1);
  size_t copies = 0;
  for (int step = 0; step < 120000; ++step) {
    auto& [tree, model, scores] = trees[rng() % trees.size()];
    const unsigned op = rng() % 100;
    if (op < 50) {
      Key k{pick_score(), pick_member()};
      auto it = scores.find(k.member);
      if (it == scores.end()) {
        tree.insert(k.score, k.member);
        model.insert(k);
        scores.emplace(k.member, k.score);
      } else {
        tree.update_score(it->second, k.member, k.score);
        model.erase({it->second, k.member});
        model.insert(k);
        it->second = k.score;
      }
    } else if (op < 75 && !model.empty()) {
      auto it = model.begin();
      std::advance(it, rng() % model.size());
      Key k = *it;
      EXPECT_TRUE(tree.erase(k.score, k.member));
      model.erase(it);
      scores.erase(k.member);
      EXPECT_FALSE(tree.erase(k.score, k.member));
    } else if (op < 80 && !model.empty()) {
      size_t first = rng() % model.size();
      size_t n = rng() % 8 ? rng() % 5 + 1 : rng() % 400 + 1;
      size_t last = std::min(model.size() - 1, first + n - 1);
      tree.erase_ranks(first, last);
      auto a = model.begin();
      std::advance(a, first);
      auto b = a;
      std::advance(b, last - first + 1);
      for (auto e = a; e != b; ++e) scores.erase(e->member);
      model.erase(a, b);
    } else if (op < 90 && !model.empty()) {
      auto it = model.begin();
      size_t r = rng() % model.size();
      std::advance(it, r);
      ASSERT_EQ(tree.rank_of(it->score, it->member), r);
      double bound = pick_score();
      size_t below =
          std::count_if(model.begin(), model.end(), [&](const Key& e) { return e.score < bound; });
      ASSERT_EQ(tree.count_while([&](double s, std::string_view) { return s < bound; }), below);
      size_t last = std::min(model.size() - 1, r + rng() % 300);
      std::vector<Key> got, expect;
      const bool reverse = rng() % 2;
      tree.visit(r, last, reverse, [&](std::string_view m, double s) {
        got.push_back({s, std::string(m)});
      });
      auto end = it;
      std::advance(end, last - r + 1);
      expect.assign(it, end);
      if (reverse) std::reverse(expect.begin(), expect.end());
      ASSERT_EQ(got, expect);
    } else if (op < 92 && trees.size() < 6) {
      Copy copy{tree.shared_copy(), model, scores};  // before push_back: it may move the vector
      trees.push_back(std::move(copy));
      ++copies;
    } else if (op < 93 && trees.size() > 1) {
      trees.erase(trees.begin() + static_cast<long>(rng() % trees.size()));
    }
    if (step % 5000 == 0) {
      for (auto& c : trees) ASSERT_NO_FATAL_FAILURE(expect_same(c.tree, c.model));
    }
  }
  for (auto& c : trees) ASSERT_NO_FATAL_FAILURE(expect_same(c.tree, c.model));
  EXPECT_GT(copies, 10u);
}

TEST(ZsetTreeTest, GrowsDeepAndShrinksBackToEmpty) {
  ZsetTree t;
  TreeModel model;
  std::mt19937 rng(7);
  for (int i = 0; i < 100000; ++i) {  // two inner levels
    Key k{double(rng() % 1000), "k" + std::to_string(i)};
    t.insert(k.score, k.member);
    model.insert(k);
  }
  ASSERT_NO_FATAL_FAILURE(expect_same(t, model));
  ZsetTree copy = t.shared_copy();
  // Erase most of the original in runs and one by one; the copy keeps everything.
  while (t.size() > 10) {
    size_t first = rng() % t.size();
    size_t last = std::min(t.size() - 1, first + rng() % 3000);
    t.erase_ranks(first, last);
  }
  ASSERT_TRUE(t.valid());
  while (t.size() > 0) {
    std::vector<Key> rest = contents(t);
    ASSERT_TRUE(t.erase(rest[0].score, rest[0].member));
  }
  EXPECT_TRUE(t.valid());
  EXPECT_EQ(t.memory_usage(), 0u);
  ASSERT_NO_FATAL_FAILURE(expect_same(copy, model));
}

TEST(ZsetTreeTest, AscendingAndDescendingLoadsFillTheLeaves) {
  for (bool descending : {false, true}) {
    ZsetTree t;
    const int n = 100000;
    size_t member_bytes = 0;
    for (int i = 0; i < n; ++i) {
      std::string m = "member:" + std::to_string(i);
      member_bytes += m.size();
      t.insert(descending ? -i : i, m);
    }
    ASSERT_TRUE(t.valid());
    // A score and an offset per element, its bytes and the buffers' slack: about 25 bytes.
    const double per_element = double(t.memory_usage()) / n;
    EXPECT_LT(per_element, 1.3 * (12.0 + double(member_bytes) / n)) << descending;
  }
}

// The first write to a copy of a big tree copies one path, not the elements.
TEST(ZsetTreeTest, AWriteToASharedTreeCopiesOnePath) {
  ZsetTree t;
  for (int i = 0; i < 200000; ++i) t.insert(i, "member:" + std::to_string(i));
  const size_t whole = t.memory_usage();
  ASSERT_EQ(t.unshared_memory(), whole);
  ZsetTree copy = t.shared_copy();
  EXPECT_EQ(copy.unshared_memory(), 0u);
  copy.insert(50000.5, "new");
  EXPECT_GT(whole, 4'000'000u);
  EXPECT_LT(copy.unshared_memory(), 20'000u);  // a leaf and an inner node per level
  EXPECT_LT(t.unshared_memory(), 20'000u);     // the originals of that path
  copy.erase_ranks(1000, 1000 + 3 * ZsetTree::kLeafMax);
  EXPECT_LT(copy.unshared_memory(), 40'000u);
  ASSERT_TRUE(t.valid());
  ASSERT_TRUE(copy.valid());
  EXPECT_EQ(t.size(), 200000u);
  EXPECT_EQ(t.rank_of(1000, "member:1000"), 1000u);
  EXPECT_EQ(copy.rank_of(1000 + 3 * ZsetTree::kLeafMax + 2, "member:1386"), 1001u);
}

// A reader thread walks a copy while the main thread writes the original and takes and drops
// further copies (TSan checks the reference counting).
TEST(ZsetTreeTest, AReaderThreadSeesItsCopyUnchanged) {
  ZsetTree t;
  for (int i = 0; i < 20000; ++i) t.insert(i % 97, "m" + std::to_string(i));
  const std::vector<Key> expect = contents(t);
  ZsetTree frozen = t.shared_copy();
  std::thread reader([&frozen, &expect] {
    for (int round = 0; round < 5; ++round) {
      std::vector<Key> seen = contents(frozen);
      EXPECT_EQ(seen, expect);
    }
    frozen.reset();  // drops its links on this thread
  });
  std::mt19937 rng(3);
  for (int i = 0; i < 20000; ++i) {
    const unsigned op = rng() % 4;
    if (op == 0) {
      t.insert(double(rng() % 100), "n" + std::to_string(i));
    } else if (op == 1 && t.size() > 0) {
      const size_t first = rng() % t.size();
      t.erase_ranks(first, std::min(t.size() - 1, first + 2));
    } else if (op == 2) {
      ZsetTree scratch = t.shared_copy();
      scratch.insert(-1, "scratch");
    } else if (t.size() > 0) {
      std::vector<Key> one;
      size_t r = rng() % t.size();
      t.visit(r, r, false, [&](std::string_view m, double s) {
        one.push_back({s, std::string(m)});
      });
      t.update_score(one[0].score, one[0].member, double(rng() % 100));
    }
  }
  reader.join();
  EXPECT_TRUE(t.valid());
}

}  // namespace
}  // namespace tandem
