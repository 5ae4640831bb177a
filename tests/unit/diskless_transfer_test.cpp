#include "replication/diskless_transfer.h"

#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <thread>

#include "rdb/source.h"
#include "storage/keyspace.h"

namespace tandem {
namespace {

constexpr int64_t kNow = 1'700'000'000'000;

void fill(Keyspace& ks, int keys) {
  for (int i = 0; i < keys; ++i) {
    ks.db(i % 3).set("key:" + std::to_string(i),
                     Value::from_string(std::string(100, 'a' + i % 26)));
  }
}

// Reads every piece as one reader would, releasing each after reading it.
std::string read_all(DisklessTransfer& transfer) {
  std::string out;
  size_t index = 0;
  for (;;) {
    if (auto piece = transfer.piece(index)) {
      out += *piece;
      transfer.consumed_up_to(++index);
    } else if (transfer.done() && index == transfer.pieces_written()) {
      return out;
    } else {
      std::this_thread::yield();
    }
  }
}

TEST(DisklessTransfer, PayloadIsFramedByTheEofMarkAndLoads) {
  Keyspace ks(16);
  fill(ks, 20000);  // megabytes: more pieces than the queue holds at once
  auto transfer = std::make_unique<DisklessTransfer>(
      rdb::freeze(ks), rdb::SnapshotInfo{.redis_version = "7.0.15", .replication = {}},
      rdb::SaveOptions{.encode = {.compression = false}});
  std::string payload = read_all(*transfer);
  EXPECT_FALSE(transfer->failed());
  std::smatch match;
  ASSERT_TRUE(std::regex_search(payload, match, std::regex("^\\$EOF:([0-9a-f]{40})\r\n")));
  const std::string mark = match[1];
  ASSERT_TRUE(payload.ends_with(mark));
  std::string rdb = payload.substr(match.length(), payload.size() - match.length() - mark.size());
  Keyspace loaded(16);
  rdb::StringSource source(rdb);
  auto stats = rdb::load_keyspace(source, {}, kNow, loaded);
  ASSERT_TRUE(stats) << stats.error().message;
  EXPECT_EQ(stats->keys_loaded, 20000u);
}

TEST(DisklessTransfer, DestroyingItStopsAWriterWaitingForRoom) {
  Keyspace ks(16);
  fill(ks, 50000);
  auto transfer = std::make_unique<DisklessTransfer>(
      rdb::freeze(ks), rdb::SnapshotInfo{.redis_version = "7.0.15", .replication = {}},
      rdb::SaveOptions{.encode = {.compression = false}});
  // 50000 uncompressed keys are about 6 MB, more than the queue's 64 pieces of 64 KB.
  while (transfer->pieces_written() < DisklessTransfer::kMaxQueuedPieces && !transfer->done()) {
    std::this_thread::yield();
  }
  EXPECT_FALSE(transfer->done());  // nobody reads: the writer waits for room
  transfer.reset();                // must return: the writer is told to stop
}

}  // namespace
}  // namespace tandem
