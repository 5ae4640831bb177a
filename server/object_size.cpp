#include "server/object_size.h"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <memory>
#include <string>

#include "storage/hash.h"
#include "storage/list.h"
#include "storage/set.h"
#include "storage/sorted_set.h"

namespace tandem {
namespace {

// make_shared puts the control block (two counts and a vtable pointer) beside the object.
constexpr size_t kSharedControlBlock = 16;

// A collection's value: the collection and its shared_ptr control block, in one allocation.
size_t shared_collection(size_t object_size) {
  return allocation_size(object_size + kSharedControlBlock);
}

// A std::string's own heap buffer, if it does not fit the small-string buffer (15 bytes).
size_t string_buffer(size_t length) { return length > 15 ? allocation_size(length + 1) : 0; }

// A Dict entry holding a key of `key_size` bytes: one block, the key inline (storage/dict.h).
template <typename V>
size_t dict_entry(size_t key_size) {
  return allocation_size(Dict<V>::entry_bytes(key_size));
}

// A listpack or intset blob: one block of exactly its size, none when empty (heap_bytes.h).
size_t blob(size_t bytes) { return bytes ? allocation_size(bytes) : 0; }

// A Dict's bucket arrays: a power of two at least as large as its entries (load factor <= 1).
size_t buckets(size_t entries) {
  return entries ? allocation_size(std::bit_ceil(entries) * sizeof(void*)) : 0;
}

// Redis's sampling: `sum` over `sampled` elements, extrapolated to all `count` of them.
size_t extrapolate(double sum, size_t sampled, size_t count) {
  return sampled
             ? static_cast<size_t>(sum / static_cast<double>(sampled) * static_cast<double>(count))
             : 0;
}

size_t list_usage(const List& list, size_t samples) {
  size_t total = shared_collection(sizeof(List)) +
                 allocation_size(list.node_count() * sizeof(std::shared_ptr<Listpack>));
  size_t sampled = std::min(samples, list.node_count());
  double nodes = 0;
  for (size_t i = 0; i < sampled; ++i) {
    nodes +=
        static_cast<double>(shared_collection(sizeof(Listpack)) + blob(list.node(i).bytes_size()));
  }
  return total + extrapolate(nodes, sampled, list.node_count());
}

// Visits the members of a hashtable-encoded set or hash bucket by bucket (SCAN's cursor), until
// at least `samples` were seen or all were; returns how many.
template <typename Collection, typename Visit>
size_t sample_scan(const Collection& c, size_t samples, Visit&& visit) {
  size_t seen = 0;
  uint64_t cursor = 0;
  do {
    cursor = c.scan(cursor, [&](auto&&... args) {
      visit(args...);
      ++seen;
    });
  } while (cursor != 0 && seen < samples);
  return seen;
}

// A Set's Dict<Unit>::Entry (Unit is private to Set) is laid out as a Dict<bool>::Entry: an empty
// value pads like a bool.
size_t set_usage(const Set& set, size_t samples) {
  size_t total = shared_collection(sizeof(Set));
  if (set.encoding() == Set::Encoding::kIntset) {
    return total + blob(set.intset().blob_size());
  }
  double members = 0;
  size_t sampled = sample_scan(set, samples, [&](std::string_view member) {
    members += static_cast<double>(dict_entry<bool>(member.size()));
  });
  return total + buckets(set.size()) + extrapolate(members, sampled, set.size());
}

size_t hash_usage(const Hash& hash, size_t samples) {
  size_t total = shared_collection(sizeof(Hash));
  if (const Listpack* lp = hash.listpack()) return total + blob(lp->bytes_size());
  double pairs = 0;
  size_t sampled = sample_scan(hash, samples, [&](std::string_view field, std::string_view value) {
    pairs +=
        static_cast<double>(dict_entry<std::string>(field.size()) + string_buffer(value.size()));
  });
  return total + allocation_size(sizeof(Dict<std::string>)) + buckets(hash.size()) +
         extrapolate(pairs, sampled, hash.size());
}

size_t sorted_set_usage(const SortedSet& zset, size_t samples) {
  size_t total = shared_collection(sizeof(SortedSet));
  if (const Listpack* lp = zset.listpack()) return total + blob(lp->bytes_size());
  // The member -> score dict and the ordered tree (its leaves hold the members' bytes again).
  total += allocation_size(sizeof(Dict<double>)) + buckets(zset.size());
  size_t sampled = std::min(samples, zset.size());
  double elements = 0;
  if (sampled > 0) {
    zset.range_by_rank(0, sampled - 1, false, [&](std::string_view member, double) {
      elements += static_cast<double>(dict_entry<double>(member.size()) +
                                      ZsetTree::estimated_element_bytes(member.size()));
    });
  }
  return total + extrapolate(elements, sampled, zset.size());
}

}  // namespace

size_t allocation_size(size_t bytes) {
  // glibc: chunks are multiples of 16 bytes holding the request plus an 8-byte header, at
  // least 32.
  return std::max<size_t>(32, (bytes + 8 + 15) & ~size_t{15});
}

size_t value_memory_usage(const Value& value, size_t samples) {
  switch (value.type()) {
    case ValueType::kString: {
      size_t total = 0;
      for (size_t bytes : value.string_allocations()) {
        if (bytes) total += allocation_size(bytes);
      }
      return total;
    }
    case ValueType::kList:
      return list_usage(*value.as<List>(), samples);
    case ValueType::kSet:
      return set_usage(*value.as<Set>(), samples);
    case ValueType::kZSet:
      return sorted_set_usage(*value.as<SortedSet>(), samples);
    case ValueType::kHash:
      return hash_usage(*value.as<Hash>(), samples);
  }
  return 0;
}

size_t key_memory_usage(const Database::Entry& entry, size_t samples) {
  return dict_entry<Value>(entry.key.size()) + value_memory_usage(entry.value, samples);
}

}  // namespace tandem
