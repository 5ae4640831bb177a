#include "server/latency_monitor.h"

#include <algorithm>
#include <cstdlib>

#include "fmt/format.h"
#include "server/args.h"

namespace tandem {

std::vector<LatencySample> LatencyMonitor::Series::history() const {
  std::vector<LatencySample> out;
  for (size_t j = 0; j < kSamples; ++j) {
    const LatencySample& s = samples[(next + j) % kSamples];
    if (s.time_seconds != 0) out.push_back(s);
  }
  return out;
}

void LatencyMonitor::add_sample(std::string_view event, int64_t latency_ms, int64_t now_seconds) {
  auto it = std::find_if(events_.begin(), events_.end(),
                         [&](const Series& s) { return s.event == event; });
  if (it == events_.end()) {
    events_.emplace_back();
    events_.back().event = event;
    it = events_.end() - 1;
  }
  Series& series = *it;
  series.max_ms = std::max(series.max_ms, latency_ms);
  // One sample per second: a later spike in the same second only raises it.
  LatencySample& previous = series.samples[(series.next + kSamples - 1) % kSamples];
  if (previous.time_seconds == now_seconds) {
    previous.latency_ms = std::max(previous.latency_ms, latency_ms);
    return;
  }
  series.samples[series.next] = {now_seconds, latency_ms};
  series.next = (series.next + 1) % kSamples;
}

size_t LatencyMonitor::reset(std::string_view event) {
  size_t before = events_.size();
  std::erase_if(events_, [&](const Series& s) { return event.empty() || iequals(s.event, event); });
  return before - events_.size();
}

const LatencyMonitor::Series* LatencyMonitor::find(std::string_view event) const {
  for (const Series& s : events_) {
    if (s.event == event) return &s;
  }
  return nullptr;
}

std::string LatencyMonitor::doctor(int64_t threshold_ms, int64_t slowlog_slower_than_us,
                                   int64_t now_seconds) const {
  if (events_.empty() && threshold_ms == 0) {
    return "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis "
           "instance. You may use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in "
           "order to enable it. If we weren't in a deep space mission I'd suggest to take a look "
           "at https://redis.io/topics/latency-monitor.\n";
  }
  std::string report;
  bool advise_slowlog_enabled = false, advise_slowlog_tuning = false;
  bool advise_slowlog_inspect = false, advise_large_objects = false, advise_scheduler = false;
  bool advise_hz = false;
  int advices = 0;
  int number = 0;
  for (const Series& series : events_) {
    if (++number == 1) {
      report +=
          "Dave, I have observed latency spikes in this Redis instance. You don't mind "
          "talking about it, do you Dave?\n\n";
    }
    // Average, mean absolute deviation and the span since the oldest sample, as Redis's
    // analyzeLatencyForEvent (integer arithmetic included).
    std::vector<LatencySample> samples = series.history();
    uint64_t sum = 0;
    int64_t oldest = 0;
    for (const LatencySample& s : samples) {
      sum += static_cast<uint64_t>(s.latency_ms);
      if (oldest == 0 || s.time_seconds < oldest) oldest = s.time_seconds;
    }
    uint64_t count = samples.size();
    uint64_t avg = count ? sum / count : 0;
    int64_t period = count ? std::max<int64_t>(now_seconds - oldest, 1) : 0;
    uint64_t deviation = 0;
    for (const LatencySample& s : samples) {
      deviation += static_cast<uint64_t>(std::llabs(static_cast<int64_t>(avg) - s.latency_ms));
    }
    uint64_t mad = count ? deviation / count : 0;
    report += fmt::format(
        "{}. {}: {} latency spikes (average {}ms, mean deviation {}ms, period {:.2f} sec). Worst "
        "all time event {}ms.",
        number, series.event, count, avg, mad,
        count ? static_cast<double>(period) / static_cast<double>(count) : 0.0, series.max_ms);
    if (iequals(series.event, "command")) {
      if (slowlog_slower_than_us < 0) {
        advise_slowlog_enabled = true;
        ++advices;
      } else if (slowlog_slower_than_us / 1000 > threshold_ms) {
        advise_slowlog_tuning = true;
        ++advices;
      }
      advise_slowlog_inspect = advise_large_objects = true;
      advices += 2;
    } else if (iequals(series.event, "fast-command")) {
      advise_scheduler = true;
      ++advices;
    } else if (iequals(series.event, "expire-cycle")) {
      advise_hz = advise_large_objects = true;
      advices += 2;
    }
    report += "\n";
  }
  if (number == 0 && advices == 0) {
    report +=
        "Dave, no latency spike was observed during the lifetime of this Redis instance, "
        "not in the slightest bit. I honestly think you ought to sit down calmly, take a "
        "stress pill, and think things over.\n";
    return report;
  }
  if (advices == 0) {
    report +=
        "\nWhile there are latency events logged, I'm not able to suggest any easy fix. "
        "Please use the Redis community to get some help, providing this report in your "
        "help request.\n";
    return report;
  }
  report += "\nI have a few advices for you:\n\n";
  if (advise_slowlog_enabled) {
    report += fmt::format(
        "- There are latency issues with potentially slow commands you are using. Try to enable "
        "the Slow Log Redis feature using the command 'CONFIG SET slowlog-log-slower-than {}'. "
        "If the Slow log is disabled Redis is not able to log slow commands execution for "
        "you.\n",
        threshold_ms * 1000);
  }
  if (advise_slowlog_tuning) {
    report += fmt::format(
        "- Your current Slow Log configuration only logs events that are slower than your "
        "configured latency monitor threshold. Please use 'CONFIG SET slowlog-log-slower-than "
        "{}'.\n",
        threshold_ms * 1000);
  }
  if (advise_slowlog_inspect) {
    report +=
        "- Check your Slow Log to understand what are the commands you are running which "
        "are too slow to execute. Please check https://redis.io/commands/slowlog for more "
        "information.\n";
  }
  if (advise_scheduler) {
    report +=
        "- The system is slow to execute Redis code paths not containing system calls. This "
        "usually means the system does not provide Redis CPU time to run for long periods. You "
        "should try to:\n"
        "  1) Lower the system load.\n"
        "  2) Use a computer / VM just for Redis if you are running other software in the same "
        "system.\n"
        "  3) Check if you have a \"noisy neighbour\" problem.\n"
        "  4) Check with 'redis-cli --intrinsic-latency 100' what is the intrinsic latency in "
        "your system.\n"
        "  5) Check if the problem is allocator-related by recompiling Redis with MALLOC=libc, "
        "if you are using Jemalloc. However this may create fragmentation problems.\n";
  }
  if (advise_hz) {
    report +=
        "- In order to make the Redis keys expiring process more incremental, try to set "
        "the 'hz' configuration parameter to 100 using 'CONFIG SET hz 100'.\n";
  }
  if (advise_large_objects) {
    report +=
        "- Deleting, expiring or evicting (because of maxmemory policy) large objects is a "
        "blocking operation. If you have very large objects that are often deleted, "
        "expired, or evicted, try to fragment those objects into multiple smaller "
        "objects.\n";
  }
  return report;
}

namespace {
// Redis's sparkline (sparkline.c): `rows` text rows of "_o#" steps (and '|' below the top of a
// tall column), then the per-sample labels written vertically under a one-row margin.
void render_sparkline(std::string& out, const std::vector<std::pair<double, std::string>>& seq,
                      double min, double max, size_t offset, size_t len, int rows) {
  static constexpr std::string_view kFill = "_o#";
  const int charset_len = static_cast<int>(kFill.size());
  double relmax = max - min;
  if (relmax == 0) relmax = 1;
  const int steps = charset_len * rows;
  bool has_labels = false;
  for (const auto& sample : seq) has_labels |= !sample.second.empty();
  std::string chars;
  for (int row = 0;; ++row) {
    bool more = false;
    chars.assign(len, ' ');
    for (size_t j = 0; j < len; ++j) {
      const auto& [value, label] = seq[offset + j];
      int step = static_cast<int>(((value - min) * steps) / relmax);
      step = std::clamp(step, 0, steps - 1);
      if (row < rows) {
        int index = step - (rows - row - 1) * charset_len;
        more = true;
        if (index >= 0 && index < charset_len) {
          chars[j] = kFill[static_cast<size_t>(index)];
        } else if (index >= charset_len) {
          chars[j] = '|';
        }
      } else {
        if (has_labels && row - rows < 1) {  // the blank row above the labels
          more = true;
          break;
        }
        size_t label_char = static_cast<size_t>(row - rows - 1);
        if (label.size() > label_char) {
          more = true;
          chars[j] = label[label_char];
        }
      }
    }
    if (!more) break;
    out += chars;
    out += '\n';
  }
}
}  // namespace

std::string LatencyMonitor::graph(const Series& series, int64_t now_seconds) const {
  constexpr size_t kColumns = 80;
  std::vector<std::pair<double, std::string>> seq;
  int64_t low = 0, high = 0;
  double min = 0, max = 0;
  for (const LatencySample& s : series.history()) {
    if (seq.empty()) {
      low = high = s.latency_ms;
      min = max = static_cast<double>(s.latency_ms);
    } else {
      low = std::min(low, s.latency_ms);
      high = std::max(high, s.latency_ms);
      double v = static_cast<double>(s.latency_ms);
      // Redis's sequence tracks min/max with an else-if, reproduced for identical scaling.
      if (v < min) {
        min = v;
      } else if (v > max) {
        max = v;
      }
    }
    int64_t elapsed = now_seconds - s.time_seconds;
    std::string label;
    if (elapsed < 60) {
      label = fmt::format("{}s", elapsed);
    } else if (elapsed < 3600) {
      label = fmt::format("{}m", elapsed / 60);
    } else if (elapsed < 3600 * 24) {
      label = fmt::format("{}h", elapsed / 3600);
    } else {
      label = fmt::format("{}d", elapsed / (3600 * 24));
    }
    seq.emplace_back(static_cast<double>(s.latency_ms), std::move(label));
  }
  std::string out = fmt::format("{} - high {} ms, low {} ms (all time high {} ms)\n", series.event,
                                high, low, series.max_ms);
  out.append(kColumns, '-');
  out += '\n';
  for (size_t j = 0; j < seq.size(); j += kColumns) {
    if (j != 0) out += '\n';
    render_sparkline(out, seq, min, max, j, std::min(kColumns, seq.size() - j), 4);
  }
  return out;
}

}  // namespace tandem
