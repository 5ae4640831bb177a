#include "replication/backlog.h"

#include <algorithm>
#include <cstring>

namespace tandem {

Backlog::Chunk::~Chunk() {
  // Only the last owner may take the next link apart; nobody else can reach it then.
  while (next && next.use_count() == 1) next = std::move(next->next);
  live->fetch_sub(1, std::memory_order_relaxed);
}

Backlog::Backlog(int64_t start, size_t window)
    : window_(start, window),
      begin_(start),
      written_(start),
      end_(start),
      head_(std::make_shared<Chunk>(start, live_chunks_)),
      tail_(head_.get()) {}

void Backlog::append(std::string_view bytes, std::span<const size_t> pieces) {
  if (pieces.empty()) {
    window_.append(bytes.size());
  } else {
    for (size_t piece : pieces) window_.append(piece);
  }
  while (!bytes.empty()) {
    size_t used = static_cast<size_t>(written_ - tail_->start);
    if (used == kChunkBytes) {
      tail_->next = std::make_shared<Chunk>(written_, live_chunks_);
      tail_ = tail_->next.get();
      used = 0;
    }
    size_t n = std::min(bytes.size(), kChunkBytes - used);
    std::memcpy(tail_->data.get() + used, bytes.data(), n);
    written_ += static_cast<int64_t>(n);
    bytes.remove_prefix(n);
  }
  end_.store(written_, std::memory_order_release);
  trim();
}

void Backlog::resize(size_t window) {
  window_.resize(window);
  trim();
}

void Backlog::trim() {
  begin_ = window_.begin();
  while (head_.get() != tail_ && head_->start + static_cast<int64_t>(kChunkBytes) <= begin_) {
    head_ = head_->next;  // a reader still on the old head keeps it (and what follows) alive
  }
}

std::optional<Backlog::Cursor> Backlog::cursor_at(int64_t position) const {
  if (position < begin_ || position > written_) return std::nullopt;
  std::shared_ptr<Chunk> chunk = head_;
  while (chunk->next && chunk->next->start <= position) chunk = chunk->next;
  return Cursor(this, std::move(chunk), position);
}

size_t Backlog::window_bytes() const {
  size_t chunks = 1;
  for (const Chunk* c = head_.get(); c != tail_; c = c->next.get()) ++chunks;
  return chunks * kChunkBytes;
}

void Backlog::Cursor::advance(size_t n) {
  position_ += static_cast<int64_t>(n);
  // A published byte past a chunk proves the writer linked the next one (see peek()).
  const int64_t end = backlog_->end();
  for (int64_t chunk_end = chunk_->start + static_cast<int64_t>(kChunkBytes);
       position_ >= chunk_end && chunk_end < end; chunk_end += static_cast<int64_t>(kChunkBytes)) {
    chunk_ = chunk_->next;
  }
}

std::string_view Backlog::Cursor::peek() {
  const int64_t end = backlog_->end();
  if (position_ >= end) return {};
  while (position_ >= chunk_->start + static_cast<int64_t>(kChunkBytes)) {
    chunk_ = chunk_->next;  // published past this chunk, so `next` is set and visible
  }
  const int64_t chunk_end = std::min(end, chunk_->start + static_cast<int64_t>(kChunkBytes));
  return {chunk_->data.get() + (position_ - chunk_->start),
          static_cast<size_t>(chunk_end - position_)};
}

}  // namespace tandem
