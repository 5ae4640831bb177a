#include "server/memory_usage.h"

#include <malloc.h>

#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <new>

namespace tandem {
namespace {

// Relaxed is enough: the count is a statistic, and threads other than the main one (snapshots)
// only ever add and subtract.
std::atomic<uint64_t> g_allocated{0};

// glibc keeps an 8-byte size word before every chunk, outside its usable size. Redis counts
// jemalloc's usable sizes, and jemalloc has no per-allocation header, so counting the header
// too is what makes our used_memory comparable with Redis's (memory the heap really spent).
constexpr uint64_t kChunkHeader = sizeof(size_t);

uint64_t footprint(void* p) { return malloc_usable_size(p) + kChunkHeader; }

void* counted(void* p) {
  if (p) g_allocated.fetch_add(footprint(p), std::memory_order_relaxed);
  return p;
}

void uncount(void* p) {
  if (p) g_allocated.fetch_sub(footprint(p), std::memory_order_relaxed);
}

// The standard operator new loop: retry through the new-handler, throw bad_alloc without one.
void* allocate(std::size_t size, std::size_t alignment, bool nothrow) {
  if (size == 0) size = 1;
  for (;;) {
    void* p = nullptr;
    if (alignment <= alignof(std::max_align_t)) {
      p = std::malloc(size);
    } else if (posix_memalign(&p, alignment, size) != 0) {
      p = nullptr;
    }
    if (p) return counted(p);
    std::new_handler handler = std::get_new_handler();
    if (!handler) {
      if (nothrow) return nullptr;
      throw std::bad_alloc();
    }
    handler();
  }
}

void release(void* p) {
  uncount(p);
  std::free(p);
}

}  // namespace

uint64_t heap_used_bytes() { return g_allocated.load(std::memory_order_relaxed); }

}  // namespace tandem

// The replaceable global allocation functions ([new.delete]), all routed through the counter.
using tandem::allocate;
using tandem::release;
constexpr std::size_t kDefaultAlignment = alignof(std::max_align_t);

void* operator new(std::size_t size) { return allocate(size, kDefaultAlignment, false); }
void* operator new[](std::size_t size) { return allocate(size, kDefaultAlignment, false); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  return allocate(size, kDefaultAlignment, true);
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
  return allocate(size, kDefaultAlignment, true);
}
void* operator new(std::size_t size, std::align_val_t align) {
  return allocate(size, static_cast<std::size_t>(align), false);
}
void* operator new[](std::size_t size, std::align_val_t align) {
  return allocate(size, static_cast<std::size_t>(align), false);
}
void* operator new(std::size_t size, std::align_val_t align, const std::nothrow_t&) noexcept {
  return allocate(size, static_cast<std::size_t>(align), true);
}
void* operator new[](std::size_t size, std::align_val_t align, const std::nothrow_t&) noexcept {
  return allocate(size, static_cast<std::size_t>(align), true);
}

void operator delete(void* p) noexcept { release(p); }
void operator delete[](void* p) noexcept { release(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { release(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { release(p); }
void operator delete(void* p, std::size_t) noexcept { release(p); }
void operator delete[](void* p, std::size_t) noexcept { release(p); }
void operator delete(void* p, std::align_val_t) noexcept { release(p); }
void operator delete[](void* p, std::align_val_t) noexcept { release(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { release(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { release(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { release(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { release(p); }
