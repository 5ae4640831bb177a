// Redis 7.0's listpack (src/listpack.c), byte for byte; see storage/listpack.h for the layout.
//
// Invariants kept by every write: blob_ holds a valid listpack (header total == blob_.size(),
// header count == min(count_, 65535), last byte 0xFF, every entry's backlen equal to the size of
// its encoding+data). Entries are always written in the smallest encoding, as lpInsert does, so
// a listpack built by the same sequence of operations is identical to Redis's. Readers never
// trust bytes that assign_validated() did not check deeply except the header and the end byte:
// an adopted blob without deep validation is the caller's risk, as with Redis's
// sanitize-dump-payload=no.
#include "storage/listpack.h"

#include <fmt/format.h>

#include <cstring>

#include "storage/little_endian.h"
#include "storage/value.h"

namespace tandem {

namespace {

constexpr size_t kHeaderSize = 6;
constexpr uint8_t kEof = 0xFF;
constexpr uint32_t kCountUnknown = 65535;

constexpr uint8_t kEncStr32 = 0xF0;
constexpr uint8_t kEncInt16 = 0xF1;
constexpr uint8_t kEncInt24 = 0xF2;
constexpr uint8_t kEncInt32 = 0xF3;
constexpr uint8_t kEncInt64 = 0xF4;

// Bytes lpEncodeBacklen writes for an entry of `len` bytes (note Redis's `< 16383`: an entry of
// exactly 16383 bytes takes a 3-byte backlen).
size_t backlen_size(uint64_t len) {
  if (len <= 127) return 1;
  if (len < 16383) return 2;
  if (len < 2097151) return 3;
  if (len < 268435455) return 4;
  return 5;
}

void append_backlen(std::string& out, uint64_t len) {
  const size_t n = backlen_size(len);
  // The first byte holds the highest 7 bits without the continuation flag; each following byte
  // holds the next lower 7 bits with 0x80, so reading right to left finds the low bits first.
  for (size_t i = 0; i < n; ++i) {
    const unsigned shift = 7 * (n - 1 - i);
    uint8_t b = (len >> shift) & 127;
    if (i > 0) b |= 128;
    out.push_back(static_cast<char>(b));
  }
}

// Decodes the backlen whose last byte is at `p`, reading leftwards but never before `lo`.
// Returns UINT64_MAX when it runs past `lo` or over 5 bytes.
uint64_t decode_backlen(const uint8_t* p, const uint8_t* lo) {
  uint64_t val = 0;
  unsigned shift = 0;
  while (true) {
    if (p < lo) return UINT64_MAX;
    val |= uint64_t{static_cast<uint8_t>(p[0] & 127)} << shift;
    if (!(p[0] & 128)) break;
    shift += 7;
    --p;
    if (shift > 28) return UINT64_MAX;
  }
  return val;
}

void append_int(std::string& out, int64_t v) {
  const size_t start = out.size();
  auto put_le = [&](uint8_t tag, unsigned bytes) {
    out.push_back(static_cast<char>(tag));
    const uint64_t u = static_cast<uint64_t>(v);
    for (unsigned i = 0; i < bytes; ++i) out.push_back(static_cast<char>((u >> (8 * i)) & 0xFF));
  };
  if (v >= 0 && v <= 127) {
    out.push_back(static_cast<char>(v));
  } else if (v >= -4096 && v <= 4095) {
    const uint64_t u = v < 0 ? (uint64_t{1} << 13) + v : static_cast<uint64_t>(v);
    out.push_back(static_cast<char>((u >> 8) | 0xC0));
    out.push_back(static_cast<char>(u & 0xFF));
  } else if (v >= -32768 && v <= 32767) {
    put_le(kEncInt16, 2);
  } else if (v >= -8388608 && v <= 8388607) {
    put_le(kEncInt24, 3);
  } else if (v >= INT32_MIN && v <= INT32_MAX) {
    put_le(kEncInt32, 4);
  } else {
    put_le(kEncInt64, 8);
  }
  append_backlen(out, out.size() - start);
}

void append_str(std::string& out, std::string_view s) {
  const size_t start = out.size();
  const size_t len = s.size();
  if (len < 64) {
    out.push_back(static_cast<char>(0x80 | len));
  } else if (len < 4096) {
    out.push_back(static_cast<char>(0xE0 | (len >> 8)));
    out.push_back(static_cast<char>(len & 0xFF));
  } else {
    out.push_back(static_cast<char>(kEncStr32));
    char b[4];
    store_le32(b, static_cast<uint32_t>(len));
    out.append(b, 4);
  }
  out.append(s);
  append_backlen(out, out.size() - start);
}

// An element as lpInsert encodes it: an integer if it is the canonical form of an int64.
std::string encode_element(std::string_view s) {
  std::string out;
  int64_t v;
  if (parse_int64(s, v)) {
    append_int(out, v);
  } else {
    out.reserve(s.size() + 10);
    append_str(out, s);
  }
  return out;
}

std::string encode_int(int64_t v) {
  std::string out;
  append_int(out, v);
  return out;
}

// Size of the encoding+data of the entry at p (without backlen), 0 for an invalid encoding.
// `avail` is the number of bytes readable from p; returns 0 if the size cannot be read from
// them. Mirrors lpCurrentEncodedSizeUnsafe/lpCurrentEncodedSizeBytes.
uint64_t encoded_entry_size(const uint8_t* p, size_t avail) {
  if (avail < 1) return 0;
  const uint8_t b = p[0];
  if ((b & 0x80) == 0) return 1;
  if ((b & 0xC0) == 0x80) return 1 + uint64_t{b & 0x3Fu};
  if ((b & 0xE0) == 0xC0) return 2;
  if ((b & 0xF0) == 0xE0) {
    if (avail < 2) return 0;
    return 2 + ((uint64_t{b & 0x0Fu} << 8) | p[1]);
  }
  switch (b) {
    case kEncInt16:
      return 3;
    case kEncInt24:
      return 4;
    case kEncInt32:
      return 5;
    case kEncInt64:
      return 9;
    case kEncStr32:
      if (avail < 5) return 0;
      return 5 + uint64_t{load_le32(reinterpret_cast<const char*>(p + 1))};
    default:
      return 0;  // 0xF5..0xFE are unused; 0xFF is the end, not an entry
  }
}

int64_t sign_extend(uint64_t u, unsigned bits) {
  const uint64_t m = uint64_t{1} << (bits - 1);
  u &= (bits == 64) ? ~uint64_t{0} : ((uint64_t{1} << bits) - 1);
  return static_cast<int64_t>((u ^ m) - m);
}

uint64_t load_le(const uint8_t* p, unsigned bytes) {
  uint64_t u = 0;
  for (unsigned i = 0; i < bytes; ++i) u |= uint64_t{p[i]} << (8 * i);
  return u;
}

}  // namespace

std::string Listpack::Element::to_string() const {
  return is_int ? fmt::format("{}", integer) : std::string(str);
}

bool Listpack::Element::equals(std::string_view s) const {
  if (!is_int) return str == s;
  int64_t v;
  return parse_int64(s, v) && v == integer;
}

Listpack::Listpack() { clear(); }

void Listpack::clear() {
  blob_.resize(kHeaderSize + 1);
  blob_[kHeaderSize] = static_cast<char>(kEof);
  count_ = 0;
  sync_header();
}

void Listpack::sync_header() {
  store_le32(blob_.data(), static_cast<uint32_t>(blob_.size()));
  const uint32_t n = count_ < kCountUnknown ? static_cast<uint32_t>(count_) : kCountUnknown;
  blob_[4] = static_cast<char>(n & 0xFF);
  blob_[5] = static_cast<char>(n >> 8);
}

bool Listpack::assign_validated(std::string_view blob, bool deep) {
  if (blob.size() < kHeaderSize + 1 || blob.size() > UINT32_MAX) return false;
  if (load_le32(blob.data()) != blob.size()) return false;
  if (static_cast<uint8_t>(blob.back()) != kEof) return false;
  const uint32_t header_count =
      static_cast<uint8_t>(blob[4]) | uint32_t{static_cast<uint8_t>(blob[5])} << 8;
  size_t count = header_count;
  // An unknown count must be counted, and counting walks the entries, so check them on the way.
  if (deep || header_count == kCountUnknown) {
    const auto* base = reinterpret_cast<const uint8_t*>(blob.data());
    const size_t end = blob.size() - 1;  // offset of the end byte
    size_t p = kHeaderSize;
    size_t n = 0;
    while (p < end) {
      const uint64_t enc = encoded_entry_size(base + p, end - p);
      if (enc == 0 || enc > end - p) return false;
      const uint64_t bl = backlen_size(enc);
      if (bl > end - p - enc) return false;
      const size_t last = p + enc + bl - 1;
      if (decode_backlen(base + last, base + p + enc) != enc) return false;
      // The backlen must be exactly the canonical width, so walking back lands on this entry.
      p = last + 1;
      ++n;
    }
    if (p != end) return false;
    if (header_count != kCountUnknown && n != header_count) return false;
    count = n;
  }
  blob_.assign(blob);
  count_ = count;
  // Keep the header as the blob had it (a count of 65535 below the limit is legal in Redis).
  return true;
}

Listpack::Pos Listpack::first() const {
  return static_cast<uint8_t>(blob_[kHeaderSize]) == kEof ? kEnd : Pos{kHeaderSize};
}

size_t Listpack::entry_total(Pos p) const {
  const auto* u = reinterpret_cast<const uint8_t*>(blob_.data()) + p;
  const uint64_t enc = encoded_entry_size(u, blob_.size() - p);
  return enc + backlen_size(enc);
}

Listpack::Pos Listpack::next(Pos p) const {
  if (p == kEnd) return kEnd;
  const Pos n = static_cast<Pos>(p + entry_total(p));
  if (n >= blob_.size() || static_cast<uint8_t>(blob_[n]) == kEof) return kEnd;
  return n;
}

// The entry ending just before offset `end` (an entry's start or the end byte).
Listpack::Pos Listpack::entry_before(size_t end) const {
  if (end <= kHeaderSize) return kEnd;
  const auto* base = reinterpret_cast<const uint8_t*>(blob_.data());
  const uint64_t enc = decode_backlen(base + end - 1, base + kHeaderSize);
  if (enc == UINT64_MAX) return kEnd;
  const uint64_t back = enc + backlen_size(enc);
  if (back > end - kHeaderSize) return kEnd;
  return static_cast<Pos>(end - back);
}

Listpack::Pos Listpack::prev(Pos p) const {
  if (p == kEnd) return kEnd;
  return entry_before(p);
}

Listpack::Pos Listpack::last() const { return entry_before(blob_.size() - 1); }

Listpack::Pos Listpack::seek(int64_t index) const {
  const int64_t n = static_cast<int64_t>(count_);
  if (index < 0) index += n;
  if (index < 0 || index >= n) return kEnd;
  // Walk from whichever end is nearer, as lpSeek does.
  if (index <= n / 2) {
    Pos p = first();
    for (int64_t i = 0; i < index && p != kEnd; ++i) p = next(p);
    return p;
  }
  Pos p = last();
  for (int64_t i = n - 1; i > index && p != kEnd; --i) p = prev(p);
  return p;
}

Listpack::Element Listpack::get(Pos p) const {
  Element e;
  const auto* u = reinterpret_cast<const uint8_t*>(blob_.data()) + p;
  const char* c = blob_.data() + p;
  const uint8_t b = u[0];
  if ((b & 0x80) == 0) {
    e.is_int = true;
    e.integer = b;
  } else if ((b & 0xC0) == 0x80) {
    e.str = std::string_view(c + 1, b & 0x3F);
  } else if ((b & 0xE0) == 0xC0) {
    e.is_int = true;
    e.integer = sign_extend((uint64_t{b & 0x1Fu} << 8) | u[1], 13);
  } else if ((b & 0xF0) == 0xE0) {
    e.str = std::string_view(c + 2, (size_t{b & 0x0Fu} << 8) | u[1]);
  } else if (b == kEncInt16) {
    e.is_int = true;
    e.integer = sign_extend(load_le(u + 1, 2), 16);
  } else if (b == kEncInt24) {
    e.is_int = true;
    e.integer = sign_extend(load_le(u + 1, 3), 24);
  } else if (b == kEncInt32) {
    e.is_int = true;
    e.integer = sign_extend(load_le(u + 1, 4), 32);
  } else if (b == kEncInt64) {
    e.is_int = true;
    e.integer = static_cast<int64_t>(load_le(u + 1, 8));
  } else if (b == kEncStr32) {
    e.str = std::string_view(c + 5, load_le32(c + 1));
  }
  return e;
}

Listpack::Pos Listpack::splice(Pos at, size_t remove, const std::string& entry, int delta) {
  blob_.replace(at, remove, entry);
  count_ = static_cast<size_t>(static_cast<int64_t>(count_) + delta);
  sync_header();
  return at;
}

void Listpack::push_back(std::string_view s) {
  splice(static_cast<Pos>(blob_.size() - 1), 0, encode_element(s), 1);
}

void Listpack::push_front(std::string_view s) { splice(kHeaderSize, 0, encode_element(s), 1); }

void Listpack::push_back_int(int64_t v) {
  splice(static_cast<Pos>(blob_.size() - 1), 0, encode_int(v), 1);
}

Listpack::Pos Listpack::insert_before(Pos p, std::string_view s) {
  if (p == kEnd) p = static_cast<Pos>(blob_.size() - 1);
  return splice(p, 0, encode_element(s), 1);
}

Listpack::Pos Listpack::insert_after(Pos p, std::string_view s) {
  const Pos at =
      p == kEnd ? static_cast<Pos>(blob_.size() - 1) : static_cast<Pos>(p + entry_total(p));
  return splice(at, 0, encode_element(s), 1);
}

Listpack::Pos Listpack::replace(Pos p, std::string_view s) {
  return splice(p, entry_total(p), encode_element(s), 0);
}

Listpack::Pos Listpack::replace_int(Pos p, int64_t v) {
  return splice(p, entry_total(p), encode_int(v), 0);
}

Listpack::Pos Listpack::erase(Pos p) {
  splice(p, entry_total(p), std::string(), -1);
  return static_cast<uint8_t>(blob_[p]) == kEof ? kEnd : p;
}

void Listpack::erase_range(int64_t index, size_t count) {
  if (count == 0) return;
  const Pos start = seek(index);
  if (start == kEnd) return;
  if (index < 0) index += static_cast<int64_t>(count_);
  const size_t n = std::min(count, count_ - static_cast<size_t>(index));
  Pos p = start;
  for (size_t i = 0; i < n; ++i) p = static_cast<Pos>(p + entry_total(p));
  blob_.erase(start, p - start);
  count_ -= n;
  sync_header();
}

Listpack::Pos Listpack::find(Pos from, std::string_view s, unsigned skip) const {
  // Decide once whether `s` can equal an integer entry, instead of per entry.
  int64_t sv = 0;
  const bool s_is_int = parse_int64(s, sv);
  for (Pos p = from; p != kEnd;) {
    const Element e = get(p);
    if (e.is_int ? (s_is_int && e.integer == sv) : e.str == s) return p;
    p = next(p);
    for (unsigned i = 0; i < skip && p != kEnd; ++i) p = next(p);
  }
  return kEnd;
}

size_t Listpack::encoded_size(std::string_view s) { return encode_element(s).size(); }

}  // namespace tandem
