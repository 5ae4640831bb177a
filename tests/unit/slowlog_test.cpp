// Tests for server/slowlog.h: Redis's truncation of arguments (32 at most, 128 bytes each),
// newest-first order, ids that survive RESET, and trimming to slowlog-max-len.
#include "server/slowlog.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tandem {
namespace {

std::vector<std::string_view> views(const std::vector<std::string>& args) {
  return {args.begin(), args.end()};
}

TEST(SlowLogTest, KeepsNewestFirstAndTrims) {
  SlowLog log;
  for (int i = 0; i < 5; ++i) {
    std::vector<std::string> args{"PING", std::to_string(i)};
    log.push(views(args), 10 + i, 1000, "127.0.0.1:1", "name", 3);
  }
  ASSERT_EQ(log.size(), 3u);
  EXPECT_EQ(log.entries()[0].id, 4u);
  EXPECT_EQ(log.entries()[0].args[1], "4");
  EXPECT_EQ(log.entries()[2].id, 2u);
  EXPECT_EQ(log.entries()[0].duration_us, 14);
  EXPECT_EQ(log.entries()[0].client_addr, "127.0.0.1:1");
  EXPECT_EQ(log.entries()[0].client_name, "name");
  log.reset();
  EXPECT_EQ(log.size(), 0u);
  std::vector<std::string> args{"PING"};
  log.push(views(args), 1, 1000, "", "", 128);
  EXPECT_EQ(log.entries()[0].id, 5u);  // ids go on after RESET
  log.push(views(args), 1, 1000, "", "", 0);
  EXPECT_EQ(log.size(), 0u);
}

TEST(SlowLogTest, TruncatesLikeRedis) {
  SlowLog log;
  std::vector<std::string> args{"MSET"};
  for (int i = 0; i < 40; ++i) args.push_back(std::to_string(i));
  args[1] = std::string(200, 'a');
  log.push(views(args), 1, 1000, "", "", 128);
  const auto& kept = log.entries()[0].args;
  ASSERT_EQ(kept.size(), 32u);
  EXPECT_EQ(kept[1], std::string(128, 'a') + "... (72 more bytes)");
  EXPECT_EQ(kept[30], "29");
  EXPECT_EQ(kept[31], "... (10 more arguments)");

  std::vector<std::string> exactly32(32, "x");
  log.push(views(exactly32), 1, 1000, "", "", 128);
  EXPECT_EQ(log.entries()[0].args.size(), 32u);
  EXPECT_EQ(log.entries()[0].args[31], "x");
  std::vector<std::string> exactly128{std::string(128, 'b')};
  log.push(views(exactly128), 1, 1000, "", "", 128);
  EXPECT_EQ(log.entries()[0].args[0], std::string(128, 'b'));
}

}  // namespace
}  // namespace tandem
