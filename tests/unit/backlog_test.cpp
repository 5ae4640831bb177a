#include "replication/backlog.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>

namespace tandem {
namespace {

// Reads everything published so far through the cursor.
std::string drain(Backlog::Cursor& cursor) {
  std::string out;
  for (std::string_view piece = cursor.peek(); !piece.empty(); piece = cursor.peek()) {
    out.append(piece);
    cursor.advance(piece.size());
  }
  return out;
}

std::string pattern(size_t n, int64_t from) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) s[i] = static_cast<char>('a' + (from + i) % 26);
  return s;
}

TEST(Backlog, StartsEmptyAtTheGivenPosition) {
  Backlog backlog(100, 1024);
  EXPECT_EQ(backlog.begin(), 100);
  EXPECT_EQ(backlog.end(), 100);
  EXPECT_EQ(backlog.histlen(), 0);
  auto cursor = backlog.cursor_at(100);
  ASSERT_TRUE(cursor);
  EXPECT_TRUE(cursor->peek().empty());
}

TEST(Backlog, ReadersSeeAppendedBytesAcrossChunks) {
  Backlog backlog(0, 1 << 20);
  auto cursor = backlog.cursor_at(0);
  std::string data = pattern(3 * Backlog::kChunkBytes + 123, 0);
  backlog.append(data);
  EXPECT_EQ(backlog.end(), static_cast<int64_t>(data.size()));
  EXPECT_EQ(drain(*cursor), data);
  EXPECT_EQ(cursor->lag(), 0);
}

TEST(Backlog, WindowDropsWholeRedisBlocksOnceTheRestExceedsTheSize) {
  // As Redis 7.0: 20440-byte blocks (16 KB in jemalloc's 20 KB class) start at 0, 20440 and
  // 40880; the first goes only once the history without it still exceeds the size.
  Backlog backlog(0, 30000);
  for (int i = 0; i < 5; ++i) backlog.append(pattern(10000, i * 10000));
  EXPECT_EQ(backlog.begin(), 0);  // without the first block: 29560 bytes, not above 30000
  backlog.append(pattern(10000, 50000));
  EXPECT_EQ(backlog.begin(), 20440);
  EXPECT_EQ(backlog.histlen(), 39560);
  EXPECT_FALSE(backlog.cursor_at(20439));
  EXPECT_FALSE(backlog.cursor_at(60001));
  auto cursor = backlog.cursor_at(20440);
  ASSERT_TRUE(cursor);
  EXPECT_EQ(drain(*cursor), pattern(39560, 20440));
}

TEST(Backlog, WrapsAroundManyTimesAndCursorsStayCorrect) {
  const size_t window = 2 * Backlog::kChunkBytes;
  Backlog backlog(7, window);
  BacklogWindow redis(7, window);
  int64_t written = 7;
  for (int round = 0; round < 50; ++round) {
    std::string piece = pattern(3000 + round * 97, written);
    backlog.append(piece);
    redis.append(piece.size());
    written += static_cast<int64_t>(piece.size());
  }
  EXPECT_EQ(backlog.end(), written);
  EXPECT_EQ(backlog.begin(), redis.begin());
  EXPECT_GT(backlog.histlen(), static_cast<int64_t>(window));
  EXPECT_LE(backlog.histlen(), static_cast<int64_t>(window + 20440));
  for (int64_t at : {backlog.begin(), backlog.begin() + 1, written - 5000, written - 1, written}) {
    auto cursor = backlog.cursor_at(at);
    ASSERT_TRUE(cursor) << at;
    EXPECT_EQ(drain(*cursor), pattern(static_cast<size_t>(written - at), at)) << at;
  }
}

TEST(Backlog, SlowCursorKeepsItsChunksAfterTheyLeaveTheWindow) {
  Backlog backlog(0, 100);
  backlog.append(pattern(50, 0));
  auto slow = backlog.cursor_at(10);
  backlog.append(pattern(10 * Backlog::kChunkBytes, 50));
  EXPECT_FALSE(backlog.cursor_at(10));  // no longer offered to PSYNC
  EXPECT_EQ(slow->lag(), static_cast<int64_t>(10 * Backlog::kChunkBytes + 40));
  EXPECT_EQ(drain(*slow), pattern(10 * Backlog::kChunkBytes + 40, 10));
}

TEST(Backlog, SlowCursorReleasesChunksOnceItReadsPastThem) {
  Backlog backlog(0, 100);
  auto slow = backlog.cursor_at(0);
  backlog.append(pattern(10 * Backlog::kChunkBytes, 0));
  EXPECT_EQ(backlog.allocated_bytes(), 10 * Backlog::kChunkBytes);  // all held by `slow`
  EXPECT_EQ(backlog.window_bytes(), Backlog::kChunkBytes);
  drain(*slow);
  backlog.append("x");  // the cursor stands at the end of a full chunk until the next one exists
  drain(*slow);
  EXPECT_EQ(backlog.allocated_bytes(), backlog.window_bytes());  // the last two chunks
}

// A replica's stream reads through a copy of its cursor, sends, and only then advances the cursor
// itself by what was sent: that must let go of the chunks sent, or the link would hold the
// whole stream since it connected.
TEST(Backlog, AdvancingWithoutPeekingReleasesChunks) {
  Backlog backlog(0, 100);
  auto link = backlog.cursor_at(0);
  for (int round = 0; round < 20; ++round) {
    backlog.append(pattern(Backlog::kChunkBytes, round * Backlog::kChunkBytes));
    Backlog::Cursor reader = *link;
    link->advance(drain(reader).size());
  }
  EXPECT_LE(backlog.allocated_bytes(), 2 * Backlog::kChunkBytes);
  EXPECT_EQ(link->lag(), 0);
}

TEST(Backlog, ResizeShrinksTheWindowAtOnceAndGrowsItGoingForward) {
  Backlog backlog(0, 100000);
  const size_t pieces[] = {20000, 20000, 20000};  // blocks at 0, 20440 and 40880
  backlog.append(pattern(60000, 0), pieces);
  EXPECT_EQ(backlog.begin(), 0);
  backlog.resize(30000);
  EXPECT_EQ(backlog.begin(), 20440);
  backlog.resize(100000);
  EXPECT_EQ(backlog.begin(), 20440);  // what was dropped stays dropped
  backlog.append(pattern(5000, 60000));
  EXPECT_EQ(backlog.histlen(), 44560);
}

TEST(Backlog, ConcurrentReaderSeesTheExactStream) {
  constexpr int64_t kTotal = 8 * 1024 * 1024;
  Backlog backlog(0, 64 * 1024);
  auto cursor = *backlog.cursor_at(0);
  std::string seen;
  std::thread reader([&] {
    seen.reserve(kTotal);
    while (static_cast<int64_t>(seen.size()) < kTotal) {
      std::string_view piece = cursor.peek();
      if (piece.empty()) {
        std::this_thread::yield();
        continue;
      }
      seen.append(piece);
      cursor.advance(piece.size());
    }
  });
  int64_t written = 0;
  for (size_t step = 1; written < kTotal; step = step * 7 % 5003 + 1) {
    size_t n = static_cast<size_t>(std::min<int64_t>(step, kTotal - written));
    backlog.append(pattern(n, written));
    written += static_cast<int64_t>(n);
  }
  reader.join();
  EXPECT_EQ(seen, pattern(kTotal, 0));
}

}  // namespace
}  // namespace tandem
