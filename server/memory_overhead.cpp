#include "server/memory_overhead.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>

#include "server/client.h"
#include "server/memory_usage.h"
#include "server/server.h"

namespace tandem {

uint64_t rss_bytes() {
  FILE* f = std::fopen("/proc/self/statm", "r");
  if (!f) return 0;
  unsigned long long size = 0, resident = 0;
  int n = std::fscanf(f, "%llu %llu", &size, &resident);
  std::fclose(f);
  return n == 2 ? resident * static_cast<uint64_t>(sysconf(_SC_PAGESIZE)) : 0;
}

MemoryOverhead memory_overhead(Server& server) {
  MemoryOverhead mh;
  uint64_t used = heap_used_bytes();
  uint64_t& peak = server.used_memory_peak();
  peak = std::max(peak, used);
  mh.total_allocated = used;
  mh.peak_allocated = peak;
  mh.startup_allocated = server.used_memory_startup();
  mh.rss = rss_bytes();
  mh.allocator_allocated = used;
  mh.allocator_active = used;
  mh.allocator_resident = mh.rss;

  uint64_t total = mh.startup_allocated;
  for (const auto& [id, client] : server.clients()) {
    mh.clients_normal +=
        client->conn.input().capacity() + client->conn.output().capacity() + sizeof(Client);
  }
  total += mh.clients_normal;
  for (int i = 0; i < server.keyspace().count(); ++i) {
    Database& db = server.keyspace().db(i);
    if (db.size() == 0) continue;
    mh.total_keys += db.size();
    MemoryOverhead::Db tables{
        .index = i,
        .main_table = db.size() * (sizeof(Database::Entry) + sizeof(void*)),
        .expires_table = db.expires_count() * (sizeof(Dict<int64_t>::Entry) + sizeof(void*))};
    total += tables.main_table + tables.expires_table;
    mh.dbs.push_back(tables);
  }
  mh.overhead_total = total;
  mh.dataset = used > total ? used - total : 0;
  mh.peak_perc = static_cast<float>(used) * 100 / static_cast<float>(peak ? peak : 1);
  uint64_t net_usage = used > mh.startup_allocated ? used - mh.startup_allocated : 1;
  mh.dataset_perc = static_cast<float>(mh.dataset) * 100 / static_cast<float>(net_usage);
  mh.bytes_per_key = mh.total_keys ? net_usage / mh.total_keys : 0;
  return mh;
}

}  // namespace tandem
