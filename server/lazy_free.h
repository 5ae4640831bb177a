// Lazy freeing: values and whole databases handed to a background thread to be destroyed, so
// that UNLINK, FLUSHALL ASYNC / FLUSHDB ASYNC and the lazyfree-lazy-* settings return at once
// however much they drop (Redis's lazyfree.c and its BIO_LAZY_FREE thread).
//
// Thread rule: the main thread moves ownership of an object into the queue (under mutex_) and
// never touches it again; the worker takes it out and destroys it. What such an object may
// still share with the main thread is only reference-counted data (collections shared with a
// snapshot or a COPY), whose counts are atomic, and the allocation counter of
// server/memory_usage.h, which is atomic too. The counters read by INFO are atomics.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>

namespace tandem {

class Value;

// Redis's LAZYFREE_THRESHOLD: values cheaper to free than this are freed on the spot.
inline constexpr size_t kLazyFreeThreshold = 64;
// Redis's lazyfreeGetFreeEffort: roughly how many allocations freeing `value` walks.
size_t free_effort(const Value& value);

class LazyFree {
 public:
  LazyFree() = default;
  ~LazyFree();  // waits until everything queued is freed
  LazyFree(const LazyFree&) = delete;
  LazyFree& operator=(const LazyFree&) = delete;

  // Frees `garbage` on the worker; `objects` is what it counts for in INFO (one value, or the
  // keys of a database).
  template <typename T>
  void dispose(T&& garbage, uint64_t objects) {
    push(std::make_unique<Holder<std::decay_t<T>>>(std::forward<T>(garbage)), objects);
  }

  // INFO memory's lazyfree_pending_objects and lazyfreed_objects.
  uint64_t pending() const { return pending_.load(std::memory_order_relaxed); }
  uint64_t freed() const { return freed_.load(std::memory_order_relaxed); }
  void reset_stats() { freed_.store(0, std::memory_order_relaxed); }  // CONFIG RESETSTAT

  // Blocks until the queue is empty (tests, and shutdown).
  void drain();

 private:
  struct Garbage {
    virtual ~Garbage() = default;
    uint64_t objects = 0;
  };
  template <typename T>
  struct Holder : Garbage {
    explicit Holder(T&& v) : value(std::move(v)) {}
    T value;
  };

  void push(std::unique_ptr<Garbage> garbage, uint64_t objects);
  void run();

  std::mutex mutex_;
  std::condition_variable wake_;     // the worker waits for work or stop_
  std::condition_variable drained_;  // drain() waits for an empty queue and an idle worker
  std::deque<std::unique_ptr<Garbage>> queue_;
  bool busy_ = false;
  bool stop_ = false;
  std::thread worker_;  // started on the first dispose()
  std::atomic<uint64_t> pending_{0};
  std::atomic<uint64_t> freed_{0};
};

}  // namespace tandem
