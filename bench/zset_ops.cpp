// CPU time of a large skiplist-encoded sorted set's operations, in process (no network, so the
// numbers hold on a busy machine): N random members added, ranks looked up, scores
// incremented, 10-element rank ranges read, then every element popped from the low end as
// ZPOPMIN does. Three rounds, one row each; build the same file against an older tree to
// compare (the SortedSet API is the same).
//
//   ninja -C build zset_ops && build/zset_ops [N=400000]
#include <time.h>

#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "storage/sorted_set.h"

namespace {

double cpu_seconds() {
  timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

}  // namespace

int main(int argc, char** argv) {
  using tandem::SortedSet;
  const size_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 400000;
  std::mt19937 rng(1);
  std::vector<std::string> members;
  std::vector<double> scores;
  for (size_t i = 0; i < n; ++i) {
    char buf[32];
    std::snprintf(buf, sizeof(buf), "element:%012u", static_cast<unsigned>(rng() % 1000000));
    members.emplace_back(buf);
    scores.push_back(rng() % 1000000);
  }
  const SortedSet::Limits limits;
  std::printf("ns per operation, %zu members\n%10s%10s%10s%10s%10s\n", n, "ZADD", "ZRANK",
              "ZINCRBY", "RANGE10", "ZPOPMIN");
  size_t sink = 0;
  auto count = [&](std::string_view m, double) { sink += m.size(); };
  for (int round = 0; round < 3; ++round) {
    SortedSet z(SortedSet::Encoding::kSkiplist);
    const double t0 = cpu_seconds();
    for (size_t i = 0; i < n; ++i) z.add(members[i], scores[i], 0, limits);
    const double t1 = cpu_seconds();
    for (size_t i = 0; i < n; ++i) sink += z.rank(members[i], false).value_or(0);
    const double t2 = cpu_seconds();
    for (size_t i = 0; i < n; ++i) z.add(members[i], 1, SortedSet::kIncr, limits);
    const double t3 = cpu_seconds();
    const size_t ranges = n / 10;
    for (size_t i = 0; i < ranges; ++i) {
      const size_t first = rng() % (z.size() - 10);
      z.range_by_rank(first, first + 9, false, count);
    }
    const double t4 = cpu_seconds();
    const size_t popped = z.size();
    while (z.size() > 0) {
      z.range_by_rank(0, 0, false, count);
      z.erase_rank_range(0, 0);
    }
    const double t5 = cpu_seconds();
    auto ns = [](double seconds, size_t ops) { return seconds / static_cast<double>(ops) * 1e9; };
    std::printf("%10.0f%10.0f%10.0f%10.0f%10.0f\n", ns(t1 - t0, n), ns(t2 - t1, n), ns(t3 - t2, n),
                ns(t4 - t3, ranges), ns(t5 - t4, popped));
  }
  return sink == 42 ? 1 : 0;  // keeps `sink` alive
}
