// DEBUG OBJECT's serializedlength: how many bytes Redis 7.0's rdbSaveObject writes for a value
// (the value alone: no type byte, no key), i.e. Redis's rdbSavedObjectLen.
//
// The value is run through the RDB encoder (rdb/encoder.h) into a sink that only counts, so the
// length is what SAVE and DUMP write: integer-encoded strings, LZF-compressed long strings when
// `rdbcompression` is on, quicklist nodes, intset and listpack blobs, hashtables and skiplists.
#pragma once

#include <cstddef>

#include "storage/value.h"

namespace tandem {

size_t serialized_length(const Value& value, bool compression);

}  // namespace tandem
