// DEBUG OBJECT's serializedlength: how many bytes Redis 7.0's rdbSaveObject writes for a value
// (the value alone: no type byte, no key), i.e. Redis's rdbSavedObjectLen.
//
// This walks the value the way rdb.c encodes each encoding: strings as integers or length +
// bytes, quicklist nodes, intset and listpack blobs as single strings, hashtables and skiplists
// element by element (binary double scores). Our listpack, intset and quicklist node layouts
// are Redis's byte for byte, so the length equals Redis's exactly when `rdbcompression` is off.
// With compression on, Redis LZF-compresses strings longer than 20 bytes when that saves 4
// bytes; that is not modelled here, so the length is then an upper bound. Once the RDB encoder
// (rdb/encoder.h) is in, this can count what it writes into a counting sink instead.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "storage/value.h"

namespace tandem {

// rdbSaveLen: 1, 2, 5 or 9 bytes.
size_t rdb_length_size(uint64_t length);
// rdbSaveRawString without compression: the 2/3/5-byte integer encoding for a canonical integer
// of at most 11 characters that fits 32 bits, else length + bytes.
size_t rdb_string_size(std::string_view s);
// rdbSavedObjectLen.
size_t serialized_length(const Value& value);

}  // namespace tandem
