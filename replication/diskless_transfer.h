// A diskless full sync (repl-diskless-sync yes): the snapshot is encoded on a writer thread
// straight into pieces of memory that the main thread sends to every replica of the transfer,
// with Redis's framing for a payload of unknown length:
//
//   $EOF:<40 random chars>\r\n <RDB bytes> <the same 40 chars>
//
// The writer (one thread) appends pieces under a mutex; the main thread reads them by index, one
// cursor per replica, and reports how far the slowest replica got: pieces before that are
// dropped, and the writer waits while more than kMaxQueuedPieces are unsent, so memory stays
// bounded by the slowest replica, as Redis's pipe from its child does. The frozen keyspace is
// read by the writer only; it is destroyed with the transfer, on the main thread, after the
// writer was joined (see rdb::freeze). Each piece records how many keys the writer had encoded
// when it queued it, so INFO can tell how many keys a replica has received.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "rdb/snapshot.h"

namespace tandem {

class DisklessTransfer {
 public:
  static constexpr size_t kMaxQueuedPieces = 64;  // of about 64 KB each

  DisklessTransfer(rdb::FrozenKeyspace frozen, rdb::SnapshotInfo info, rdb::SaveOptions options);
  // Stops the writer if it still runs (its next piece fails) and joins it.
  ~DisklessTransfer();
  DisklessTransfer(const DisklessTransfer&) = delete;
  DisklessTransfer& operator=(const DisklessTransfer&) = delete;

  // Piece `index` of the payload, or nullptr when it is not written yet (or already dropped).
  std::shared_ptr<const std::string> piece(size_t index);
  // Keys encoded when piece `index` was queued: what a reader has delivered once it sent that
  // piece, to within the one key a piece may cut in two (0 when the piece is not held).
  uint64_t keys_through(size_t index);
  // Keys the writer has encoded so far, and keys in the frozen view (INFO's
  // current_save_keys_processed / current_save_keys_total).
  uint64_t keys_encoded() const { return keys_encoded_.load(std::memory_order_relaxed); }
  uint64_t keys_total() const { return keys_total_; }
  // The writer finished: every piece is there (or it failed).
  bool done();
  bool failed();
  size_t pieces_written();
  // Every reader is at or past `index`: the pieces before it may go.
  void consumed_up_to(size_t index);

 private:
  void write_all(rdb::SnapshotInfo info, rdb::SaveOptions options);
  bool push(std::string piece);  // false once cancelled

  std::mutex mutex_;
  std::condition_variable room_;
  struct Piece {
    std::shared_ptr<const std::string> bytes;
    uint64_t keys_through = 0;  // keys encoded when it was queued
  };
  std::deque<Piece> pieces_;
  size_t first_ = 0;     // index of pieces_.front()
  size_t consumed_ = 0;  // every reader is past this index
  bool done_ = false;
  bool failed_ = false;
  bool cancel_ = false;
  std::atomic<uint64_t> keys_encoded_{0};  // the writer's count (rdb::SaveOptions::keys_saved)
  rdb::FrozenKeyspace frozen_;
  uint64_t keys_total_ = 0;
  std::thread thread_;
};

}  // namespace tandem
