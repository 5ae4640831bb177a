// The common face of every non-string value (lists, sets, sorted sets, hashes): what the
// keyspace, OBJECT, MEMORY USAGE, COPY and snapshots need without knowing the type.
//
// Copy-on-write contract: a Value shares its Collection through a shared_ptr. Whoever holds a
// second reference (COPY's destination, a snapshot) may read it at any time, so a writer goes
// through Value::mutable_as<T>(), which clones the collection first when it is shared. clone()
// must therefore return a fully independent copy as far as later writes are concerned; a
// chunked type (quicklist) may share its immutable chunks between the copies and copy a chunk
// only when it writes to it, so that one write to a huge collection does not copy all of it.
// Hashtable sets and hashes do the same with Dict::shared_copy (storage/dict.h), and skiplist
// sorted sets with it plus a copy-on-write B+ tree (storage/zset_tree.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

namespace tandem {

// Numbered as Redis's OBJ_* constants, which RDB and DEBUG DIGEST depend on.
enum class ValueType : uint8_t { kString = 0, kList = 1, kSet = 2, kZSet = 3, kHash = 4 };

class Collection {
 public:
  virtual ~Collection() = default;
  virtual ValueType type() const = 0;
  // OBJECT ENCODING's name: "listpack", "quicklist", "intset", "hashtable", "skiplist".
  virtual const char* encoding_name() const = 0;
  // Number of elements (LLEN, SCARD, ZCARD, HLEN).
  virtual size_t size() const = 0;
  // Approximate heap bytes owned (MEMORY USAGE, memory accounting).
  virtual size_t memory_usage() const = 0;
  // An independent copy (see the copy-on-write contract above).
  virtual std::shared_ptr<Collection> clone() const = 0;
};

}  // namespace tandem
