// Where the server's memory goes, as Redis's getMemoryOverheadData accounts for it: INFO's
// memory section, MEMORY STATS and MEMORY DOCTOR all report from one MemoryOverhead.
//
// total_allocated is what operator new handed out (server/memory_usage.h). The overhead is what
// is not the dataset: the memory in use at start-up, the clients' buffers and the keyspace's
// tables (an entry per key and per TTL plus the bucket pointers); the dataset is the rest.
// tandem allocates through glibc's malloc, which has no "active" figure of its own, so the
// allocator's allocated and active bytes are the counted bytes and its resident bytes the
// process RSS, and the allocator ratios read 1.
#pragma once

#include <cstdint>
#include <vector>

namespace tandem {

class Server;

struct MemoryOverhead {
  struct Db {
    int index = 0;
    uint64_t main_table = 0;     // overhead.hashtable.main
    uint64_t expires_table = 0;  // overhead.hashtable.expires
  };

  uint64_t peak_allocated = 0;
  uint64_t total_allocated = 0;
  uint64_t startup_allocated = 0;
  uint64_t clients_normal = 0;
  std::vector<Db> dbs;  // the non-empty ones
  uint64_t overhead_total = 0;
  uint64_t total_keys = 0;
  uint64_t bytes_per_key = 0;
  uint64_t dataset = 0;
  float dataset_perc = 0;
  float peak_perc = 0;
  uint64_t allocator_allocated = 0;
  uint64_t allocator_active = 0;
  uint64_t allocator_resident = 0;
  uint64_t rss = 0;

  // Redis's ratios (single precision, as Redis computes them) and differences.
  float allocator_frag() const { return ratio(allocator_active, allocator_allocated); }
  int64_t allocator_frag_bytes() const { return diff(allocator_active, allocator_allocated); }
  float allocator_rss() const { return ratio(allocator_resident, allocator_active); }
  int64_t allocator_rss_bytes() const { return diff(allocator_resident, allocator_active); }
  float rss_extra() const { return ratio(rss, allocator_resident); }
  int64_t rss_extra_bytes() const { return diff(rss, allocator_resident); }
  float total_frag() const { return ratio(rss, total_allocated); }
  int64_t total_frag_bytes() const { return diff(rss, total_allocated); }

 private:
  static float ratio(uint64_t a, uint64_t b) {
    return b ? static_cast<float>(a) / static_cast<float>(b) : 0.0f;
  }
  static int64_t diff(uint64_t a, uint64_t b) {
    return static_cast<int64_t>(a) - static_cast<int64_t>(b);
  }
};

// Also raises the server's recorded peak to the current usage, as Redis does on every read.
MemoryOverhead memory_overhead(Server& server);

// The resident set size of this process (/proc/self/statm).
uint64_t rss_bytes();

}  // namespace tandem
