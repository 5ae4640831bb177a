// A sorted set (Redis's zset, t_zset.c) in one of Redis's two encodings.
//
// - "listpack": member, score, member, score... in one Listpack, ordered by score and then by
//   member bytes, exactly as Redis's zset listpack (so RDB can write the blob unchanged). A
//   score is stored as Redis 7.0's d2string writes it: "inf"/"-inf", an integral value within
//   +-2^62 as its decimal form (-0 too becomes "0"), anything else as "%.17g"; the listpack then
//   stores canonical integers as integers. Operations are linear, which is fine at the sizes this
//   encoding is kept for.
// - "skiplist" (Redis's name, kept for OBJECT ENCODING): a member -> score Dict plus the order
//   in a ZsetTree (storage/zset_tree.h), an order-statistic B+ tree of reference-counted,
//   copy-on-write nodes (ranks from per-child counts). Each half owns its copy of the member
//   bytes: the tree's leaves pack them, so a shared dict may path-copy its entries freely.
//
// Conversion follows Redis 7.0: listpack -> skiplist when an insert would make the listpack hold
// more than max_listpack_entries elements or the inserted member is longer than
// max_listpack_value bytes; back to listpack only when a command asks for it
// (convert_to_listpack_if_fits, as zsetConvertToListpackIfNeeded for ZUNIONSTORE & co).
//
// Ranges: every range query (by score, by lex) is first turned into a span of ranks
// [first, last), then served by rank, so both encodings share one code path per command.
//
// clone() cost (issue 6: "a single write to a million-member collection must not copy the
// million members"): a listpack copies its one blob (small by construction); a skiplist set
// takes Dict::shared_copy of its dict (O(members / 64) chunk references) and shared_copy of its
// tree (O(1): one reference on the root). Either side then copies only what it writes while the
// other still shares it: the dict chunk and chain prefix of the member, and the tree's
// root-to-leaf path (a leaf of at most 128 elements / ~4 KB of members and an inner node of 64
// children per level: about three inner levels at 1M members). A snapshot's writer thread reads the
// original while the main thread writes the copy; both structures' reference counts follow the
// same acquire/release rule (storage/dict.h, storage/zset_tree.h).
//
// Why not the skiplist: its nodes viewed the dict's key bytes, which a shared dict moves when it
// path-copies a chain, and a skiplist is one pointer structure written all over by an insert, so
// it cannot be shared piecewise; a clone rebuilt it element by element. Measured with 1M members
// (bench/collection_write.py, during a BGSAVE): the first ZADD took 2354 ms and 168 MB with
// the skiplist, 1.0 ms and 140 KB (128 KB of it the dict's chunk directory) with the tree. The
// tree also costs less memory (bench/big_zset.py, 1M members "member:<12 digits>": 114 bytes
// per member of used_memory against 174 with the skiplist and Redis's 126) and less CPU per
// operation (bench/zset_ops.cpp, 400k members, ns: ZADD ~1200 vs ~4000, ZRANK ~800 vs ~3900,
// ZINCRBY ~1300 vs ~4800, a 10-element ZRANGE ~230 vs ~4800, ZPOPMIN ~700 vs ~950).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "storage/collection.h"
#include "storage/dict.h"
#include "storage/listpack.h"
#include "storage/zset_tree.h"

namespace tandem {

// Redis's zrangespec: [min, max] with either end exclusive.
struct ScoreRange {
  double min = 0;
  double max = 0;
  bool minex = false;
  bool maxex = false;
  bool above_min(double v) const { return minex ? v > min : v >= min; }
  bool below_max(double v) const { return maxex ? v < max : v <= max; }
  bool empty() const { return min > max || (min == max && (minex || maxex)); }
};
// Parses "1.5", "(1.5", "-inf", "+inf" as Redis's zslParseRange (strtod's grammar, so "" and
// "(" read as 0, leading spaces and hex are accepted; NaN is not). False on a bad bound.
bool parse_score_range(std::string_view min, std::string_view max, ScoreRange& out);

// Redis's zlexrangespec: "[a" inclusive, "(a" exclusive, "-" and "+" the infinite ends.
struct LexBound {
  enum Kind : uint8_t { kMinusInf, kValue, kPlusInf };
  Kind kind = kMinusInf;
  bool exclusive = false;
  std::string value;
};
struct LexRange {
  LexBound min;
  LexBound max;
  bool above_min(std::string_view v) const;
  bool below_max(std::string_view v) const;
  bool empty() const;
};
bool parse_lex_range(std::string_view min, std::string_view max, LexRange& out);

// Redis's d2string: how a score is written into a listpack.
std::string score_to_string(double score);

class SortedSet final : public Collection {
 public:
  static constexpr ValueType kType = ValueType::kZSet;
  enum class Encoding : uint8_t { kListpack, kSkiplist };
  struct Limits {
    size_t max_listpack_entries = 128;
    size_t max_listpack_value = 64;
  };
  using Visit = std::function<void(std::string_view member, double score)>;

