#include "rdb/encoder.h"

#include <cstring>

#include "fmt/format.h"
#include "rdb/crc64.h"
#include "rdb/format.h"
#include "rdb/lzf.h"
#include "storage/hash.h"
#include "storage/list.h"
#include "storage/set.h"
#include "storage/sorted_set.h"

namespace tandem::rdb {
namespace {

constexpr size_t kFlushThreshold = 64 * 1024;

void put_le(std::string& out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

}  // namespace

std::string encode_small_integer(int64_t v) {
  std::string out;
  if (v >= INT8_MIN && v <= INT8_MAX) {
    out.push_back(static_cast<char>((kEncVal << 6) | kEncInt8));
    put_le(out, static_cast<uint64_t>(v), 1);
  } else if (v >= INT16_MIN && v <= INT16_MAX) {
    out.push_back(static_cast<char>((kEncVal << 6) | kEncInt16));
    put_le(out, static_cast<uint64_t>(v), 2);
  } else if (v >= INT32_MIN && v <= INT32_MAX) {
    out.push_back(static_cast<char>((kEncVal << 6) | kEncInt32));
    put_le(out, static_cast<uint64_t>(v), 4);
  }
  return out;
}

uint8_t value_type_byte(const Value& value) {
  if (value.is_string()) return kTypeString;
  if (value.as<List>()) return kTypeListQuicklist2;
  if (const Set* set = value.as<Set>()) {
    return set->encoding() == Set::Encoding::kIntset ? kTypeSetIntset : kTypeSet;
  }
  if (const Hash* hash = value.as<Hash>()) {
    return hash->is_listpack() ? kTypeHashListpack : kTypeHash;
  }
  const SortedSet* zset = value.as<SortedSet>();
  return zset->listpack() ? kTypeZSetListpack : kTypeZSet2;
}

void Encoder::header() { write_raw(fmt::format("REDIS{:04}", kVersion)); }

void Encoder::aux(std::string_view key, std::string_view value) {
  write_byte(kOpAux);
  write_string(key);
  write_string(value);
}

// rdbSaveAuxFieldStrInt: the number as a string, which write_string then int-encodes.
void Encoder::aux(std::string_view key, int64_t value) { aux(key, fmt::format("{}", value)); }

void Encoder::select_db(int index) {
  write_byte(kOpSelectDb);
  write_length(static_cast<uint64_t>(index));
}

void Encoder::resize_db(uint64_t keys, uint64_t expires) {
  write_byte(kOpResizeDb);
  write_length(keys);
  write_length(expires);
}

void Encoder::expire_ms(int64_t when_ms) {
  write_byte(kOpExpireTimeMs);
  std::string bytes;
  put_le(bytes, static_cast<uint64_t>(when_ms), 8);
  write_raw(bytes);
}

void Encoder::idle_seconds(uint64_t seconds) {
  write_byte(kOpIdle);
  write_length(seconds);
}

void Encoder::lfu_frequency(uint8_t counter) {
  write_byte(kOpFreq);
  write_byte(counter);  // one raw byte: the counter is logarithmic, 0..255
}

void Encoder::key_value(std::string_view key, const Value& value) {
  write_byte(value_type_byte(value));
  write_string(key);
  write_value(value);
}

void Encoder::typed_value(const Value& value) {
  write_byte(value_type_byte(value));
  write_value(value);
}

void Encoder::eof(bool checksum) {
  write_byte(kOpEof);
  std::string bytes;
  put_le(bytes, checksum ? crc() : 0, 8);
  write_raw(bytes);
}

tl::expected<void, std::string> Encoder::finish() {
  flush();
  if (!error_.empty()) return tl::unexpected(error_);
  return {};
}

uint64_t Encoder::crc() {
  flush();
  return crc_;
}

void Encoder::flush() {
  crc_ = crc64(crc_, buffer_);
  flushed_ += buffer_.size();
  if (error_.empty() && !buffer_.empty()) {
    if (auto written = sink_.write(buffer_); !written) error_ = written.error();
  }
  buffer_.clear();
}

void Encoder::write_byte(uint8_t b) { buffer_.push_back(static_cast<char>(b)); }

void Encoder::write_raw(std::string_view bytes) {
  buffer_.append(bytes);
  if (buffer_.size() >= kFlushThreshold) flush();
}

// rdbSaveLen: 6 bits in one byte, 14 bits in two (big-endian), then 32 or 64 bits big-endian
// behind a marker byte.
void Encoder::write_length(uint64_t length) {
  if (length < (1 << 6)) {
    write_byte(static_cast<uint8_t>((kLen6Bit << 6) | length));
  } else if (length < (1 << 14)) {
    write_byte(static_cast<uint8_t>((kLen14Bit << 6) | (length >> 8)));
    write_byte(static_cast<uint8_t>(length & 0xff));
  } else if (length <= UINT32_MAX) {
    write_byte(kLen32Bit);
    for (int shift = 24; shift >= 0; shift -= 8) write_byte(static_cast<uint8_t>(length >> shift));
  } else {
    write_byte(kLen64Bit);
    for (int shift = 56; shift >= 0; shift -= 8) write_byte(static_cast<uint8_t>(length >> shift));
  }
}

void Encoder::write_string(std::string_view s) {
  int64_t v;
  if (s.size() <= 11 && parse_int64(s, v)) {
    if (std::string enc = encode_small_integer(v); !enc.empty()) return write_raw(enc);
  }
  if (options_.compression && s.size() > 20) {
    if (auto compressed = lzf_compress_string(s)) {
      write_byte((kEncVal << 6) | kEncLzf);
      write_length(compressed->size());
      write_length(s.size());
      return write_raw(*compressed);
    }
  }
  write_length(s.size());
  write_raw(s);
}

// rdbSaveLongLongAsStringObject: the integer encodings, else the decimal digits uncompressed.
void Encoder::write_integer_string(int64_t v) {
  if (std::string enc = encode_small_integer(v); !enc.empty()) return write_raw(enc);
  std::string digits = fmt::format("{}", v);
  write_length(digits.size());
  write_raw(digits);
}

void Encoder::write_binary_double(double d) {
  uint64_t bits;
  std::memcpy(&bits, &d, sizeof(bits));
  std::string bytes;
  put_le(bytes, bits, 8);
  write_raw(bytes);
}

void Encoder::write_value(const Value& value) {
  if (value.is_string()) {
    if (value.is_int()) return write_integer_string(value.int_value());
    std::string scratch;
    return write_string(value.string_view(scratch));
  }
  if (const List* list = value.as<List>()) {
    write_length(list->node_count());
    for (size_t i = 0; i < list->node_count(); ++i) {
      write_length(kQuicklistNodePacked);
      write_string(list->node(i).bytes());
    }
    return;
  }
  if (const Set* set = value.as<Set>()) {
    if (set->encoding() == Set::Encoding::kIntset) return write_string(set->intset().bytes());
    write_length(set->size());
    set->for_each([&](std::string_view member) { write_string(member); });
    return;
  }
  if (const Hash* hash = value.as<Hash>()) {
    if (const Listpack* lp = hash->listpack()) return write_string(lp->bytes());
    write_length(hash->size());
    hash->for_each([&](std::string_view field, std::string_view v) {
      write_string(field);
      write_string(v);
    });
    return;
  }
  const SortedSet* zset = value.as<SortedSet>();
  if (const Listpack* lp = zset->listpack()) return write_string(lp->bytes());
  write_length(zset->size());
  if (zset->size() == 0) return;
  zset->range_by_rank(0, zset->size() - 1, true, [&](std::string_view member, double score) {
    write_string(member);
    write_binary_double(score);
  });
}

}  // namespace tandem::rdb
