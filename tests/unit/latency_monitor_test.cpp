// Tests for server/latency_monitor.h: one sample per second (the worst), the all-time maximum,
// the 160-sample ring, RESET by name, and DOCTOR/GRAPH texts as Redis 7.0 words and draws them.
#include "server/latency_monitor.h"

#include <gtest/gtest.h>

#include <string>

namespace tandem {
namespace {

TEST(LatencyMonitorTest, OneSamplePerSecondKeepsTheWorst) {
  LatencyMonitor monitor;
  monitor.add_sample("command", 5, 100);
  monitor.add_sample("command", 9, 100);
  monitor.add_sample("command", 3, 100);
  monitor.add_sample("command", 4, 101);
  const auto* series = monitor.find("command");
  ASSERT_NE(series, nullptr);
  auto history = series->history();
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0].time_seconds, 100);
  EXPECT_EQ(history[0].latency_ms, 9);
  EXPECT_EQ(series->latest().latency_ms, 4);
  EXPECT_EQ(series->max_ms, 9);
  EXPECT_EQ(monitor.find("fast-command"), nullptr);
}

TEST(LatencyMonitorTest, RingKeepsTheLast160Seconds) {
  LatencyMonitor monitor;
  for (int64_t t = 1; t <= 200; ++t) monitor.add_sample("command", t, t);
  auto history = monitor.find("command")->history();
  ASSERT_EQ(history.size(), LatencyMonitor::kSamples);
  EXPECT_EQ(history.front().time_seconds, 41);
  EXPECT_EQ(history.back().time_seconds, 200);
}

TEST(LatencyMonitorTest, ResetByNameOrAll) {
  LatencyMonitor monitor;
  monitor.add_sample("command", 1, 1);
  monitor.add_sample("fast-command", 1, 1);
  EXPECT_EQ(monitor.reset("COMMAND"), 1u);
  EXPECT_EQ(monitor.reset("nosuch"), 0u);
  EXPECT_EQ(monitor.reset(), 1u);
  EXPECT_TRUE(monitor.events().empty());
}

TEST(LatencyMonitorTest, DoctorTexts) {
  LatencyMonitor monitor;
  EXPECT_TRUE(monitor.doctor(0, 10000, 100).starts_with("I'm sorry, Dave, I can't do that."));
  EXPECT_TRUE(monitor.doctor(1, 10000, 100).starts_with("Dave, no latency spike was observed"));
  monitor.add_sample("command", 10, 100);
  EXPECT_EQ(monitor.doctor(1, 10000, 100),
            "Dave, I have observed latency spikes in this Redis instance. You don't mind talking "
            "about it, do you Dave?\n\n1. command: 1 latency spikes (average 10ms, mean deviation "
            "0ms, period 1.00 sec). Worst all time event 10ms.\n\nI have a few advices for "
            "you:\n\n- Your current Slow Log configuration only logs events that are slower than "
            "your configured latency monitor threshold. Please use 'CONFIG SET "
            "slowlog-log-slower-than 1000'.\n- Check your Slow Log to understand what are the "
            "commands you are running which are too slow to execute. Please check "
            "https://redis.io/commands/slowlog for more information.\n- Deleting, expiring or "
            "evicting (because of maxmemory policy) large objects is a blocking operation. If you "
            "have very large objects that are often deleted, expired, or evicted, try to fragment "
            "those objects into multiple smaller objects.\n");
}

TEST(LatencyMonitorTest, GraphOfOneSampleMatchesRedis) {
  LatencyMonitor monitor;
  monitor.add_sample("command", 10, 100);
  // What Redis 7.0.15 printed for one 10 ms sample taken in the current second.
  EXPECT_EQ(monitor.graph(*monitor.find("command"), 100),
            "command - high 10 ms, low 10 ms (all time high 10 ms)\n" + std::string(80, '-') +
                "\n \n \n \n_\n \n0\ns\n");
}

}  // namespace
}  // namespace tandem
