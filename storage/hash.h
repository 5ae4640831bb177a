// A hash value (Redis 7.0's t_hash.c object layer): field -> value, in one of two encodings.
//
// - "listpack": field and value alternate in one Listpack, in insertion order (a replaced value
//   keeps its field's place), exactly the bytes Redis keeps and writes to RDB as
//   RDB_TYPE_HASH_LISTPACK.
// - "hashtable": a Dict<std::string> from field to value.
// A hash starts as a listpack and converts to a hashtable, never back, as Redis 7.0 does: when a
// write would store a field or value longer than `max_listpack_value`, when it leaves more than
// `max_listpack_entries` pairs, or when the listpack would pass 1 GB (lpSafeToAdd). The limits
// are passed in by the caller (storage/ does not read the config).
//
// Reads are const and never mutate (no rehash steps), so a snapshot sharing this value may read
// it while nothing writes it. clone(): O(bytes) for a listpack (one memcpy of at most a few KB
// with default limits); a hashtable takes a Dict::shared_copy (O(fields / 64) chunk
// references), after which each side copies only the chunks and entries it writes to.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "storage/collection.h"
#include "storage/dict.h"
#include "storage/listpack.h"

namespace tandem {

class Hash : public Collection {
 public:
  static constexpr ValueType kType = ValueType::kHash;

  // hash-max-listpack-entries / hash-max-listpack-value.
  struct Limits {
    size_t max_listpack_entries = 128;
    size_t max_listpack_value = 64;
  };

  Hash() = default;
  // Adopts a listpack of field/value pairs (RDB_TYPE_HASH_LISTPACK); the caller has validated
  // it and checked that the element count is even and fields are unique.
  explicit Hash(Listpack pairs) : listpack_(std::move(pairs)) {}

  ValueType type() const override { return kType; }
  const char* encoding_name() const override;
  size_t size() const override;
  size_t memory_usage() const override;
  std::shared_ptr<Collection> clone() const override;

  bool is_listpack() const { return !dict_; }
  // The listpack (for RDB), nullptr when hashtable-encoded.
  const Listpack* listpack() const { return dict_ ? nullptr : &listpack_; }

  // The value of `field`, or nullopt. The view is valid until the next write; an integer stored
  // in the listpack is formatted into `scratch`.
  std::optional<std::string_view> get(std::string_view field, std::string& scratch) const;
  bool contains(std::string_view field) const;

  // Sets field to value; returns true if the field is new. Converts as described above.
  bool set(std::string_view field, std::string_view value, const Limits& limits);
  // Removes field; returns whether it existed.
  bool erase(std::string_view field);
  void convert_to_hashtable();

  // Calls fn(field, value) for every pair, in listpack order or the hashtable's bucket order
  // (DIGEST, RDB, HGETALL). The views are valid during the call only; fn must not modify the
  // hash.
  template <typename F>
  void for_each(F&& fn) const {
    if (dict_) {
      dict_->for_each([&](const Dict<std::string>::Entry& e) {
        fn(std::string_view(e.key), std::string_view(e.value));
      });
      return;
    }
    std::string fscratch, vscratch;
    for (Listpack::Pos p = listpack_.first(); p != Listpack::kEnd;) {
      const Listpack::Pos v = listpack_.next(p);
      fn(view(listpack_.get(p), fscratch), view(listpack_.get(v), vscratch));
      p = listpack_.next(v);
    }
  }

  // One random pair (the hash must not be empty). Listpack pairs are equally likely; hashtable
  // pairs nearly so (see random_entry in storage/dict.h), without mutating the table.
  std::pair<std::string, std::string> random_pair(std::mt19937_64& rng) const;
  // All pairs, copied (HRANDFIELD's sampling works on it when it needs most of the hash).
  std::vector<std::pair<std::string, std::string>> pairs() const;

  // One HSCAN step on a hashtable (fn(field, value)); see Dict::scan for the guarantees. A
  // listpack hash is returned whole by the caller with cursor 0, as Redis does.
  template <typename F>
  uint64_t scan(uint64_t cursor, F&& fn) const {
    if (!dict_) {
      for_each(fn);
      return 0;
    }
    return dict_->scan(cursor, [&](const Dict<std::string>::Entry& e) {
      fn(std::string_view(e.key), std::string_view(e.value));
    });
  }

 private:
  static std::string_view view(const Listpack::Element& e, std::string& scratch) {
    if (!e.is_int) return e.str;
    scratch = e.to_string();
    return scratch;
  }
  // The listpack position of `field` (a field, never a value), or kEnd.
  Listpack::Pos find_field(std::string_view field) const;

  Listpack listpack_;
  std::unique_ptr<Dict<std::string>> dict_;  // set once converted; listpack_ is then empty
};

}  // namespace tandem
