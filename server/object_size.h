// MEMORY USAGE: the bytes a key and its value take in tandem's memory, estimated as Redis's
// objectComputeSize estimates them: the fixed parts of a value exactly, and for a hashtable,
// skiplist or quicklist the average of its first `samples` elements (or nodes) multiplied by
// their count, so a huge collection costs O(samples), not O(n).
//
// Sizes are tandem's own structures (storage/*.h) with each allocation rounded up to what glibc
// malloc really reserves for it (malloc_usable_size, what INFO's used_memory counts), so the
// numbers add up to used_memory over a whole dataset. They are close to, not equal to, Redis's
// for the same data: the compact encodings (listpack, intset) are Redis's byte layouts and cost
// the same; hashtable entries and skiplist nodes are laid out differently.
#pragma once

#include <cstddef>
#include <string_view>

#include "storage/database.h"

namespace tandem {

// Redis's OBJ_COMPUTE_SIZE_DEF_SAMPLES.
inline constexpr size_t kDefaultMemorySamples = 5;

// What a request of `bytes` costs in used_memory: glibc's whole chunk, its 8-byte header
// included, as server/memory_usage.cpp counts it.
size_t allocation_size(size_t bytes);

// The value's bytes, sampling up to `samples` elements of a large collection.
size_t value_memory_usage(const Value& value, size_t samples);

// MEMORY USAGE's answer: the keyspace entry (key, value header, hash, chain link), the key's
// own buffer when it is not stored inline, and the value.
size_t key_memory_usage(const Database::Entry& entry, size_t samples);

}  // namespace tandem
