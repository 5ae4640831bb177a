// maxmemory: evicting keys when the memory in use passes the limit (Redis 7.0's evict.c).
//
// Before each command runs, dispatch asks perform() to bring used memory back under
// `maxmemory`; a command flagged denyoom (or anything queued inside MULTI) is refused with
// kOomError when that failed. "Used memory" is INFO's used_memory minus what Redis does not
// count for eviction (memory_not_counted_for_evict(): replication buffers beyond the backlog,
// which would otherwise make evictions feed themselves through the DELs they send).
//
// Choosing a victim follows Redis's approximation: sample maxmemory-samples keys from each
// database (the whole key table for allkeys-*, the expiry table for volatile-*), merge them
// into a pool of the 16 best candidates kept across calls, and evict the best one still
// present; the random policies take a random key, one database after the other. A victim is
// deleted (freed on the lazy-free thread with lazyfree-lazy-eviction), counted in INFO
// evicted_keys, invalidates WATCH, and reaches replicas and the backlog as DEL (UNLINK when
// lazy), each command on its own, as Redis propagates evictions.
//
// One pass stops after maxmemory-eviction-tenacity's time budget (500 us by default); the
// rest is then evicted by a coroutine that runs again on every loop turn until done, and the
// command that started it runs (Redis's EVICT_RUNNING and its eviction time proc).
// Nothing is evicted on a replica with replica-ignore-maxmemory (it mirrors its master), while
// the start-up load runs, or while clients are paused (the dataset must stay still).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "server/task.h"
#include "storage/lfu.h"

namespace tandem {

class Server;
struct Config;

inline constexpr std::string_view kOomError =
    "OOM command not allowed when used memory > 'maxmemory'.";

enum class EvictionPolicy {
  kVolatileLru,
  kVolatileLfu,
  kVolatileRandom,
  kVolatileTtl,
  kAllkeysLru,
  kAllkeysLfu,
  kAllkeysRandom,
  kNoEviction,
};
EvictionPolicy parse_eviction_policy(std::string_view name);

// How values' access fields must be kept under the configured policy (storage/lfu.h).
AccessTracking access_tracking(const Config& config);

// Redis's freeMemoryGetNotCountedMemory (INFO mem_not_counted_for_evict).
uint64_t memory_not_counted_for_evict(Server& server);

class Eviction {
 public:
  enum class Result { kOk, kRunning, kFail };

  explicit Eviction(Server& server) : server_(server) {}
  Eviction(const Eviction&) = delete;
  Eviction& operator=(const Eviction&) = delete;

  // Redis's performEvictions: evicts until used memory is within maxmemory, nothing is left to
  // evict (kFail) or the time budget is spent (kRunning: a coroutine goes on with it).
  Result perform();
  // Starts the coroutine that evicts on later loop turns (CONFIG SET maxmemory).
  void start_background();

  uint64_t evicted_keys() const { return evicted_keys_; }
  // INFO's total_ and current_eviction_exceeded_time, in milliseconds.
  uint64_t total_exceeded_ms() const;
  uint64_t current_exceeded_ms() const;
  void reset_stats();

 private:
  // One candidate of the eviction pool; higher `score` means a better victim.
  struct Candidate {
    int db = 0;
    std::string key;
    uint64_t score = 0;
  };
  static constexpr size_t kPoolSize = 16;  // EVPOOL_SIZE

  bool over_limit(uint64_t* to_free) const;
  // The next victim per the policy, or false when nothing can be evicted.
  bool pick(EvictionPolicy policy, int& db, std::string& key);
  void populate_pool(EvictionPolicy policy, int db);
  void insert_candidate(int db, std::string_view key, uint64_t score);
  // Deletes and propagates one victim; the bytes its deletion freed on this thread.
  uint64_t evict(int db, const std::string& key);
  Task run_in_background();

  Server& server_;
  std::array<Candidate, kPoolSize> pool_;  // ordered by score, ascending; valid: [0, pool_size_)
  size_t pool_size_ = 0;
  int next_db_ = 0;  // the random policies visit databases in turn
  bool background_ = false;
  uint64_t evicted_keys_ = 0;
  uint64_t exceeded_total_us_ = 0;
  int64_t exceeded_since_us_ = 0;  // monotonic; 0 while under the limit
};

}  // namespace tandem
