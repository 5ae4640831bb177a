#include "rdb/decoder.h"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <unordered_set>

#include "fmt/format.h"
#include "rdb/crc64.h"
#include "rdb/format.h"
#include "rdb/lzf.h"
#include "rdb/ziplist.h"
#include "storage/intset.h"
#include "storage/list.h"
#include "storage/listpack.h"
#include "storage/set.h"

namespace tandem::rdb {
namespace {

// Input is consumed in pieces of this size; a string claiming a huge length is read in chunks
// of kMaxChunk, so a lying length costs no more memory than the bytes that really follow.
constexpr size_t kReadSize = 64 * 1024;
constexpr size_t kMaxChunk = 1 << 20;

// strtod over the whole text, as zzlStrtod reads listpack scores; false when nothing parses.
bool parse_double(std::string_view text, double& out) {
  if (text.empty() || text.size() > 128) return false;
  std::string buf(text);
  char* end = nullptr;
  out = std::strtod(buf.c_str(), &end);
  return end != buf.c_str();
}

std::vector<std::string> listpack_strings(const Listpack& lp) {
  std::vector<std::string> out;
  out.reserve(lp.size());
  for (Listpack::Pos p = lp.first(); p != Listpack::kEnd; p = lp.next(p)) {
    out.push_back(lp.get(p).to_string());
  }
  return out;
}

}  // namespace

const char* type_name(uint8_t type) {
  switch (type) {
    case kTypeString:
      return "string";
    case kTypeList:
    case kTypeListZiplist:
    case kTypeListQuicklist:
    case kTypeListQuicklist2:
      return "list";
    case kTypeSet:
    case kTypeSetIntset:
      return "set";
    case kTypeZSet:
    case kTypeZSet2:
    case kTypeZSetZiplist:
    case kTypeZSetListpack:
      return "zset";
    case kTypeHash:
    case kTypeHashZipmap:
    case kTypeHashZiplist:
    case kTypeHashListpack:
      return "hash";
    case kTypeStreamListpacks:
    case kTypeStreamListpacks2:
      return "stream";
    case kTypeModulePreGA:
    case kTypeModule2:
      return "module";
    default:
      return "unknown";
  }
}

std::string Error::to_string() const {
  return fmt::format("{} (at byte offset {})", message, offset);
}

// ---------------------------------------------------------------------------------------------
// Reader

bool Reader::fill() {
  crc();  // the buffer is about to be replaced
  buffer_.resize(kReadSize);
  auto n = source_.read(buffer_.data(), buffer_.size());
  if (!n) throw DecodeFailure{{"Read error: " + n.error(), offset_}};
  buffer_.resize(*n);
  pos_ = crc_pos_ = 0;
  return *n > 0;
}

void Reader::read(std::string& out, size_t n) {
  while (n > 0) {
    if (pos_ == buffer_.size() && !fill()) {
      throw DecodeFailure{{"Unexpected EOF reading RDB file", offset_}};
    }
    size_t take = std::min(n, buffer_.size() - pos_);
    out.append(buffer_, pos_, take);
    pos_ += take;
    offset_ += take;
    n -= take;
  }
}

uint8_t Reader::byte() {
  if (pos_ == buffer_.size() && !fill()) {
    throw DecodeFailure{{"Unexpected EOF reading RDB file", offset_}};
  }
  ++offset_;
  return static_cast<uint8_t>(buffer_[pos_++]);
}

uint64_t Reader::crc() {
  crc_ = crc64(crc_, std::string_view(buffer_).substr(crc_pos_, pos_ - crc_pos_));
  crc_pos_ = pos_;
  return crc_;
}

bool Reader::at_end() { return pos_ == buffer_.size() && !fill(); }

// ---------------------------------------------------------------------------------------------
// Format parts

void Decoder::fail(std::string message) { throw DecodeFailure{{std::move(message), in_.offset()}}; }

uint64_t Decoder::length(bool* encoded) {
  *encoded = false;
  uint8_t b = in_.byte();
  switch (b >> 6) {
    case kEncVal:
      *encoded = true;
      return b & 0x3f;
    case kLen6Bit:
      return b & 0x3f;
    case kLen14Bit:
      return (uint64_t{b & 0x3fu} << 8) | in_.byte();
  }
  int bytes = b == kLen32Bit ? 4 : b == kLen64Bit ? 8 : 0;
  if (bytes == 0) fail(fmt::format("Unknown length encoding {} in rdbLoadLen()", b));
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v = (v << 8) | in_.byte();
  return v;
}

uint64_t Decoder::length() {
  bool encoded;
  uint64_t len = length(&encoded);
  if (encoded) fail("Unexpected string encoding where a length was expected");
  return len;
}

uint64_t Decoder::u64_le() {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= uint64_t{in_.byte()} << (8 * i);
  return v;
}

uint32_t Decoder::u32_le() {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= uint32_t{in_.byte()} << (8 * i);
  return v;
}

std::string Decoder::string() {
  bool encoded;
  uint64_t len = length(&encoded);
  std::string out;
  if (!encoded) {
    while (len > 0) {
      size_t chunk = static_cast<size_t>(std::min<uint64_t>(len, kMaxChunk));
      in_.read(out, chunk);
      len -= chunk;
    }
    return out;
  }
  int bytes = 0;
  switch (len) {
    case kEncInt8:
      bytes = 1;
      break;
    case kEncInt16:
      bytes = 2;
      break;
    case kEncInt32:
      bytes = 4;
      break;
    case kEncLzf: {
      uint64_t compressed_len = length();
      uint64_t original_len = length();
      if (compressed_len > UINT32_MAX || original_len > UINT32_MAX) fail("Invalid LZF lengths");
      std::string compressed;
      in_.read(compressed, static_cast<size_t>(compressed_len));
      // One 3-byte LZF back-reference expands to at most 264 bytes: refuse lengths no data
      // could produce before allocating them.
      if (original_len > compressed_len * 88 + 64) fail("Invalid LZF compressed string");
      auto plain = lzf_decompress_string(compressed, static_cast<size_t>(original_len));
      if (!plain) fail("Invalid LZF compressed string");
      return std::move(*plain);
    }
    default:
      fail(fmt::format("Unknown RDB string encoding type {}", len));
  }
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v |= uint64_t{in_.byte()} << (8 * i);
  uint64_t sign = uint64_t{1} << (8 * bytes - 1);
  return fmt::format("{}", static_cast<int64_t>((v ^ sign) - sign));
}

// rdbLoadDoubleValue: the old text form, a length byte (253 NaN, 254 +inf, 255 -inf) + digits.
double Decoder::text_double() {
  uint8_t len = in_.byte();
  if (len == 255) return -INFINITY;
  if (len == 254) return INFINITY;
  if (len == 253) return NAN;
  std::string text;
  in_.read(text, len);
  double v;
  if (!parse_double(text, v)) fail("Invalid double value");
  return v;
}

double Decoder::binary_double() {
  uint64_t bits = u64_le();
  double d;
  std::memcpy(&d, &bits, sizeof(d));
  return d;
}

// ---------------------------------------------------------------------------------------------
// Values

tl::expected<std::optional<Value>, Error> Decoder::value(uint8_t type, std::string_view key) {
  return guarded([&] { return load_value(type, key); });
}

std::optional<Value> Decoder::load_value(uint8_t type, std::string_view key) {
  switch (type) {
    case kTypeString:
      return Value::from_string(string());

    case kTypeList: {
      uint64_t len = length();
      if (len == 0) return std::nullopt;
      auto list = std::make_shared<List>(options_.list_fill);
      for (uint64_t i = 0; i < len; ++i) list->push_back(string());
      return Value::of(std::move(list));
    }

    case kTypeSet: {
      uint64_t len = length();
      if (len == 0) return std::nullopt;
      auto set =
          std::make_shared<Set>(len > options_.set_max_intset_entries ? Set::Encoding::kHashtable
                                                                      : Set::Encoding::kIntset);
      for (uint64_t i = 0; i < len; ++i) {
        if (!set->add(string(), options_.set_max_intset_entries)) {
          fail("Duplicate set members detected");
        }
      }
      return Value::of(std::move(set));
    }

    case kTypeZSet:
    case kTypeZSet2: {
      uint64_t len = length();
      if (len == 0) return std::nullopt;
      auto zset = std::make_shared<SortedSet>(len > options_.zset.max_listpack_entries
                                                  ? SortedSet::Encoding::kSkiplist
                                                  : SortedSet::Encoding::kListpack);
      for (uint64_t i = 0; i < len; ++i) {
        std::string member = string();
        double score = type == kTypeZSet2 ? binary_double() : text_double();
        if (std::isnan(score)) fail("Zset with NAN score detected");
        if (zset->add(member, score, 0, options_.zset) != SortedSet::AddResult::kAdded) {
          fail("Duplicate zset fields detected");
        }
      }
      return Value::of(std::move(zset));
    }

    case kTypeHash: {
      uint64_t len = length();
      if (len == 0) return std::nullopt;
      auto hash = std::make_shared<Hash>();
      if (len > options_.hash.max_listpack_entries) hash->convert_to_hashtable();
      for (uint64_t i = 0; i < len; ++i) {
        std::string field = string();
        std::string value = string();
        if (!hash->set(field, value, options_.hash)) fail("Duplicate hash fields detected");
      }
      return Value::of(std::move(hash));
    }

    case kTypeListQuicklist:
    case kTypeListQuicklist2:
      return load_list_quicklist(type, key);

    case kTypeSetIntset: {
      auto intset = IntSet::from_bytes(string());
      if (!intset) fail("Intset integrity check failed.");
      auto set = Set::from_intset(std::move(*intset));
      if (set->size() > options_.set_max_intset_entries) set->convert_to_hashtable();
      return Value::of(std::move(set));
    }

    case kTypeListZiplist: {
      auto elements = ziplist_elements(string());
      if (!elements) fail("Ziplist integrity check failed.");
      if (elements->empty()) return std::nullopt;
      auto list = std::make_shared<List>(options_.list_fill);
      for (const std::string& e : *elements) list->push_back(e);
      return Value::of(std::move(list));
    }

    case kTypeZSetZiplist: {
      auto elements = ziplist_elements(string());
      if (!elements || elements->size() % 2 != 0) fail("Zset ziplist integrity check failed.");
      if (elements->empty()) return std::nullopt;
      Listpack lp;
      for (const std::string& e : *elements) lp.push_back(e);
      return load_listpack_zset(std::string(lp.bytes()), key);
    }

    case kTypeHashZiplist:
    case kTypeHashZipmap: {
      std::string blob = string();
      std::vector<std::pair<std::string, std::string>> pairs;
      if (type == kTypeHashZipmap) {
        auto got = zipmap_pairs(blob);
        if (!got) fail("Zipmap integrity check failed.");
        pairs = std::move(*got);
      } else {
        auto elements = ziplist_elements(blob);
        if (!elements || elements->size() % 2 != 0) fail("Hash ziplist integrity check failed.");
        for (size_t i = 0; i < elements->size(); i += 2) {
          pairs.emplace_back(std::move((*elements)[i]), std::move((*elements)[i + 1]));
        }
      }
      if (pairs.empty()) return std::nullopt;
      return finish_hash(std::move(pairs), key);
    }

    case kTypeHashListpack:
      return load_listpack_hash(string(), key);
    case kTypeZSetListpack:
      return load_listpack_zset(string(), key);

    case kTypeStreamListpacks:
    case kTypeStreamListpacks2:
    case kTypeModulePreGA:
    case kTypeModule2:
      fail(fmt::format("Can't load key '{}': values of type {} (RDB type {}) are not supported",
                       key, type_name(type), type));
    default:
      fail(fmt::format("Unknown RDB encoding type {} for key '{}'", type, key));
  }
}

std::optional<Value> Decoder::load_list_quicklist(uint8_t type, std::string_view key) {
  uint64_t nodes = length();
  auto list = std::make_shared<List>(options_.list_fill);
  for (uint64_t i = 0; i < nodes; ++i) {
    uint64_t container = kQuicklistNodePacked;
    if (type == kTypeListQuicklist2) {
      container = length();
      if (container != kQuicklistNodePacked && container != kQuicklistNodePlain) {
        fail("Quicklist integrity check failed.");
      }
    }
    std::string blob = string();
    if (container == kQuicklistNodePlain) {
      list->push_back(blob);
      continue;
    }
    if (type == kTypeListQuicklist) {
      auto elements = ziplist_elements(blob);
      if (!elements) fail("Ziplist integrity check failed.");
      for (const std::string& e : *elements) list->push_back(e);
      continue;
    }
    Listpack lp;
    if (!lp.assign_validated(blob, true)) fail("Listpack integrity check failed.");
    for (Listpack::Pos p = lp.first(); p != Listpack::kEnd; p = lp.next(p)) {
      list->push_back(lp.get(p).to_string());
    }
  }
  if (list->size() == 0) return std::nullopt;
  return Value::of(std::move(list));
}

// A zset listpack: member/score pairs, each score a number that is not NaN, no member twice.
std::optional<Value> Decoder::load_listpack_zset(std::string blob, std::string_view key) {
  Listpack lp;
  if (!lp.assign_validated(blob, true) || lp.size() % 2 != 0) {
    fail("Zset listpack integrity check failed.");
  }
  if (lp.empty()) return std::nullopt;
  std::vector<std::string> elements = listpack_strings(lp);
  auto zset = std::make_shared<SortedSet>(elements.size() / 2 > options_.zset.max_listpack_entries
                                              ? SortedSet::Encoding::kSkiplist
                                              : SortedSet::Encoding::kListpack);
  for (size_t i = 0; i < elements.size(); i += 2) {
    double score;
    if (!parse_double(elements[i + 1], score) || std::isnan(score)) {
      fail("Zset listpack integrity check failed.");
    }
    if (zset->add(elements[i], score, 0, options_.zset) != SortedSet::AddResult::kAdded) {
      fail("Duplicate zset fields detected");
    }
  }
  return Value::of(std::move(zset));
}

std::optional<Value> Decoder::load_listpack_hash(std::string blob, std::string_view key) {
  Listpack lp;
  if (!lp.assign_validated(blob, true) || lp.size() % 2 != 0) {
    fail("Hash listpack integrity check failed.");
  }
  if (lp.empty()) return std::nullopt;
  std::unordered_set<std::string> fields;
  bool field = true;
  for (Listpack::Pos p = lp.first(); p != Listpack::kEnd; p = lp.next(p), field = !field) {
    if (field && !fields.insert(lp.get(p).to_string()).second) {
      fail("Duplicate hash fields detected");
    }
  }
  auto hash = std::make_shared<Hash>(std::move(lp));
  if (hash->size() > options_.hash.max_listpack_entries) hash->convert_to_hashtable();
  return Value::of(std::move(hash));
}

Value Decoder::finish_hash(std::vector<std::pair<std::string, std::string>> pairs,
                           std::string_view key) {
  auto hash = std::make_shared<Hash>();
  for (auto& [field, value] : pairs) {
    if (!hash->set(field, value, options_.hash)) fail("Duplicate hash fields detected");
  }
  return Value::of(std::move(hash));
}

}  // namespace tandem::rdb
