// Set: the value of a Redis set key, in Redis 7.0's two encodings (t_set.c).
//
// - "intset" (storage/intset.h) while every member is a canonical int64 (Redis's string2ll
//   form: "12" but not "012", "+1" or " 1") and there are at most set-max-intset-entries of
//   them (capped at 2^30 as Redis caps it);
// - "hashtable" (storage/dict.h, keyed by member) otherwise.
// The conversion is one way, as in Redis 7.0 (which has no listpack sets): a set that became a
// hashtable stays one even after removals; only a newly built set (SINTERSTORE's result, SPOP's
// remainder of an intset) starts as an intset again. The limit is passed in by the caller, since
// storage/ does not read the server's config.
//
// Member order: an intset iterates in ascending numeric order (as Redis), a hashtable in its
// bucket order (which differs from Redis's, as Redis's own differs between runs).
//
// clone() cost: an intset is one contiguous blob of at most 8 bytes per member (4 KB at the
// default limit of 512), copied with one memcpy; a hashtable takes a Dict::shared_copy, which
// shares every member with the original (O(members / 64) chunk references) until either side
// writes, and then copies only the chunk and chain it writes to. So the first write to a
// million-member set that a snapshot or a COPY shares costs about a millisecond and 130 KB, not
// a copy of the set (bench/collection_write.py).
//
// Reads never mutate: every const method (random_member included) leaves the structure as it
// is, so a set shared with a snapshot may be read while the snapshot reads it too.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "storage/collection.h"
#include "storage/dict.h"
#include "storage/intset.h"

namespace tandem {

class Set final : public Collection {
 public:
  static constexpr ValueType kType = ValueType::kSet;
  enum class Encoding : uint8_t { kIntset, kHashtable };
  // Redis limits intsets to 2^30 entries whatever the configuration says.
  static constexpr size_t kMaxIntsetEntries = size_t{1} << 30;

  explicit Set(Encoding encoding = Encoding::kIntset);
  // Redis's setTypeCreate: an empty set in the encoding its first member calls for (intset for a
  // canonical integer, hashtable otherwise).
  static std::shared_ptr<Set> create_for(std::string_view first_member);
  // An intset-encoded set holding `intset` (RDB loading: IntSet::from_bytes validates the blob).
  static std::shared_ptr<Set> from_intset(IntSet intset);

  ValueType type() const override { return kType; }
  const char* encoding_name() const override;
  size_t size() const override;
  size_t memory_usage() const override;
  std::shared_ptr<Collection> clone() const override;

  Encoding encoding() const { return dict_ ? Encoding::kHashtable : Encoding::kIntset; }
  // Redis's setTypeAdd: converts an intset to a hashtable on a non-integer member or when it
  // grows past `max_intset_entries`. Returns whether the member was added.
  bool add(std::string_view member, size_t max_intset_entries);
  bool remove(std::string_view member);
  bool contains(std::string_view member) const;
  void convert_to_hashtable();

  // A uniformly chosen member for an intset; for a hashtable a random bucket's member (exactly
  // uniform for small sets, close to it for large ones). The set must not be empty.
  std::string random_member() const;
  // Removes and returns a random member (Dict's fair random entry, or a random intset index).
  std::string pop_random();

  // fn(std::string_view member) for every member; fn must not modify the set.
  template <typename F>
  void for_each(F&& fn) const {
    if (!dict_) {
      char buf[24];
      intset_.for_each([&](int64_t v) { fn(format_int(v, buf)); });
    } else {
      dict_->for_each([&](const Dict<Unit>::Entry& e) { fn(std::string_view(e.key)); });
    }
  }
  // One SSCAN step over a hashtable (see Dict::scan for the guarantees); an intset is returned
  // whole by the caller. fn(std::string_view member).
  template <typename F>
  uint64_t scan(uint64_t cursor, F&& fn) const {
    if (!dict_) return 0;
    return dict_->scan(cursor, [&](const Dict<Unit>::Entry& e) { fn(std::string_view(e.key)); });
  }

  // The intset blob (RDB_TYPE_SET_INTSET); only meaningful for the intset encoding.
  const IntSet& intset() const { return intset_; }

  // The decimal form of an intset member, written into `buf` (at least 21 bytes).
  static std::string_view format_int(int64_t v, char* buf);

 private:
  struct Unit {};

  // The encoding is the hashtable one exactly when dict_ is set; an intset set holds no Dict.
  IntSet intset_;
  std::unique_ptr<Dict<Unit>> dict_;
};

}  // namespace tandem
