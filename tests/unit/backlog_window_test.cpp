#include "replication/backlog_window.h"

#include <gtest/gtest.h>

namespace tandem {
namespace {

TEST(BacklogWindow, BlocksTakeJemallocsSizeClasses) {
  // A 16 KB block plus its 40-byte header lands in jemalloc's 20 KB class.
  EXPECT_EQ(BacklogWindow::allocation_size(16 * 1024 + 40), 20480u);
  EXPECT_EQ(BacklogWindow::allocation_size(20480), 20480u);
  EXPECT_EQ(BacklogWindow::allocation_size(20481), 24576u);
  EXPECT_EQ(BacklogWindow::allocation_size(100040), 114688u);
  EXPECT_EQ(BacklogWindow::allocation_size(65536), 65536u);
}

TEST(BacklogWindow, KeepsEverythingUntilTheSizeIsExceeded) {
  BacklogWindow window(1000, 40000);
  EXPECT_EQ(window.begin(), 1000);
  for (int i = 0; i < 40; ++i) window.append(1000);
  EXPECT_EQ(window.begin(), 1000);
  EXPECT_EQ(window.end(), 41000);
}

TEST(BacklogWindow, DropsWholeBlocksWhileTheRestStillExceedsTheSize) {
  BacklogWindow window(1000, 40000);
  for (int i = 0; i < 100; ++i) window.append(1000);
  // Blocks of 20440 bytes start at 1000, 21440, 41880, 62320 and 82760; without the one at
  // 41880 only 38680 bytes would be left, fewer than the size.
  EXPECT_EQ(window.end(), 101000);
  EXPECT_EQ(window.begin(), 41880);
}

TEST(BacklogWindow, NeverDropsTheLastBlock) {
  BacklogWindow window(0, 16384);  // the smallest backlog: one block is larger
  window.append(20000);
  EXPECT_EQ(window.begin(), 0);
  window.append(1000);  // 440 bytes fill the block, 560 go to a new one
  EXPECT_EQ(window.begin(), 0);
  window.append(20000);
  EXPECT_EQ(window.begin(), 20440);
}

TEST(BacklogWindow, LongAppendsSplitIntoBlocksOfASixteenthOfTheSize) {
  BacklogWindow window(0, 1600000);
  // Blocks of 100000 bytes asked for, 114648 given; the rest, 70704, gets an 81880-byte one.
  window.append(300000);
  window.resize(200000);
  EXPECT_EQ(window.begin(), 0);  // without the first block: 185352 bytes
  window.resize(150000);
  EXPECT_EQ(window.begin(), 114648);
  window.resize(16384);
  EXPECT_EQ(window.begin(), 229296);
}

TEST(BacklogWindow, ShrinkingTrimsAtOnce) {
  BacklogWindow window(0, 100000);
  for (int i = 0; i < 100; ++i) window.append(1000);
  EXPECT_EQ(window.begin(), 0);
  window.resize(40000);
  EXPECT_EQ(window.begin(), 40880);  // blocks at 0, 20440, 40880, 61320, 81760
}

}  // namespace
}  // namespace tandem
