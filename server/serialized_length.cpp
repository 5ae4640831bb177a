#include "server/serialized_length.h"

#include <string>

#include "storage/hash.h"
#include "storage/list.h"
#include "storage/set.h"
#include "storage/sorted_set.h"

namespace tandem {
namespace {

// rdbEncodeInteger: 2, 3 or 5 bytes for integers that fit 8, 16 or 32 bits, else 0.
size_t rdb_int_size(int64_t v) {
  if (v >= INT8_MIN && v <= INT8_MAX) return 2;
  if (v >= INT16_MIN && v <= INT16_MAX) return 3;
  if (v >= INT32_MIN && v <= INT32_MAX) return 5;
  return 0;
}

// rdbSaveLongLongAsStringObject: an int-encoded string.
size_t rdb_integer_size(int64_t v) {
  if (size_t n = rdb_int_size(v)) return n;
  size_t digits = std::to_string(v).size();
  return rdb_length_size(digits) + digits;
}

constexpr size_t kBinaryDoubleSize = 8;  // rdbSaveBinaryDoubleValue

size_t list_length(const List& list) {
  // RDB_TYPE_LIST_QUICKLIST_2: the node count, then per node its container byte and its
  // listpack as one string.
  size_t total = rdb_length_size(list.node_count());
  for (size_t i = 0; i < list.node_count(); ++i) {
    total += rdb_length_size(2) + rdb_string_size(list.node(i).bytes());
  }
  return total;
}

size_t set_length(const Set& set) {
  if (set.encoding() == Set::Encoding::kIntset) return rdb_string_size(set.intset().bytes());
  size_t total = rdb_length_size(set.size());
  set.for_each([&](std::string_view member) { total += rdb_string_size(member); });
  return total;
}

size_t hash_length(const Hash& hash) {
  if (const Listpack* lp = hash.listpack()) return rdb_string_size(lp->bytes());
  size_t total = rdb_length_size(hash.size());
  hash.for_each([&](std::string_view field, std::string_view value) {
    total += rdb_string_size(field) + rdb_string_size(value);
  });
  return total;
}

size_t sorted_set_length(const SortedSet& zset) {
  if (const Listpack* lp = zset.listpack()) return rdb_string_size(lp->bytes());
  size_t total = rdb_length_size(zset.size());
  zset.for_each([&](std::string_view member, double) {
    total += rdb_string_size(member) + kBinaryDoubleSize;
  });
  return total;
}

}  // namespace

size_t rdb_length_size(uint64_t length) {
  if (length < (1 << 6)) return 1;
  if (length < (1 << 14)) return 2;
  if (length <= UINT32_MAX) return 5;
  return 9;
}

size_t rdb_string_size(std::string_view s) {
  int64_t v;
  if (s.size() <= 11 && parse_int64(s, v)) {
    if (size_t n = rdb_int_size(v)) return n;
  }
  return rdb_length_size(s.size()) + s.size();
}

size_t serialized_length(const Value& value) {
  switch (value.type()) {
    case ValueType::kString: {
      if (value.is_int()) return rdb_integer_size(value.int_value());
      std::string scratch;
      return rdb_string_size(value.string_view(scratch));
    }
    case ValueType::kList:
      return list_length(*value.as<List>());
    case ValueType::kSet:
      return set_length(*value.as<Set>());
    case ValueType::kZSet:
      return sorted_set_length(*value.as<SortedSet>());
    case ValueType::kHash:
      return hash_length(*value.as<Hash>());
  }
  return 0;
}

}  // namespace tandem
