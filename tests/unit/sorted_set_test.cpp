// SortedSet against a std::set<pair<double, string>> model, in both encodings and across
// conversions; plus the range parsers and Redis's score-to-string form. The skiplist encoding's
// tree has its own tests (zset_tree_test.cpp).
#include "storage/sorted_set.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace tandem {
namespace {

using Model = std::set<std::pair<double, std::string>>;

std::vector<std::pair<std::string, double>> contents(const SortedSet& z) {
  std::vector<std::pair<std::string, double>> out;
  z.for_each([&](std::string_view m, double s) { out.emplace_back(std::string(m), s); });
  return out;
}

std::vector<std::pair<std::string, double>> contents(const Model& m) {
  std::vector<std::pair<std::string, double>> out;
  for (const auto& [s, member] : m) out.emplace_back(member, s);
  return out;
}

void check_same(const SortedSet& z, const Model& model) {
  ASSERT_EQ(z.size(), model.size());
  ASSERT_EQ(contents(z), contents(model));
  size_t rank = 0;
  for (const auto& [s, member] : model) {
    ASSERT_EQ(z.score(member), s);
    ASSERT_EQ(z.rank(member, false), rank);
    ASSERT_EQ(z.rank(member, true), model.size() - 1 - rank);
    ++rank;
  }
}

TEST(SortedSetTest, ScoreToStringIsRedisD2string) {
  EXPECT_EQ(score_to_string(0.0), "0");
  EXPECT_EQ(score_to_string(-0.0), "0");
  EXPECT_EQ(score_to_string(1.0), "1");
  EXPECT_EQ(score_to_string(-2.5), "-2.5");
  EXPECT_EQ(score_to_string(0.1), "0.10000000000000001");
  EXPECT_EQ(score_to_string(1e18), "1000000000000000000");
  EXPECT_EQ(score_to_string(123456789012345678.0), "123456789012345680");
  EXPECT_EQ(score_to_string(4611686018427387904.0), "4611686018427387904");
  EXPECT_EQ(score_to_string(5e18), "5e+18");
  EXPECT_EQ(score_to_string(1e20), "1e+20");
  EXPECT_EQ(score_to_string(std::numeric_limits<double>::infinity()), "inf");
  EXPECT_EQ(score_to_string(-std::numeric_limits<double>::infinity()), "-inf");
}

TEST(SortedSetTest, ParsesScoreRangesLikeZslParseRange) {
  ScoreRange r;
  ASSERT_TRUE(parse_score_range("(1", "+inf", r));
  EXPECT_TRUE(r.minex);
  EXPECT_FALSE(r.maxex);
  EXPECT_EQ(r.min, 1);
  EXPECT_TRUE(std::isinf(r.max));
  ASSERT_TRUE(parse_score_range("", "(", r));  // strtod reads nothing as 0
  EXPECT_EQ(r.min, 0);
  EXPECT_TRUE(r.maxex);
  EXPECT_TRUE(r.empty());
  EXPECT_FALSE(parse_score_range("nan", "1", r));
  EXPECT_FALSE(parse_score_range("1", "x", r));
  EXPECT_FALSE(parse_score_range("[1", "2", r));
}

TEST(SortedSetTest, ParsesLexRanges) {
  LexRange r;
  ASSERT_TRUE(parse_lex_range("-", "+", r));
  EXPECT_TRUE(r.above_min(""));
  EXPECT_TRUE(r.below_max("\xff\xff"));
  EXPECT_FALSE(r.empty());
  ASSERT_TRUE(parse_lex_range("(a", "[b", r));
  EXPECT_FALSE(r.above_min("a"));
  EXPECT_TRUE(r.above_min("aa"));
  EXPECT_TRUE(r.below_max("b"));
  EXPECT_FALSE(r.below_max("ba"));
  ASSERT_TRUE(parse_lex_range("+", "-", r));
  EXPECT_TRUE(r.empty());
  ASSERT_TRUE(parse_lex_range("[a", "(a", r));
  EXPECT_TRUE(r.empty());
  EXPECT_FALSE(parse_lex_range("a", "+", r));
  EXPECT_FALSE(parse_lex_range("", "+", r));
  EXPECT_FALSE(parse_lex_range("-", "++", r));
}

TEST(SortedSetTest, ListpackHoldsMemberScorePairsAsRedisDoes) {
  SortedSet z;
  SortedSet::Limits limits;
  z.add("b", 2.5, 0, limits);
  z.add("a", 7, 0, limits);
  z.add("c", 0.1, 0, limits);
  const Listpack* lp = z.listpack();
  ASSERT_NE(lp, nullptr);
  ASSERT_EQ(lp->size(), 6u);
  std::vector<std::string> items;
  for (auto p = lp->first(); p != Listpack::kEnd; p = lp->next(p)) {
    items.push_back(lp->get(p).to_string());
  }
  EXPECT_EQ(items, (std::vector<std::string>{"c", "0.10000000000000001", "b", "2.5", "a", "7"}));
  // The integral score is an integer entry, as lpAppend stores it.
  EXPECT_TRUE(lp->get(lp->seek(5)).is_int);
}

TEST(SortedSetTest, ConvertsAtTheThresholdsAndOnlyBackOnRequest) {
  SortedSet::Limits limits{4, 8};
  SortedSet z;
  for (int i = 0; i < 4; ++i) z.add("m" + std::to_string(i), i, 0, limits);
  EXPECT_STREQ(z.encoding_name(), "listpack");
  z.add("m4", 4, 0, limits);
  EXPECT_STREQ(z.encoding_name(), "skiplist");
  z.remove("m4");
  z.remove("m3");
  EXPECT_STREQ(z.encoding_name(), "skiplist");
  z.convert_to_listpack_if_fits(limits);
  EXPECT_STREQ(z.encoding_name(), "listpack");
  EXPECT_EQ(z.size(), 3u);

  SortedSet w;
  w.add("short", 1, 0, limits);
  w.add("123456789", 1, 0, limits);  // longer than 8 bytes
  EXPECT_STREQ(w.encoding_name(), "skiplist");
  w.convert_to_listpack_if_fits(limits);
  EXPECT_STREQ(w.encoding_name(), "skiplist");
  EXPECT_EQ(SortedSet::encoding_for_new(9, limits), SortedSet::Encoding::kSkiplist);
  EXPECT_EQ(SortedSet::encoding_for_new(8, limits), SortedSet::Encoding::kListpack);
  EXPECT_EQ(SortedSet::encoding_for_new(1, {0, 64}), SortedSet::Encoding::kSkiplist);
}

TEST(SortedSetTest, AddFlagsFollowZsetAdd) {
  SortedSet::Limits limits;
  SortedSet z;
  double out = 0;
  EXPECT_EQ(z.add("a", 1, SortedSet::kXx, limits), SortedSet::AddResult::kNop);
  EXPECT_EQ(z.add("a", 1, 0, limits), SortedSet::AddResult::kAdded);
  EXPECT_EQ(z.add("a", 5, SortedSet::kNx, limits), SortedSet::AddResult::kNop);
  EXPECT_EQ(z.add("a", 0, SortedSet::kGt, limits), SortedSet::AddResult::kNop);
  EXPECT_EQ(z.add("a", 3, SortedSet::kGt, limits), SortedSet::AddResult::kUpdated);
  EXPECT_EQ(z.add("a", 4, SortedSet::kLt, limits), SortedSet::AddResult::kNop);
  EXPECT_EQ(z.add("a", 0, SortedSet::kIncr, limits, &out), SortedSet::AddResult::kUnchanged);
  EXPECT_EQ(out, 3);
  EXPECT_EQ(z.add("a", 2, SortedSet::kIncr, limits, &out), SortedSet::AddResult::kUpdated);
  EXPECT_EQ(out, 5);
  double inf = std::numeric_limits<double>::infinity();
  z.add("i", inf, 0, limits);
  EXPECT_EQ(z.add("i", -inf, SortedSet::kIncr, limits), SortedSet::AddResult::kNaN);
  EXPECT_EQ(z.add("n", std::nan(""), 0, limits), SortedSet::AddResult::kNaN);
  EXPECT_EQ(z.score("i"), inf);
}

// Random operations on both encodings (and a set converting midway) against the model.
class SortedSetModelTest : public ::testing::TestWithParam<size_t> {};

TEST_P(SortedSetModelTest, RandomOperationsMatchTheModel) {
  const size_t max_entries = GetParam();
  SortedSet::Limits limits{max_entries, 64};
  std::mt19937 rng(static_cast<unsigned>(max_entries) * 7919u + 1);
  SortedSet z(SortedSet::encoding_for_new(1, limits));
  Model model;
  std::map<std::string, double> scores;
  auto pick_member = [&] {
    int n = static_cast<int>(rng() % 300);
    if (n == 0) return std::string();
    if (n == 1) return std::string(70, 'x');  // too long for a listpack
    return (n % 3 ? "m" : "") + std::to_string(n);
  };
  const double kScores[] = {0,
                            1,
                            -1,
                            2.5,
                            1e300,
                            -std::numeric_limits<double>::infinity(),
                            std::numeric_limits<double>::infinity(),
                            0.1,
                            3,
                            1e-300};
  auto pick_score = [&] { return kScores[rng() % std::size(kScores)]; };

  for (int step = 0; step < 4000; ++step) {
    int op = static_cast<int>(rng() % 10);
    if (op < 5) {
      std::string m = pick_member();
      double s = pick_score();
      auto it = scores.find(m);
      auto result = z.add(m, s, 0, limits);
      if (it == scores.end()) {
        EXPECT_EQ(result, SortedSet::AddResult::kAdded);
        scores[m] = s;
        model.emplace(s, m);
      } else if (it->second == s) {
        EXPECT_EQ(result, SortedSet::AddResult::kUnchanged);
      } else {
        EXPECT_EQ(result, SortedSet::AddResult::kUpdated);
        model.erase({it->second, m});
        model.emplace(s, m);
        it->second = s;
      }
    } else if (op < 7) {
      std::string m = pick_member();
      bool present = scores.erase(m) > 0;
      if (present) {
        for (auto it = model.begin(); it != model.end(); ++it) {
          if (it->second == m) {
            model.erase(it);
            break;
          }
        }
      }
      EXPECT_EQ(z.remove(m), present);
    } else if (op == 7 && !model.empty()) {
      // Score span and rank range against the model.
      double a = pick_score(), b = pick_score();
      ScoreRange r{std::min(a, b), std::max(a, b), bool(rng() % 2), bool(rng() % 2)};
      auto [first, last] = z.score_span(r);
      std::vector<std::string> expect, got;
      for (const auto& [s, m] : model) {
        if (r.above_min(s) && r.below_max(s)) expect.push_back(m);
      }
      if (first < last) {
        z.range_by_rank(first, last - 1, false,
                        [&](std::string_view m, double) { got.emplace_back(m); });
      }
      EXPECT_EQ(got, expect);
    } else if (op == 8 && !model.empty()) {
      size_t start = rng() % model.size();
      size_t end = start + rng() % 5;
      end = std::min(end, model.size() - 1);
      std::vector<std::string> rev, expect_rev;
      z.range_by_rank(start, end, true, [&](std::string_view m, double) { rev.emplace_back(m); });
      auto it = model.rbegin();
      std::advance(it, start);
      for (size_t i = start; i <= end; ++i, ++it) expect_rev.push_back(it->second);
      EXPECT_EQ(rev, expect_rev);
    } else if (op == 9 && model.size() > 10 && rng() % 10 == 0) {
      size_t start = rng() % model.size();
      size_t end = std::min(model.size() - 1, start + rng() % 4);
      EXPECT_EQ(z.erase_rank_range(start, end), end - start + 1);
      auto first = model.begin();
      std::advance(first, start);
      auto last = first;
      std::advance(last, end - start + 1);
      for (auto it = first; it != last; ++it) scores.erase(it->second);
      model.erase(first, last);
    }
    if (step % 500 == 0) check_same(z, model);
  }
  check_same(z, model);

  // A clone is independent of later writes to either copy.
  auto copy = std::static_pointer_cast<SortedSet>(z.clone());
  Model before = model;
  z.add("fresh-member", 42, 0, limits);
  check_same(*copy, before);
  copy->convert_to_listpack_if_fits({1000, 100});
  check_same(*copy, before);
}

INSTANTIATE_TEST_SUITE_P(Limits, SortedSetModelTest, ::testing::Values(0, 16, 128, 100000));

TEST(SortedSetTest, LexSpanOnEqualScores) {
  for (size_t max_entries : {size_t{0}, size_t{128}}) {
    SortedSet::Limits limits{max_entries, 64};
    SortedSet z(SortedSet::encoding_for_new(1, limits));
    for (const char* m : {"a", "b", "c", "d", "e"}) z.add(m, 0, 0, limits);
    LexRange r;
    ASSERT_TRUE(parse_lex_range("(a", "[d", r));
    EXPECT_EQ(z.lex_span(r), (std::pair<size_t, size_t>{1, 4}));
    ASSERT_TRUE(parse_lex_range("[x", "+", r));
    auto span = z.lex_span(r);
    EXPECT_EQ(span.first, span.second);
  }
}

}  // namespace
}  // namespace tandem
