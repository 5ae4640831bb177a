// Instantaneous rates for INFO (instantaneous_ops_per_sec, instantaneous_input_kbps, ...),
// computed as Redis does: the server cron samples a running counter every 100 ms, each sample
// becomes a per-second rate, and the reported value is the mean of the last 16 rates (so it
// reflects roughly the last 1.6 seconds). Main thread only.
#pragma once

#include <array>
#include <cstdint>

namespace tandem {

class InstantaneousMetric {
 public:
  static constexpr int kSamples = 16;

  // Records the rate since the previous sample; `reading` is the counter's current value.
  void sample(int64_t now_ms, uint64_t reading) {
    int64_t elapsed = now_ms - last_sample_ms_;
    int64_t delta = static_cast<int64_t>(reading - last_reading_);
    samples_[index_] = elapsed > 0 ? delta * 1000 / elapsed : 0;
    index_ = (index_ + 1) % kSamples;
    last_sample_ms_ = now_ms;
    last_reading_ = reading;
  }

  // Mean per-second rate over the sample window (integer division, as Redis).
  int64_t per_second() const {
    int64_t sum = 0;
    for (int64_t s : samples_) sum += s;
    return sum / kSamples;
  }

  // CONFIG RESETSTAT: forget the history; the counter itself restarts from `reading`.
  void reset(int64_t now_ms, uint64_t reading) {
    samples_.fill(0);
    index_ = 0;
    last_sample_ms_ = now_ms;
    last_reading_ = reading;
  }

 private:
  std::array<int64_t, kSamples> samples_{};
  int index_ = 0;
  int64_t last_sample_ms_ = 0;
  uint64_t last_reading_ = 0;
};

// The rates the cron keeps (Redis's STATS_METRIC_COMMAND, _NET_INPUT, _NET_OUTPUT and
// _NET_INPUT_REPLICATION / _NET_OUTPUT_REPLICATION).
struct ServerMetrics {
  InstantaneousMetric ops;
  InstantaneousMetric net_input;
  InstantaneousMetric net_output;
  InstantaneousMetric net_repl_input;
  InstantaneousMetric net_repl_output;
  int64_t last_sample_ms = 0;
};

}  // namespace tandem
