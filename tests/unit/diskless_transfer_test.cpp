#include "replication/diskless_transfer.h"

#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <thread>

#include "rdb/source.h"
#include "storage/hash.h"
#include "storage/keyspace.h"
#include "storage/list.h"
#include "tests/unit/fixed_now.h"

namespace tandem {
namespace {

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

// The main thread keeps writing to the collections the writer thread is encoding: each write
// clones what the frozen copy still shares (storage/collection.h), so the payload is the dataset
// as it was when the transfer started. Under ThreadSanitizer (build-tsan) this also proves the
// sharing itself race-free.
TEST(DisklessTransfer, WritesDuringTheTransferDoNotReachThePayload) {
  constexpr int kKeys = 200;
  Keyspace ks(16);
  for (int i = 0; i < kKeys; ++i) {
    auto list = std::make_shared<List>(-2);  // quicklist: chunks shared between copies
    for (int j = 0; j < 2000; ++j) list->push_back("element-" + std::to_string(j));
    ks.db(0).set("list:" + std::to_string(i), Value::of(list));
    auto hash = std::make_shared<Hash>();
    for (int j = 0; j < 200; ++j) hash->set("f" + std::to_string(j), "v", {});
    ks.db(1).set("hash:" + std::to_string(i), Value::of(hash));
  }
  auto transfer = std::make_unique<DisklessTransfer>(
      rdb::freeze(ks), rdb::SnapshotInfo{.redis_version = "7.0.15", .replication = {}},
      rdb::SaveOptions{.encode = {.compression = false}});
  std::string payload;
  size_t index = 0;
  for (int round = 0; !transfer->done() || index < transfer->pieces_written(); ++round) {
    // Write between reads, while the writer encodes.
    const std::string key = std::to_string(round % kKeys);
    if (auto* e = ks.db(0).find("list:" + key, kNow)) {
      List& list = e->value.mutable_as<List>();
      list.push_front("new");
      (void)list.pop_back();
    }
    if (auto* e = ks.db(1).find("hash:" + key, kNow)) {
      e->value.mutable_as<Hash>().set("f0", "changed", {});
    }
    if (round % 7 == 0) ks.db(0).erase("list:" + std::to_string((round / 7) % kKeys));
    if (auto piece = transfer->piece(index)) {
      payload += *piece;
      transfer->consumed_up_to(++index);
    }
  }
  ASSERT_FALSE(transfer->failed());
  const size_t header = payload.find("\r\n") + 2;
  std::string rdb = payload.substr(header, payload.size() - header - 40);
  Keyspace loaded(16);
  rdb::StringSource source(rdb);
  auto stats = rdb::load_keyspace(source, {}, kNow, loaded);
  ASSERT_TRUE(stats) << stats.error().message;
  EXPECT_EQ(stats->keys_loaded, 2u * kKeys);
  for (int i = 0; i < kKeys; ++i) {
    auto* list = loaded.db(0).find("list:" + std::to_string(i), kNow);
    ASSERT_TRUE(list);
    EXPECT_EQ(list->value.as<List>()->size(), 2000u);
    auto front = list->value.mutable_as<List>().pop_front();
    EXPECT_EQ(front, "element-0");
  }
}

}  // namespace
}  // namespace tandem
