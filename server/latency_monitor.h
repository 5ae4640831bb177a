// The latency monitor (LATENCY LATEST/HISTORY/RESET/DOCTOR/GRAPH): per event class ("command",
// "fast-command", ...) a ring of the last 160 samples, one per second at most (a second with
// several spikes keeps the worst), plus the worst latency ever seen. Samples are added only when
// latency-monitor-threshold is on and the latency reaches it (the caller checks). Events are
// kept in the order they first occurred. Main thread only.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tandem {

struct LatencySample {
  int64_t time_seconds = 0;  // 0: unused slot
  int64_t latency_ms = 0;
};

class LatencyMonitor {
 public:
  static constexpr size_t kSamples = 160;

  struct Series {
    std::string event;
    std::array<LatencySample, kSamples> samples{};
    size_t next = 0;  // slot the next new second goes to
    int64_t max_ms = 0;

    const LatencySample& latest() const { return samples[(next + kSamples - 1) % kSamples]; }
    // Samples oldest first.
    std::vector<LatencySample> history() const;
  };

  void add_sample(std::string_view event, int64_t latency_ms, int64_t now_seconds);
  // Forgets one event (case-insensitive) or, with an empty name, all; returns how many.
  size_t reset(std::string_view event = {});
  const Series* find(std::string_view event) const;
  const std::vector<Series>& events() const { return events_; }

  // LATENCY DOCTOR's report, in Redis's words, for the events tandem records.
  std::string doctor(int64_t threshold_ms, int64_t slowlog_slower_than_us,
                     int64_t now_seconds) const;
  // LATENCY GRAPH's ASCII sparkline of one event's samples.
  std::string graph(const Series& series, int64_t now_seconds) const;

 private:
  std::vector<Series> events_;
};

}  // namespace tandem
