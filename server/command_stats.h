// Counters behind INFO commandstats and errorstats, kept as Redis 7.0 keeps them.
//
// Per command: calls and microseconds of those that ran, rejected_calls (refused before running:
// arity, NOAUTH, ...) and failed_calls (ran and answered an error). Per error code: the first
// word of each error reply ("ERR", "WRONGTYPE"), capped at 128 distinct codes like Redis, after
// which new codes go uncounted in the table but still count in the total. Per command too, with
// latency-tracking on, the distribution of its call times (server/latency_histogram.h).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "server/latency_histogram.h"

namespace tandem {

struct CommandSpec;

struct CommandStats {
  uint64_t calls = 0;
  uint64_t usec = 0;
  uint64_t rejected_calls = 0;
  uint64_t failed_calls = 0;
  LatencyHistogram latency;  // INFO latencystats, while latency-tracking is on
};

class ErrorStats {
 public:
  static constexpr size_t kMaxCodes = 128;

  // `message` is an error reply without its leading '-'.
  void record(std::string_view message);
  uint64_t total() const { return total_; }
  // Never reset: tells whether a command answered an error even if it ran CONFIG RESETSTAT.
  uint64_t lifetime_total() const { return lifetime_total_; }
  const std::map<std::string, uint64_t, std::less<>>& by_code() const { return by_code_; }
  // Redis's incrCommandStatsOnError: a call failed if it answered an error after the last mark.
  // Dispatch marks before and after each call, so EXEC does not fail for the commands it ran.
  void mark() { mark_ = lifetime_total_; }
  bool errors_since_mark() const { return lifetime_total_ != mark_; }
  // While set, every error recorded is also appended there (the replica logs what its master's
  // commands answered); nullptr stops it.
  void capture(std::vector<std::string>* into) { capture_ = into; }
  void reset() {
    by_code_.clear();
    total_ = 0;
  }

 private:
  std::map<std::string, uint64_t, std::less<>> by_code_;
  uint64_t total_ = 0;
  uint64_t lifetime_total_ = 0;
  uint64_t mark_ = 0;
  std::vector<std::string>* capture_ = nullptr;
};

using CommandStatsTable = std::unordered_map<const CommandSpec*, CommandStats>;

}  // namespace tandem
