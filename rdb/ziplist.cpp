// Ziplist: <zlbytes u32><zltail u32><zllen u16> entries... <0xFF>, little-endian. An entry is
// <prevlen: 1 byte, or 0xFE + u32> <encoding> <data>; encodings: 00pppppp (6-bit string length),
// 01pppppp qqqqqqqq (14-bit, big-endian), 10000000 + u32 big-endian, and the integers 0xC0 int16,
// 0xD0 int32, 0xE0 int64, 0xF0 int24, 0xFE int8, 0xF1..0xFD the immediates 0..12.
//
// Zipmap: <zmlen u8> (<len> key <len> <free u8> value <free bytes>)... <0xFF>, where <len> is one
// byte below 254 or 0xFE + u32 little-endian.
#include "rdb/ziplist.h"

#include <cstdint>
#include <cstring>

namespace tandem::rdb {
namespace {

uint64_t le(std::string_view s, size_t at, int bytes) {
  uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>(s[at + i]);
  return v;
}

int64_t sign_extend(uint64_t v, int bits) {
  uint64_t sign = uint64_t{1} << (bits - 1);
  return static_cast<int64_t>((v ^ sign) - sign);
}

}  // namespace

std::optional<std::vector<std::string>> ziplist_elements(std::string_view zl) {
  constexpr size_t kHeader = 10;
  if (zl.size() < kHeader + 1) return std::nullopt;
  if (le(zl, 0, 4) != zl.size() || static_cast<uint8_t>(zl.back()) != 0xFF) return std::nullopt;
  const size_t tail = le(zl, 4, 4);
  const size_t count = le(zl, 8, 2);
  const size_t end = zl.size() - 1;
  std::vector<std::string> out;
  size_t p = kHeader, prev_size = 0, last = kHeader;
  while (p < end) {
    size_t start = p;
    size_t prevlen;
    uint8_t first = static_cast<uint8_t>(zl[p]);
    if (first < 254) {
      prevlen = first;
      p += 1;
    } else if (first == 254) {
      if (p + 5 > end) return std::nullopt;
      prevlen = le(zl, p + 1, 4);
      p += 5;
    } else {
      return std::nullopt;
    }
    if (prevlen != prev_size || p >= end) return std::nullopt;
    uint8_t enc = static_cast<uint8_t>(zl[p]);
    size_t header = 1, data = 0;
    bool is_string = true;
    int64_t integer = 0;
    switch (enc >> 6) {
      case 0:
        data = enc & 0x3f;
        break;
      case 1:
        header = 2;
        if (p + 2 > end) return std::nullopt;
        data = ((enc & 0x3f) << 8) | static_cast<uint8_t>(zl[p + 1]);
        break;
      case 2:
        if (enc != 0x80 || p + 5 > end) return std::nullopt;
        header = 5;
        data = (size_t{static_cast<uint8_t>(zl[p + 1])} << 24) |
               (size_t{static_cast<uint8_t>(zl[p + 2])} << 16) |
               (size_t{static_cast<uint8_t>(zl[p + 3])} << 8) | static_cast<uint8_t>(zl[p + 4]);
        break;
      default:
        is_string = false;
        if (enc == 0xC0)
          data = 2;
        else if (enc == 0xD0)
          data = 4;
        else if (enc == 0xE0)
          data = 8;
        else if (enc == 0xF0)
          data = 3;
        else if (enc == 0xFE)
          data = 1;
        else if (enc >= 0xF1 && enc <= 0xFD)
          integer = (enc & 0x0f) - 1;
        else
          return std::nullopt;
    }
    if (p + header > end || data > end - p - header) return std::nullopt;
    size_t at = p + header;
    if (is_string) {
      out.emplace_back(zl.substr(at, data));
    } else {
      if (data > 0) integer = sign_extend(le(zl, at, static_cast<int>(data)), 8 * data);
      out.push_back(std::to_string(integer));
    }
    p = at + data;
    prev_size = p - start;
    last = start;
  }
  if (p != end || tail != last) return std::nullopt;
  if (count != UINT16_MAX && count != out.size()) return std::nullopt;
  return out;
}

std::optional<std::vector<std::pair<std::string, std::string>>> zipmap_pairs(std::string_view zm) {
  if (zm.size() < 2 || static_cast<uint8_t>(zm.back()) != 0xFF) return std::nullopt;
  const size_t declared = static_cast<uint8_t>(zm[0]);
  const size_t end = zm.size() - 1;
  size_t p = 1;
  // Reads one <len>; false past the end.
  auto read_len = [&](size_t& len) {
    if (p >= end) return false;
    uint8_t b = static_cast<uint8_t>(zm[p]);
    if (b < 254) {
      len = b;
      p += 1;
      return true;
    }
    if (b != 254 || p + 5 > end) return false;
    len = le(zm, p + 1, 4);
    p += 5;
    return true;
  };
  std::vector<std::pair<std::string, std::string>> out;
  while (p < end) {
    size_t klen, vlen;
    if (!read_len(klen) || klen > end - p) return std::nullopt;
    std::string key(zm.substr(p, klen));
    p += klen;
    if (!read_len(vlen) || p >= end) return std::nullopt;
    size_t free = static_cast<uint8_t>(zm[p++]);
    if (vlen > end - p || free > end - p - vlen) return std::nullopt;
    out.emplace_back(std::move(key), std::string(zm.substr(p, vlen)));
    p += vlen + free;
  }
  if (p != end || out.empty()) return std::nullopt;
  if (declared < 254 && declared != out.size()) return std::nullopt;
  return out;
}

}  // namespace tandem::rdb
