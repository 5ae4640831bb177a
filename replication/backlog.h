// The replication backlog: the stream of propagated commands, shared by every replica.
//
// One append-only buffer of fixed-size chunks in a singly linked list. One writer (the main
// thread, Replication::feed) appends bytes and then publishes the new end position with release
// ordering; readers (each replica's stream, or any other thread) hold a Cursor at their own
// position and read up to the end they load with acquire ordering, without locks. What a reader
// sees below the published end is complete and never changes.
//
// Positions count bytes from the start of the replication stream: the byte at position p has
// Redis's replication offset p + 1, so end() is master_repl_offset and begin() + 1 is INFO's
// repl_backlog_first_byte_offset.
//
// The window: the backlog keeps what Redis 7.0 would keep for the same stream (a little more
// than the last repl-backlog-size bytes, trimmed in Redis's whole blocks: see
// replication/backlog_window.h), so INFO's repl_backlog_* fields and PSYNC answer as Redis's do;
// a cursor can only be opened inside [begin(), end()]. The bytes themselves live in fixed chunks
// of our own. Chunks are shared_ptrs linked through `next`, so a reader's cursor keeps its chunk
// and every later one alive after the writer dropped them from the window: a slow replica still
// gets its whole stream, and what it holds is bounded by the replica output buffer limit (the
// caller drops it past that).
//
// Lifetime: the Backlog must outlive its cursors (cursors read its published end).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>

#include "replication/backlog_window.h"

namespace tandem {

class Backlog {
  struct Chunk;

 public:
  static constexpr size_t kChunkBytes = 16 * 1024;

  // `start` is the position of the first byte that will be appended (master_repl_offset).
  Backlog(int64_t start, size_t window);
  Backlog(const Backlog&) = delete;
  Backlog& operator=(const Backlog&) = delete;

  // Writer only: appends and publishes `bytes`, then trims the window. `pieces` are the sizes of
  // the parts Redis would append one by one (they add up to bytes.size()); empty: one piece.
  void append(std::string_view bytes, std::span<const size_t> pieces = {});
  // Writer only: CONFIG SET repl-backlog-size. Growing keeps only what is still held.
  void resize(size_t window);

  // The position after the last published byte; safe from any thread.
  int64_t end() const { return end_.load(std::memory_order_acquire); }
  // Writer side: the first position PSYNC can still serve, and the window size.
  int64_t begin() const { return begin_; }
  int64_t histlen() const { return written_ - begin_; }
  // Memory of every chunk still alive, whether the window or a lagging cursor holds it (INFO's
  // mem_total_replication_buffers), and of the chunks the window itself holds
  // (mem_replication_backlog); safe from any thread.
  size_t allocated_bytes() const {
    return live_chunks_->load(std::memory_order_relaxed) * kChunkBytes;
  }
  size_t window_bytes() const;
  size_t window() const { return window_.size(); }

  // A reader's position in the stream; may be moved to another thread.
  class Cursor {
   public:
    int64_t position() const { return position_; }
    // Published bytes not read yet.
    int64_t lag() const { return backlog_->end() - position_; }
    // The next readable bytes without copying (at most to the end of one chunk), valid until
    // the cursor moves; empty when caught up.
    std::string_view peek();
    // Moves past `n` read bytes and lets go of the chunks left behind, so that a cursor only
    // ever holds the history it has not read yet.
    void advance(size_t n);

   private:
    friend class Backlog;
    Cursor(const Backlog* backlog, std::shared_ptr<Chunk> chunk, int64_t position)
        : backlog_(backlog), chunk_(std::move(chunk)), position_(position) {}
    const Backlog* backlog_;
    std::shared_ptr<Chunk> chunk_;
    int64_t position_;
  };

  // Writer side: a cursor at `position`, or nullopt when it is outside [begin(), end()].
  std::optional<Cursor> cursor_at(int64_t position) const;

 private:
  // Shared, so that whichever owner destroys the last chunk can still count it out.
  using Counter = std::shared_ptr<std::atomic<size_t>>;
  struct Chunk {
    Chunk(int64_t s, Counter c) : start(s), data(new char[kChunkBytes]), live(std::move(c)) {
      live->fetch_add(1, std::memory_order_relaxed);
    }
    ~Chunk();  // unlinks the chain iteratively: a long list must not recurse
    const int64_t start;
    const std::unique_ptr<char[]> data;
    std::shared_ptr<Chunk> next;  // set by the writer before any byte past this chunk is published
    const Counter live;
  };

  void trim();

  Counter live_chunks_ = std::make_shared<std::atomic<size_t>>(0);
  BacklogWindow window_;  // where begin_ goes
  int64_t begin_;
  int64_t written_;  // writer's end, published into end_
  std::atomic<int64_t> end_;
  std::shared_ptr<Chunk> head_;  // oldest chunk holding a byte of the window
  Chunk* tail_;                  // the chunk being filled
};

}  // namespace tandem
