// How much memory tandem has allocated: INFO's used_memory, the counterpart of Redis's zmalloc
// counter.
//
// memory_usage.cpp replaces the global operator new/delete so every C++ allocation adds its
// footprint (malloc_usable_size plus glibc's 8-byte chunk header: what the heap really spent, as
// jemalloc's usable size is for Redis) to one counter and every deallocation subtracts it. Reading
// the counter is O(1), so the cron can track the peak every 100 ms as Redis does. (glibc's
// mallinfo2 would need no replacement, but it walks every free chunk: 30 ms on a heap with half a
// million free chunks, too slow for a cron or for INFO.) Memory that C libraries get from malloc
// directly (liburing, OpenSSL) is not counted, as Redis does not count what its libraries allocate.
#pragma once

#include <cstdint>

namespace tandem {

// Bytes currently allocated through operator new (usable sizes plus chunk headers).
uint64_t heap_used_bytes();

}  // namespace tandem
