// Redis 7.0's listpack, byte for byte: the compact encoding of small hashes and sorted sets and
// of each quicklist node. Keeping Redis's exact layout makes our memory per small collection
// match Redis's and lets RDB write and read these blobs unchanged (RDB_TYPE_*_LISTPACK).
//
// Layout: <total-bytes u32 LE> <num-elements u16 LE, 65535 = "count it"> <entry>... <0xFF>.
// Each entry is <encoding+data> <backlen>, where backlen (1..5 bytes, 7 bits per byte, read
// right to left) is the size of <encoding+data>, so the list can be walked both ways.
// Encodings: 0xxxxxxx 7-bit uint, 10xxxxxx 6-bit string length, 110xxxxx 13-bit int,
// 1110xxxx 12-bit string length, 0xF0 32-bit string length, 0xF1/F2/F3/F4 16/24/32/64-bit int.
// An element that is the canonical decimal form of an int64 (parse_int64) is stored as an
// integer, as Redis's lpAppend does, and reads back as the same decimal string.
//
// Positions are byte offsets into the blob; any write invalidates every position except the
// one a write returns.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "storage/heap_bytes.h"

namespace tandem {

class Listpack {
 public:
  // A byte offset of an entry; kEnd past the last one (and "not found").
  using Pos = uint32_t;
  static constexpr Pos kEnd = UINT32_MAX;

  // One element: an integer or a string (a view into the blob, valid until the next write).
  struct Element {
    bool is_int = false;
    int64_t integer = 0;
    std::string_view str;
    std::string to_string() const;
    // Compares with a string argument as Redis's lpCompare does (an integer element equals the
    // string only if the string is its canonical decimal form).
    bool equals(std::string_view s) const;
  };

  Listpack();  // empty: header + end byte (7 bytes)

  // Adopts a blob from RDB or DUMP. With `deep`, validates every entry (encodings, backlens,
  // lengths, the count, the end byte) as Redis's lpValidateIntegrity(deep=1) does; without it,
  // only the header and the end byte. Returns false (leaving *this untouched) if invalid.
  bool assign_validated(std::string_view blob, bool deep);

  std::string_view bytes() const { return blob_.view(); }
  size_t bytes_size() const { return blob_.size(); }
  size_t size() const { return count_; }  // number of elements
  bool empty() const { return count_ == 0; }

  // Walking. first()/last() are kEnd on an empty listpack; next(last()) and prev(first()) are
  // kEnd. seek(i) is the i-th element, negative from the tail (-1 the last), kEnd if outside.
  Pos first() const;
  Pos last() const;
  Pos next(Pos p) const;
  Pos prev(Pos p) const;
  Pos seek(int64_t index) const;
  Element get(Pos p) const;

  // Writes.
  void push_back(std::string_view s);
  void push_front(std::string_view s);
  void push_back_int(int64_t v);
  // Inserts before or after the element at `p`; returns the new element's position.
  Pos insert_before(Pos p, std::string_view s);
  Pos insert_after(Pos p, std::string_view s);
  // Replaces the element at `p`; returns its (possibly moved) position.
  Pos replace(Pos p, std::string_view s);
  Pos replace_int(Pos p, int64_t v);
  // Erases the element at `p`; returns the position of the element that followed (or kEnd).
  Pos erase(Pos p);
  // Erases `count` elements starting at the element at `index` (negative from the tail),
  // clamped to the end.
  void erase_range(int64_t index, size_t count);
  void clear();

  // The first element equal to `s` at or after `from`, checking one element and then skipping
  // `skip` (1 for the field of field/value pairs, so values are never matched), as lpFind.
  Pos find(Pos from, std::string_view s, unsigned skip = 0) const;

  // Bytes an element `s` would take encoded (for the *-max-listpack-value style checks Redis
  // does on sizes, callers usually use s.size(); this is the exact encoded size).
  static size_t encoded_size(std::string_view s);

 private:
  void sync_header();               // header total and count from blob_ and count_
  size_t entry_total(Pos p) const;  // encoding+data+backlen bytes of the entry at p
  Pos entry_before(size_t end) const;
  // Replaces `remove` bytes at `at` with `entry`, adjusting the count by `delta`.
  Pos splice(Pos at, size_t remove, const std::string& entry, int delta);

  HeapBytes blob_;  // exactly the listpack's bytes, as Redis sizes its listpacks
  size_t count_ = 0;
};

}  // namespace tandem
