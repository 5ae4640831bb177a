// The RDB decoder: reads every value encoding Redis 7.0 can load (RDB versions 1 to 10), from a
// Source that delivers the input in pieces, and validates it as Redis does with
// `sanitize-dump-payload yes`: every length and count, listpack / ziplist / intset / zipmap
// integrity, duplicate members and fields, NaN scores, truncation. Nothing in the input can
// crash it or make it allocate much more than the input's size.
//
// Each failure is an Error with the byte offset (from the start of the input) where the decoder
// was when it noticed. Streams and module values are refused with an error naming the key and
// the type.
//
// Encodings on load follow Redis 7.0's rdbLoadObject: old encodings (ziplist, zipmap, quicklist
// v1, plain lists) become today's (listpack, quicklist), and a collection larger than the
// configured *-max-listpack-* / set-max-intset-entries limits is converted as Redis converts it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "rdb/load_progress.h"
#include "rdb/source.h"
#include "storage/lfu.h"
#include "storage/hash.h"
#include "storage/sorted_set.h"
#include "storage/value.h"
#include "tl/expected.hpp"

namespace tandem::rdb {

struct Error {
  std::string message;
  uint64_t offset = 0;
  // "<message> (at byte offset N)".
  std::string to_string() const;
};

// The decoder's internal failure; it never leaves guarded().
struct DecodeFailure {
  Error error;
};

// The configuration that decides in-memory encodings of loaded values.
struct LoadOptions {
  int list_fill = -2;  // list-max-listpack-size
  Hash::Limits hash;
  SortedSet::Limits zset;
  size_t set_max_intset_entries = 512;
  bool verify_checksum = true;  // rdbchecksum (a file's stored zero always skips the check)
  // How the loading server keeps access fields (maxmemory-policy): under LFU a key's FREQ
  // opcode sets its counter and IDLE is ignored, otherwise the reverse, as in Redis.
  AccessTracking access;
  // Where load_keyspace reports its progress while it runs (null: nowhere). Shared, so a
  // loading thread's copy of the options keeps it alive.
  std::shared_ptr<LoadProgress> progress;
};

// Buffered reading from a Source with the offset and the running CRC-64 of what was consumed.
class Reader {
 public:
  explicit Reader(Source& source) : source_(source) {}
  // The next `n` bytes appended to `out`; throws (inside the decoder only) at the end of input.
  void read(std::string& out, size_t n);
  uint8_t byte();
  uint64_t offset() const { return offset_; }
  uint64_t crc();  // of every byte consumed so far
  bool at_end();

 private:
  bool fill();

  Source& source_;
  std::string buffer_;
  size_t pos_ = 0;
  size_t crc_pos_ = 0;  // bytes of buffer_ already in crc_
  uint64_t crc_ = 0;
  uint64_t offset_ = 0;
};

class Decoder {
 public:
  Decoder(Reader& reader, const LoadOptions& options) : in_(reader), options_(options) {}

  // One value of RDB type `type` (the byte before the key); `key` names it in errors. nullopt:
  // an empty collection, which Redis skips when loading a file (and refuses in RESTORE).
  tl::expected<std::optional<Value>, Error> value(uint8_t type, std::string_view key);

  // Parts of the format, used by the snapshot loader. They throw the decoder's internal failure,
  // so call them only inside guarded() below.
  uint64_t length();
  std::string string();
  uint64_t u64_le();
  uint32_t u32_le();
  std::optional<Value> load_value(uint8_t type, std::string_view key);
  [[noreturn]] void fail(std::string message);

  // Runs `fn` and turns a failure raised by the parts above into an Error.
  template <typename F>
  auto guarded(F&& fn) -> tl::expected<decltype(fn()), Error>;

  Reader& reader() { return in_; }

 private:
  // A length, or a special string encoding when *encoded is set.
  uint64_t length(bool* encoded);
  double text_double();
  double binary_double();
  std::optional<Value> load_list_quicklist(uint8_t type, std::string_view key);
  std::optional<Value> load_listpack_zset(std::string blob, std::string_view key);
  std::optional<Value> load_listpack_hash(std::string blob, std::string_view key);
  Value finish_hash(std::vector<std::pair<std::string, std::string>> pairs,
                    const Hash::Limits& limits);

  Reader& in_;
  const LoadOptions& options_;
};

template <typename F>
auto Decoder::guarded(F&& fn) -> tl::expected<decltype(fn()), Error> {
  try {
    if constexpr (std::is_void_v<decltype(fn())>) {
      fn();
      return {};
    } else {
      return fn();
    }
  } catch (DecodeFailure& failure) {
    return tl::unexpected(std::move(failure.error));
  }
}

}  // namespace tandem::rdb
