#include "server/lazy_free.h"

#include "storage/hash.h"
#include "storage/list.h"
#include "storage/value.h"

namespace tandem {

size_t free_effort(const Value& value) {
  const Collection* c = value.collection();
  if (!c) return 1;  // a string is one block at most
  if (const auto* list = value.as<List>()) return list->node_count();
  // The compact encodings (listpack, intset) are one block; hash tables and skiplists are one
  // allocation per element.
  std::string_view encoding = c->encoding_name();
  if (encoding == "hashtable" || encoding == "skiplist") return c->size();
  return 1;
}

LazyFree::~LazyFree() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_one();
  if (worker_.joinable()) worker_.join();
}

void LazyFree::push(std::unique_ptr<Garbage> garbage, uint64_t objects) {
  garbage->objects = objects;
  pending_.fetch_add(objects, std::memory_order_relaxed);
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(garbage));
    if (!worker_.joinable()) worker_ = std::thread([this] { run(); });
  }
  wake_.notify_one();
}

void LazyFree::drain() {
  std::unique_lock lock(mutex_);
  drained_.wait(lock, [&] { return queue_.empty() && !busy_; });
}

void LazyFree::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [&] { return stop_ || !queue_.empty(); });
    // Whatever is queued is still freed at shutdown: the queue owns it either way.
    if (queue_.empty()) return;
    std::unique_ptr<Garbage> garbage = std::move(queue_.front());
    queue_.pop_front();
    busy_ = true;
    lock.unlock();
    const uint64_t objects = garbage->objects;
    garbage.reset();  // the actual freeing, outside the lock
    pending_.fetch_sub(objects, std::memory_order_relaxed);
    freed_.fetch_add(objects, std::memory_order_relaxed);
    lock.lock();
    busy_ = false;
    if (queue_.empty()) drained_.notify_all();
  }
}

}  // namespace tandem
