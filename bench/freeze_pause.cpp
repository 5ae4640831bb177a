// The main thread's pause to take a snapshot for BGSAVE / full sync (rdb::freeze), and the memory
// it costs (also after overwriting a tenth of the keys while it lives), over a keyspace of N
// string keys (a tenth with a TTL). Prints one table row; build
// the same file against an older tree to compare.
//
//   ninja -C build freeze_pause && build/freeze_pause [N=1000000]
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "rdb/snapshot.h"
#include "storage/keyspace.h"

namespace {

int64_t now_ns() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

// Resident set size in KB, from /proc/self/status.
long rss_kb() {
  std::ifstream status("/proc/self/status");
  std::string word;
  while (status >> word) {
    if (word == "VmRSS:") {
      long kb = 0;
      status >> kb;
      return kb;
    }
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const long n = argc > 1 ? std::atol(argv[1]) : 1'000'000;
  tandem::Keyspace ks(16);
  tandem::Database& db = ks.db(0);
  for (long i = 0; i < n; ++i) {
    const std::string key = "key:" + std::to_string(i);
    db.set(key, tandem::Value::from_string("value:" + std::to_string(i * 7)));
    if (i % 10 == 0) db.set_expire(key, 4'000'000'000'000 + i);
  }
  for (int i = 0; i < 1000; ++i) db.rehash_for(100000);  // settle any rehash in progress
  std::vector<int64_t> pauses;
  long rss_before = 0, rss_frozen = 0;
  for (int round = 0; round < 5; ++round) {
    rss_before = rss_kb();
    const int64_t start = now_ns();
    tandem::rdb::FrozenKeyspace frozen = tandem::rdb::freeze(ks);
    pauses.push_back((now_ns() - start) / 1000);
    rss_frozen = rss_kb();
  }
  // Memory while a snapshot lives and the main thread overwrites a tenth of the keys.
  long rss_written = 0;
  {
    tandem::rdb::FrozenKeyspace frozen = tandem::rdb::freeze(ks);
    for (long i = 0; i < n; i += 10) {
      db.set("key:" + std::to_string(i), tandem::Value::from_string("new:" + std::to_string(i)),
             true);
    }
    rss_written = rss_kb();
  }
  std::sort(pauses.begin(), pauses.end());
  std::printf(
      "keys %ld  freeze pause us: min %lld median %lld max %lld  rss KB before %ld with "
      "snapshot %ld (+%ld)\n",
      n, static_cast<long long>(pauses.front()), static_cast<long long>(pauses[2]),
      static_cast<long long>(pauses.back()), rss_before, rss_frozen, rss_frozen - rss_before);
  std::printf(
      "  after overwriting %ld keys with the snapshot alive: rss KB %ld (+%ld over before)\n",
      n / 10, rss_written, rss_written - rss_before);
  return 0;
}
