// The RDB encoder: writes Redis 7.0's RDB version 10, byte for byte as Redis writes it, to a
// Sink. The same value encoding serves whole snapshots (SAVE, later full sync) and DUMP.
//
// Values are written in the encodings Redis 7.0 writes for each in-memory encoding:
//   string                     RDB_TYPE_STRING (int-encoded when Redis would, LZF when > 20 bytes
//                              and it saves 4+ bytes and `rdbcompression` is on)
//   list (quicklist)           RDB_TYPE_LIST_QUICKLIST_2, one packed listpack per node
//   set intset / hashtable     RDB_TYPE_SET_INTSET (the intset blob) / RDB_TYPE_SET
//   hash listpack / hashtable  RDB_TYPE_HASH_LISTPACK (the blob) / RDB_TYPE_HASH
//   zset listpack / skiplist   RDB_TYPE_ZSET_LISTPACK (the blob) / RDB_TYPE_ZSET_2 (binary
//                              double scores, highest first as Redis walks its skiplist)
// Our listpack and intset blobs are Redis's byte layout, so they are written unchanged.
//
// Bytes are buffered and checksummed (CRC-64) here; the sink sees large writes. The first sink
// error is kept and every later write is skipped; finish() reports it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "rdb/sink.h"
#include "storage/value.h"
#include "tl/expected.hpp"

namespace tandem::rdb {

struct EncodeOptions {
  bool compression = true;  // rdbcompression
};

class Encoder {
 public:
  Encoder(Sink& sink, EncodeOptions options) : sink_(sink), options_(options) {}

  void header();  // "REDIS0010"
  void aux(std::string_view key, std::string_view value);
  void aux(std::string_view key, int64_t value);
  void select_db(int index);
  void resize_db(uint64_t keys, uint64_t expires);
  void expire_ms(int64_t when_ms);
  // The next key's LRU idle seconds (IDLE) or LFU counter (FREQ), as rdbSaveKeyValuePair
  // writes them under an LRU or LFU maxmemory policy.
  void idle_seconds(uint64_t seconds);
  void lfu_frequency(uint8_t counter);
  // The value type, the key, then the value.
  void key_value(std::string_view key, const Value& value);
  // The value type then the value, without a key (DUMP).
  void typed_value(const Value& value);
  // The EOF opcode and the checksum (zero when `checksum` is false, as `rdbchecksum no`).
  void eof(bool checksum);

  // Flushes the buffer; the first write error of the whole encoding if any.
  tl::expected<void, std::string> finish();
  // CRC-64 of every byte written so far (flushed or not).
  uint64_t crc();
  // Bytes encoded so far, flushed or not: where the next byte goes in the file.
  uint64_t position() const { return flushed_ + buffer_.size(); }

  // Building blocks, public for tests and DUMP.
  void write_byte(uint8_t b);
  void write_raw(std::string_view bytes);
  void write_length(uint64_t length);
  // rdbSaveRawString: integer encoding for short canonical integers, LZF when it pays.
  void write_string(std::string_view s);
  void write_integer_string(int64_t v);
  void write_binary_double(double d);

 private:
  void write_value(const Value& value);
  void flush();

  Sink& sink_;
  EncodeOptions options_;
  std::string buffer_;
  uint64_t flushed_ = 0;  // bytes handed to the sink
  uint64_t crc_ = 0;
  std::string error_;
};

// Redis's rdbEncodeInteger: the 2, 3 or 5 byte integer string encoding of `v`, or empty when
// it does not fit 32 bits.
std::string encode_small_integer(int64_t v);

// The RDB type byte Redis writes for a value in its current encoding.
uint8_t value_type_byte(const Value& value);

}  // namespace tandem::rdb
