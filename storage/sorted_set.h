// A sorted set (Redis's zset, t_zset.c) in one of Redis's two encodings.
//
// - "listpack": member, score, member, score... in one Listpack, ordered by score and then by
//   member bytes, exactly as Redis's zset listpack (so RDB can write the blob unchanged). A
//   score is stored as Redis 7.0's d2string writes it: "inf"/"-inf", an integral value within
//   +-2^62 as its decimal form (-0 too becomes "0"), anything else as "%.17g"; the listpack then
//   stores canonical integers as integers. Operations are linear, which is fine at the sizes this
//   encoding is kept for.
// - "skiplist": Redis's skiplist (ranks via spans) plus a member -> score Dict; the skiplist's
//   nodes view the member strings the dict owns.
//
// Conversion follows Redis 7.0: listpack -> skiplist when an insert would make the listpack hold
// more than max_listpack_entries elements or the inserted member is longer than
// max_listpack_value bytes; back to listpack only when a command asks for it
// (convert_to_listpack_if_fits, as zsetConvertToListpackIfNeeded for ZUNIONSTORE & co).
//
// Ranges: every range query (by score, by lex) is first turned into a span of ranks
// [first, last), then served by rank, so both encodings share one code path per command.
//
// clone() cost: a listpack copies its one blob (small by construction); a skiplist is rebuilt
// element by element, O(n log n) time and O(n) memory. What remains undone (issue 6: "a single
// write to a million-member collection must not copy the million members"): the first write to
// a skiplist sorted set that a snapshot or a COPY shares still copies the whole set (measured on
// 1M members by bench/collection_write.py: a ZADD takes about 2.2 s and 165 MB).
// Hashtable sets and hashes no longer do (Dict::shared_copy), but the same trick does not carry
// over here, for two reasons:
// - the dict half could be shared (Dict::shared_copy), but the skiplist's nodes hold views of the
//   dict's key bytes, and a shared dict moves a key to a new node whenever it path-copies a chain
//   for a write, leaving the other side's skiplist pointing at a node only its peer keeps alive;
// - the skiplist itself is a pointer structure with spans, written all over on every insert, so
//   sharing it needs a persistent (path-copying) skiplist or tree, not a chunk directory.
// Ways forward, roughly in order of effort: (1) skiplist nodes own their member bytes (one more
// copy of each member) so the dict can be a shared copy, and the
// writable copy's skiplist is rebuilt lazily from its dict on the first ordered read, which
// moves the cost off writes such as ZADD/ZREM/ZINCRBY/ZSCORE but not off ZRANGE; (2) encode a
// frozen skiplist zset from its dict (the RDB loader sorts anyway, zset2 order is free) and let
// the snapshot hold a dict-only view, so the main thread keeps writing the original in place;
// this needs (1)'s owned members too (the live dict path-copies keys away from its skiplist's
// views) and freeze() to know which values are big zsets, e.g. a per-database registry filled
// on conversion to skiplist; (3) replace the skiplist with a B+ tree of
// reference-counted leaves (ranks from per-leaf counts), copy-on-write per leaf like the dict's
// chunks: one write then copies one leaf and the path to it.
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
