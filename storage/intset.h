// IntSet: Redis's intset, byte for byte, so that RDB can save and load it as it is.
//
// Layout (little-endian, as Redis writes it on every platform we run on):
//   u32 encoding   2, 4 or 8: the byte width of every element
//   u32 length     number of elements
//   length elements of that width, signed, strictly ascending
// Invariants: the encoding is the smallest width that held every value ever inserted; it is
// upgraded when a wider value arrives and never downgraded (removing the wide value keeps the
// width), exactly as Redis's intset.c, so that our blobs match Redis's DUMP output. Inserts and
// removals shift the tail (O(n)), which is fine for the small sets (set-max-intset-entries) that
// use this encoding.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "storage/heap_bytes.h"

namespace tandem {

class IntSet {
 public:
  static constexpr uint32_t kEnc16 = 2;
  static constexpr uint32_t kEnc32 = 4;
  static constexpr uint32_t kEnc64 = 8;
  static constexpr size_t kHeaderSize = 8;

  IntSet();
  // A copy of a blob that passed validate_intset(blob, true); nullopt otherwise.
  static std::optional<IntSet> from_bytes(std::string_view blob);

  // Adds `value`; false if it was already present.
  bool insert(int64_t value);
  // Removes `value`; false if it was absent. Never downgrades the encoding.
  bool erase(int64_t value);
  bool contains(int64_t value) const;
  // Removes the element at `index` (< size()).
  void erase_at(size_t index);

  size_t size() const { return length_; }
  bool empty() const { return length_ == 0; }
  uint32_t encoding() const { return encoding_; }
  // The element at `index` (< size()), in ascending order.
  int64_t at(size_t index) const { return get(index, encoding_); }
  int64_t min() const { return at(0); }
  int64_t max() const { return at(length_ - 1); }
  // The whole blob (header and contents), as RDB stores it.
  std::string_view bytes() const;
  size_t blob_size() const { return bytes().size(); }

  template <typename F>
  void for_each(F&& fn) const {
    for (size_t i = 0; i < length_; ++i) fn(at(i));
  }

  // The width that can hold `value` (Redis's _intsetValueEncoding).
  static uint32_t encoding_for(int64_t value);

 private:
  int64_t get(size_t index, uint32_t enc) const;
  void put(size_t index, int64_t value);
  // Position of `value` if present, else where it would go.
  bool search(int64_t value, size_t& pos) const;
  void upgrade_and_add(int64_t value);
  void write_header();

  HeapBytes bytes_;  // exactly the blob's bytes, as Redis sizes its intsets
  uint32_t encoding_ = kEnc16;
  uint32_t length_ = 0;
};

// Redis's intsetValidateIntegrity: the header is readable, the encoding is 2, 4 or 8, the size
// matches header + length * encoding exactly, the set is not empty and, when `deep`, the
// elements are strictly ascending (no duplicates).
bool validate_intset(std::string_view blob, bool deep);

}  // namespace tandem
