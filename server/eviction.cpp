#include "server/eviction.h"

#include <time.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <cmath>
#include <limits>
#include <optional>
#include <utility>

#include "replication/backlog.h"
#include "replication/master_link.h"
#include "replication/replication.h"
#include "server/keyspace_events.h"
#include "server/lazy_free.h"
#include "server/log.h"
#include "server/memory_usage.h"
#include "server/server.h"
#include "storage/clock.h"

namespace tandem {
namespace {

bool evicts_from_all_keys(EvictionPolicy policy) {
  return policy == EvictionPolicy::kAllkeysLru || policy == EvictionPolicy::kAllkeysLfu ||
         policy == EvictionPolicy::kAllkeysRandom;
}

bool uses_pool(EvictionPolicy policy) {
  return policy != EvictionPolicy::kAllkeysRandom && policy != EvictionPolicy::kVolatileRandom &&
         policy != EvictionPolicy::kNoEviction;
}

// Redis's evictionTimeLimitUs: how long one pass may evict, from maxmemory-eviction-tenacity.
int64_t time_limit_us(int tenacity) {
  if (tenacity <= 10) return 50 * int64_t{tenacity};  // linear, 0..500 us
  if (tenacity < 100) return static_cast<int64_t>(500.0 * std::pow(1.15, tenacity - 10.0));
  return std::numeric_limits<int64_t>::max();  // no limit
}

void add_latency_sample(Server& server, const char* event, int64_t duration_us) {
  const int64_t threshold_ms = server.config().latency_monitor_threshold;
  if (threshold_ms > 0 && duration_us / 1000 >= threshold_ms) {
    server.latency_monitor().add_sample(event, duration_us / 1000, unix_time_ms() / 1000);
  }
}

}  // namespace

EvictionPolicy parse_eviction_policy(std::string_view name) {
  constexpr std::pair<std::string_view, EvictionPolicy> kNames[] = {
      {"volatile-lru", EvictionPolicy::kVolatileLru},
      {"volatile-lfu", EvictionPolicy::kVolatileLfu},
      {"volatile-random", EvictionPolicy::kVolatileRandom},
      {"volatile-ttl", EvictionPolicy::kVolatileTtl},
      {"allkeys-lru", EvictionPolicy::kAllkeysLru},
      {"allkeys-lfu", EvictionPolicy::kAllkeysLfu},
      {"allkeys-random", EvictionPolicy::kAllkeysRandom},
  };
  for (auto [text, policy] : kNames) {
    if (name == text) return policy;
  }
  return EvictionPolicy::kNoEviction;
}

AccessTracking access_tracking(const Config& config) {
  EvictionPolicy policy = parse_eviction_policy(config.maxmemory_policy);
  return {.lfu = policy == EvictionPolicy::kVolatileLfu || policy == EvictionPolicy::kAllkeysLfu,
          .log_factor = config.lfu_log_factor,
          .decay_time = config.lfu_decay_time};
}

uint64_t memory_not_counted_for_evict(Server& server) {
  // Replicas and the backlog share one buffer: only what lagging replicas keep beyond the
  // backlog's own size is theirs. Redis adds its approximate per-block overhead to the backlog
  // size; tandem's chunks carry theirs inside kChunkBytes. There is no AOF buffer.
  const Backlog* backlog = server.replication().backlog();
  if (!backlog) return 0;
  const uint64_t buffers = backlog->allocated_bytes();
  const uint64_t counted = static_cast<uint64_t>(server.config().repl_backlog_size);
  return buffers > counted ? buffers - counted : 0;
}

bool Eviction::over_limit(uint64_t* to_free) const {
  const uint64_t maxmemory = server_.config().maxmemory;
  if (maxmemory == 0) return false;
  uint64_t used = heap_used_bytes();
  if (used <= maxmemory) return false;
  const uint64_t not_counted = memory_not_counted_for_evict(server_);
  used = used > not_counted ? used - not_counted : 0;
  if (used <= maxmemory) return false;
  if (to_free) *to_free = used - maxmemory;
  return true;
}

// Redis's isSafeToPerformEvictions and the rest of performEvictions.
Eviction::Result Eviction::perform() {
  Result result = Result::kOk;
  uint64_t to_free = 0;
  const Config& config = server_.config();
  const bool safe = !(server_.master_link().is_replica() && config.replica_ignore_maxmemory) &&
                    !server_.persistence().loading && server_.pause_mode() == ClientPause::kNone;
  if (!safe || !over_limit(&to_free)) {
    result = Result::kOk;
  } else if (parse_eviction_policy(config.maxmemory_policy) == EvictionPolicy::kNoEviction) {
    result = Result::kFail;
  } else {
    const EvictionPolicy policy = parse_eviction_policy(config.maxmemory_policy);
    const int64_t limit_us = time_limit_us(config.maxmemory_eviction_tenacity);
    const int64_t start_us = monotonic_us();
    uint64_t freed = 0, keys_freed = 0;
    while (freed < to_free) {
      int db = 0;
      std::string key;
      if (!pick(policy, db, key)) {
        result = Result::kFail;
        break;
      }
      freed += evict(db, key);
      if (++keys_freed % 16 != 0) continue;
      // The lazy-free thread releases memory on its own time: look at the real figure.
      if (config.lazyfree_lazy_eviction && !over_limit(nullptr)) break;
      if (monotonic_us() - start_us > limit_us) {
        start_background();
        result = Result::kRunning;
        break;
      }
    }
    // Out of victims while the lazy-free thread still frees some: give it a moment, as Redis.
    if (result == Result::kFail && server_.lazy_free().pending() > 0) {
      const int64_t wait_us = std::min<int64_t>(limit_us, 999'999);
      timespec pause{.tv_sec = 0, .tv_nsec = static_cast<long>(wait_us * 1000)};
      nanosleep(&pause, nullptr);
      if (!over_limit(nullptr)) result = Result::kOk;
    }
    add_latency_sample(server_, "eviction-cycle", monotonic_us() - start_us);
  }
  // Time spent over the limit (INFO total_ / current_eviction_exceeded_time).
  if (result != Result::kOk) {
    if (exceeded_since_us_ == 0) exceeded_since_us_ = monotonic_us();
  } else if (exceeded_since_us_ != 0) {
    exceeded_total_us_ += static_cast<uint64_t>(monotonic_us() - exceeded_since_us_);
    exceeded_since_us_ = 0;
  }
  return result;
}

bool Eviction::pick(EvictionPolicy policy, int& db, std::string& key) {
  Keyspace& keyspace = server_.keyspace();
  const bool all_keys = evicts_from_all_keys(policy);
  auto table_size = [&](Database& d) { return all_keys ? d.size() : d.expires_count(); };
  if (!uses_pool(policy)) {
    for (int i = 0; i < keyspace.count(); ++i) {
      int index = (++next_db_) % keyspace.count();
      Database& d = keyspace.db(index);
      if (table_size(d) == 0) continue;
      db = index;
      key = d.random_stored_key(!all_keys);
      return true;
    }
    return false;
  }
  for (;;) {
    size_t total = 0;
    for (int i = 0; i < keyspace.count(); ++i) {
      if (size_t n = table_size(keyspace.db(i))) {
        populate_pool(policy, i);
        total += n;
      }
    }
    if (total == 0) return false;
    // From the best candidate down; one that was deleted meanwhile is a ghost, dropped.
    while (pool_size_ > 0) {
      Candidate best = std::move(pool_[--pool_size_]);
      Database& d = keyspace.db(best.db);
      bool present = all_keys ? d.holds(best.key) : d.expire_time(best.key).has_value();
      if (!present) continue;
      db = best.db;
      key = std::move(best.key);
      return true;
    }
  }
}

// Redis's evictionPoolPopulate: sample, score, keep the best kPoolSize across calls.
void Eviction::populate_pool(EvictionPolicy policy, int db) {
  Database& d = server_.keyspace().db(db);
  const bool all_keys = evicts_from_all_keys(policy);
  const int64_t now_ms = unix_time_ms();
  const int samples = server_.config().maxmemory_samples;
  for (int j = 0; j < samples; ++j) {
    std::string_view key = d.random_stored_key(!all_keys);
    if (key.empty() && (all_keys ? d.size() : d.expires_count()) == 0) return;
    uint64_t score = 0;
    if (policy == EvictionPolicy::kVolatileTtl) {
      // The sooner it expires, the better a victim.
      score = std::numeric_limits<uint64_t>::max() -
              static_cast<uint64_t>(d.expire_time(key).value_or(0));
    } else {
      const Value* value = d.stored_value(key);
      if (!value) continue;
      if (policy == EvictionPolicy::kAllkeysLfu || policy == EvictionPolicy::kVolatileLfu) {
        score = 255 - lfu::decayed(value->access_time(), now_ms, server_.config().lfu_decay_time);
      } else {
        score = static_cast<uint64_t>(idle_seconds(*value, now_ms)) * 1000;
      }
    }
    insert_candidate(db, key, score);
  }
}

void Eviction::insert_candidate(int db, std::string_view key, uint64_t score) {
  size_t k = 0;
  while (k < pool_size_ && pool_[k].score < score) ++k;
  if (k == 0 && pool_size_ == kPoolSize) return;  // worse than all, and no room
  if (pool_size_ < kPoolSize) {
    for (size_t i = pool_size_; i > k; --i) pool_[i] = std::move(pool_[i - 1]);
    ++pool_size_;
  } else {
    // Full: drop the worst candidate (the first) to make room just before k.
    --k;
    for (size_t i = 0; i < k; ++i) pool_[i] = std::move(pool_[i + 1]);
  }
  pool_[k] = Candidate{.db = db, .key = std::string(key), .score = score};
}

uint64_t Eviction::evict(int db, const std::string& key) {
  const bool lazy = server_.config().lazyfree_lazy_eviction;
  Database& d = server_.keyspace().db(db);
  // Only the deletion is measured: the DEL sent to replicas grows the backlog.
  const uint64_t before = heap_used_bytes();
  const int64_t start_us = monotonic_us();
  // take() signals the change to WATCHers (the keyspace's on_modified hook).
  std::optional<Value> value = d.take(key);
  if (!value) return 0;
  if (lazy && free_effort(*value) > kLazyFreeThreshold) {
    server_.lazy_free().dispose(*std::move(value), 1);
  }
  value.reset();
  add_latency_sample(server_, "eviction-del", monotonic_us() - start_us);
  const uint64_t after = heap_used_bytes();
  ++evicted_keys_;
  notify_keyspace_event(server_, kNotifyEvicted, "evicted", key, db);
  // Each eviction reaches replicas on its own, never wrapped in MULTI (Redis's
  // propagate_no_multi), whatever command or pass triggered it.
  server_.propagation().propagate_alone(db, {lazy ? "UNLINK" : "DEL", key});
  return before > after ? before - after : 0;
}

void Eviction::start_background() {
  if (background_) return;
  background_ = true;
  run_in_background();
}

// Redis's eviction time proc: one pass per loop turn until memory is back within the limit.
// background_ stays set meanwhile, so a pass that runs out of time starts no second coroutine.
Task Eviction::run_in_background() {
  Result result;
  do {
    co_await server_.reactor().sleep_for(std::chrono::milliseconds(0));
    result = perform();
  } while (result == Result::kRunning);
  background_ = false;
}

uint64_t Eviction::current_exceeded_ms() const {
  return exceeded_since_us_ ? static_cast<uint64_t>(monotonic_us() - exceeded_since_us_) / 1000 : 0;
}

uint64_t Eviction::total_exceeded_ms() const {
  return exceeded_total_us_ / 1000 + current_exceeded_ms();
}

void Eviction::reset_stats() {
  evicted_keys_ = 0;
  exceeded_total_us_ = 0;
  exceeded_since_us_ = 0;
}

}  // namespace tandem