  explicit SortedSet(Encoding encoding = Encoding::kListpack);
  ~SortedSet() override;

  // The encoding Redis picks for a new set created by ZADD/ZINCRBY whose first member is
  // `first_member` (zaddGenericCommand checks only that one).
  static Encoding encoding_for_new(size_t first_member_len, const Limits& limits);

  ValueType type() const override { return kType; }
  const char* encoding_name() const override;
  size_t size() const override;
  size_t memory_usage() const override;
  std::shared_ptr<Collection> clone() const override;
  Encoding encoding() const { return sl_ ? Encoding::kSkiplist : Encoding::kListpack; }
  // The listpack blob (listpack encoding only), for RDB.
  const Listpack* listpack() const { return encoding() == Encoding::kListpack ? &lp_ : nullptr; }

  // Redis's zsetAdd. Flags combine as ZADD's options; the caller has rejected incompatible
  // combinations. `score` is the increment with kIncr. On kAdded/kUpdated/kNop `*new_score` is
  // the member's score afterwards (with kIncr). kUnchanged: the member exists and its score
  // stays as it is (neither added nor updated, yet "processed" for ZADD INCR's reply). kNaN:
  // the increment made a NaN; nothing changed.
  enum AddFlag : int { kNx = 1, kXx = 2, kGt = 4, kLt = 8, kIncr = 16 };
  enum class AddResult { kAdded, kUpdated, kUnchanged, kNop, kNaN };
  AddResult add(std::string_view member, double score, int flags, const Limits& limits,
                double* new_score = nullptr);
  bool remove(std::string_view member);
  std::optional<double> score(std::string_view member) const;
  // 0-based rank from the lowest (or, reversed, from the highest) element.
  std::optional<size_t> rank(std::string_view member, bool reverse) const;

  // Visits ranks [start, end] (0-based, inclusive, end < size()) from the lowest; reversed, the
  // ranks count from the highest element and visiting goes downwards.
  void range_by_rank(size_t start, size_t end, bool reverse, const Visit& visit) const;
  // The span of (forward) ranks [first, last) whose elements lie in the range.
  std::pair<size_t, size_t> score_span(const ScoreRange& range) const;
  std::pair<size_t, size_t> lex_span(const LexRange& range) const;
  // Removes the elements at forward ranks [start, end]; returns how many.
  size_t erase_rank_range(size_t start, size_t end);
  // All elements in order.
  void for_each(const Visit& visit) const;

  // One ZSCAN step. A listpack answers everything at once (cursor 0 back) with each score as
  // stored; a skiplist scans its dict (Dict::scan guarantees) for about `count` entries.
  // visit(member, score as a double, stored score text or empty).
  using ScanVisit =
      std::function<void(std::string_view member, double score, std::string_view score_text)>;
  uint64_t scan(uint64_t cursor, size_t count, const ScanVisit& visit) const;

  void convert_to_skiplist();
  // Redis's zsetConvertToListpackIfNeeded: back to a listpack when the set is a skiplist with
  // at most max_listpack_entries elements, none longer than max_listpack_value.
  void convert_to_listpack_if_fits(const Limits& limits);

 private:
  struct ListpackCursor;
  std::optional<size_t> listpack_find(std::string_view member, double* score) const;
  void listpack_insert(std::string_view member, double score);
  void listpack_erase_at(size_t index);
  void skiplist_insert(std::string_view member, double score);

  Listpack lp_;
  // Skiplist encoding: both behind one pointer, which keeps a listpack SortedSet at 40 bytes.
  // Each owns its copy of the members, so each can be shared with a clone on its own terms.
  struct Skiplist {
    Skiplist();
    Dict<double> dict;
    ZsetTree tree;
  };
  // The encoding is the skiplist one exactly when sl_ is set.
  std::unique_ptr<Skiplist> sl_;
};

}  // namespace tandem
