// Which part of the stream the backlog keeps, decided exactly as Redis 7.0 decides it, so that
// INFO's repl_backlog_histlen and repl_backlog_first_byte_offset, and the offsets PSYNC accepts,
// are Redis's for the same stream.
//
// Redis 7.0 keeps the stream in a list of blocks (its "replication buffer"). Each append
// (feedReplicationBuffer: one call per protocol piece) fills the tail block; what does not fit
// goes into new blocks of the rest's size, at least 16 KB and at most repl-backlog-size / 16
// (when that is larger), each rounded up by jemalloc to its size class and used whole. The backlog
// drops its first block only while the history without that block would still exceed
// repl-backlog-size, and never its last block: once the stream is longer than the window, histlen
// stays within (size, size + the first block's size].
//
// In Redis a replica that still reads the first block postpones its trimming; once it has
// caught up (and every INFO a test compares comes then) the result is the one modelled here.
// tandem's readers keep their own chunks alive instead (replication/backlog.h), so they never
// hold the window open. Redis also trims at most 10 blocks per call; here every trimmable block
// goes at once, which is where Redis ends up as soon as its replicas have read the stream.
//
// Only positions are kept, no bytes: the Backlog stores the data in its own chunks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>

namespace tandem {

class BacklogWindow {
 public:
  // Redis's PROTO_REPLY_CHUNK_BYTES (the smallest block) and sizeof(replBufBlock).
  static constexpr size_t kMinBlockBytes = 16 * 1024;
  static constexpr size_t kBlockHeaderBytes = 40;

  // `start`: the position of the first byte to come; `size`: repl-backlog-size.
  BacklogWindow(int64_t start, size_t size) : size_(size), end_(start) {}

  // One of Redis's appends of `n` bytes.
  void append(size_t n);
  // CONFIG SET repl-backlog-size.
  void resize(size_t size);

  // The first position kept, and the position after the last byte.
  int64_t begin() const { return blocks_.empty() ? end_ : blocks_.front().start; }
  int64_t end() const { return end_; }
  size_t size() const { return size_; }

  // What jemalloc 5 (Redis's allocator on Debian) really allocates for a request of `n` bytes,
  // for the sizes a block request can have (above 16 KB): four size classes per power of two.
  static size_t allocation_size(size_t n);

 private:
  struct Block {
    int64_t start;
    int64_t capacity;
  };
  void trim();

  size_t size_;
  int64_t end_;
  std::deque<Block> blocks_;  // the backlog's blocks, oldest first
};

}  // namespace tandem
