#include "server/resp_parser.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace tandem {
namespace {

using Commands = std::vector<std::vector<std::string>>;

struct Outcome {
  Commands commands;
  std::string error;
};

// Feeds `input` in pieces of the given sizes, consuming what the parser accepts, as a connection
// does; returns every command parsed and the first error.
Outcome feed(const std::string& input, const std::vector<size_t>& pieces) {
  RespParser parser;
  Outcome outcome;
  std::string buffer;
  size_t fed = 0;
  for (size_t piece : pieces) {
    buffer.append(input, fed, piece);
    fed += piece;
    for (;;) {
      auto result = parser.parse(buffer);
      if (result.status == RespParser::Status::kNeedMore) break;
      if (result.status == RespParser::Status::kError) {
        outcome.error = parser.error();
        return outcome;
      }
      if (result.status == RespParser::Status::kCommand) {
        outcome.commands.emplace_back(parser.args().begin(), parser.args().end());
      }
      buffer.erase(0, result.consumed);
    }
  }
  return outcome;
}

Outcome feed_whole(const std::string& input) { return feed(input, {input.size()}); }

TEST(RespParser, ParsesMultibulkCommand) {
  auto out = feed_whole("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nhello\r\n");
  ASSERT_EQ(out.commands.size(), 1u);
  EXPECT_EQ(out.commands[0], (std::vector<std::string>{"SET", "k", "hello"}));
}

TEST(RespParser, BulkMayHoldBinaryAndCrlf) {
  std::string payload("a\r\n\0b", 5);
  auto out = feed_whole("*2\r\n$4\r\nECHO\r\n$5\r\n" + payload + "\r\n");
  ASSERT_EQ(out.commands.size(), 1u);
  EXPECT_EQ(out.commands[0][1], payload);
}

TEST(RespParser, ParsesInlineCommandsWithQuotes) {
  auto out = feed_whole("SET k \"a b\\n\" 'c\\'d'\r\nPING\n");
  ASSERT_EQ(out.commands.size(), 2u);
  EXPECT_EQ(out.commands[0], (std::vector<std::string>{"SET", "k", "a b\n", "c'd"}));
  EXPECT_EQ(out.commands[1], (std::vector<std::string>{"PING"}));
}

TEST(RespParser, SkipsEmptyLinesAndEmptyArrays) {
  auto out = feed_whole("\r\n\n*0\r\n*-1\r\nPING\r\n");
  ASSERT_EQ(out.commands.size(), 1u);
  EXPECT_TRUE(out.error.empty());
}

TEST(RespParser, SplitAtEveryByteBoundaryGivesSameCommands) {
  const std::string input =
      "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$10\r\n0123456789\r\nPING\r\n*1\r\n$4\r\nPING\r\n"
      "ECHO \"x y\"\r\n*2\r\n$3\r\nGET\r\n$0\r\n\r\n";
  const auto expected = feed_whole(input).commands;
  ASSERT_EQ(expected.size(), 5u);
  for (size_t split = 1; split < input.size(); ++split) {
    auto out = feed(input, {split, input.size() - split});
    EXPECT_EQ(out.commands, expected) << "split at " << split;
  }
  // And one byte at a time.
  EXPECT_EQ(feed(input, std::vector<size_t>(input.size(), 1)).commands, expected);
}

TEST(RespParser, RandomChunkingMatchesWholeParse) {
  std::string input;
  std::mt19937 rng(42);
  for (int i = 0; i < 200; ++i) {
    std::string value(rng() % 300, static_cast<char>('a' + i % 26));
    input += "*3\r\n$3\r\nSET\r\n$" + std::to_string(std::to_string(i).size()) + "\r\n" +
             std::to_string(i) + "\r\n$" + std::to_string(value.size()) + "\r\n" + value + "\r\n";
  }
  const auto expected = feed_whole(input).commands;
  ASSERT_EQ(expected.size(), 200u);
  for (int round = 0; round < 50; ++round) {
    std::vector<size_t> pieces;
    for (size_t left = input.size(); left > 0;) {
      size_t piece = std::min<size_t>(left, 1 + rng() % 97);
      pieces.push_back(piece);
      left -= piece;
    }
    EXPECT_EQ(feed(input, pieces).commands, expected);
  }
}

TEST(RespParser, RejectsWhatRedisRejectsWithItsWords) {
  EXPECT_EQ(feed_whole("*abc\r\n").error, "Protocol error: invalid multibulk length");
  EXPECT_EQ(feed_whole("*3000000000\r\n").error, "Protocol error: invalid multibulk length");
  EXPECT_EQ(feed_whole("*1\r\n+foo\r\n").error, "Protocol error: expected '$', got '+'");
  EXPECT_EQ(feed_whole("*1\r\n$-5\r\n").error, "Protocol error: invalid bulk length");
  EXPECT_EQ(feed_whole("*1\r\n$x\r\n").error, "Protocol error: invalid bulk length");
  EXPECT_EQ(feed_whole("*1\r\n$536870913\r\n").error, "Protocol error: invalid bulk length");
  EXPECT_EQ(feed_whole("SET \"unterminated\r\n").error,
            "Protocol error: unbalanced quotes in request");
  EXPECT_EQ(feed_whole(std::string(70000, 'a')).error, "Protocol error: too big inline request");
  EXPECT_EQ(feed_whole("*" + std::string(70000, '1')).error,
            "Protocol error: too big mbulk count string");
  EXPECT_EQ(feed_whole("*1\r\n$" + std::string(70000, '1')).error,
            "Protocol error: too big bulk count string");
}

TEST(RespParser, UnauthenticatedClientsGetSmallLimits) {
  RespParser parser;
  parser.set_authenticated(false);
  std::string many = "*11\r\n";
  EXPECT_EQ(parser.parse(many).status, RespParser::Status::kError);
  EXPECT_EQ(parser.error(), "Protocol error: unauthenticated multibulk length");
  std::string big = "*1\r\n$16385\r\n";
  EXPECT_EQ(parser.parse(big).status, RespParser::Status::kError);
  EXPECT_EQ(parser.error(), "Protocol error: unauthenticated bulk length");
}

TEST(RespParser, ReportsPendingBulkBytesForLargeValues) {
  RespParser parser;
  std::string partial = "*2\r\n$3\r\nSET\r\n$100000\r\nabc";
  EXPECT_EQ(parser.parse(partial).status, RespParser::Status::kNeedMore);
  EXPECT_EQ(parser.pending_bulk_bytes(), 100000u - 3 + 2);
}

TEST(RespParser, HostileRandomBytesNeverCrash) {
  std::mt19937 rng(7);
  for (int round = 0; round < 2000; ++round) {
    std::string junk(rng() % 64, '\0');
    for (char& c : junk) c = "*$\r\n0123456789-+ab\""[rng() % 19];
    RespParser parser;
    std::string buffer = junk;
    for (int steps = 0; steps < 100; ++steps) {
      auto result = parser.parse(buffer);
      if (result.status == RespParser::Status::kNeedMore ||
          result.status == RespParser::Status::kError) {
        break;
      }
      ASSERT_LE(result.consumed, buffer.size());
      ASSERT_GT(result.consumed, 0u);
      buffer.erase(0, result.consumed);
    }
  }
}

}  // namespace
}  // namespace tandem
