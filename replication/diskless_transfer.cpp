#include "replication/diskless_transfer.h"

#include <functional>

#include "replication/replication_state.h"

namespace tandem {
namespace {

// Hands every encoder flush to the transfer as one piece.
class PieceSink final : public rdb::Sink {
 public:
  explicit PieceSink(std::function<bool(std::string)> push) : push_(std::move(push)) {}
  tl::expected<void, std::string> write(std::string_view data) override {
    if (!push_(std::string(data))) return tl::unexpected(std::string("cancelled"));
    return {};
  }

 private:
  std::function<bool(std::string)> push_;
};

}  // namespace

DisklessTransfer::DisklessTransfer(rdb::FrozenKeyspace frozen, rdb::SnapshotInfo info,
                                   rdb::SaveOptions options)
    : frozen_(std::move(frozen)) {
  options.keys_saved = &keys_encoded_;  // written by the writer only; push() copies it
  for (const rdb::FrozenDatabase& db : frozen_) keys_total_ += db.view.keys.size();
  thread_ = std::thread([this, info = std::move(info), options] { write_all(info, options); });
}

DisklessTransfer::~DisklessTransfer() {
  {
    std::lock_guard lock(mutex_);
    cancel_ = true;
  }
  room_.notify_all();
  thread_.join();
}

void DisklessTransfer::write_all(rdb::SnapshotInfo info, rdb::SaveOptions options) {
  const std::string mark = random_hex_id();
  bool ok = push("$EOF:" + mark + "\r\n");
  PieceSink sink([this](std::string piece) { return push(std::move(piece)); });
  ok = ok && rdb::save_frozen(frozen_, info, options, sink).has_value();
  ok = ok && push(mark);
  std::lock_guard lock(mutex_);
  done_ = true;
  failed_ = !ok;
}

bool DisklessTransfer::push(std::string piece) {
  auto shared = std::make_shared<const std::string>(std::move(piece));
  std::unique_lock lock(mutex_);
  room_.wait(lock,
             [&] { return cancel_ || first_ + pieces_.size() - consumed_ < kMaxQueuedPieces; });
  if (cancel_) return false;
  pieces_.push_back({std::move(shared), keys_encoded_.load(std::memory_order_relaxed)});
  return true;
}

std::shared_ptr<const std::string> DisklessTransfer::piece(size_t index) {
  std::lock_guard lock(mutex_);
  if (index < first_ || index >= first_ + pieces_.size()) return nullptr;
  return pieces_[index - first_].bytes;
}

uint64_t DisklessTransfer::keys_through(size_t index) {
  std::lock_guard lock(mutex_);
  if (index < first_ || index >= first_ + pieces_.size()) return 0;
  return pieces_[index - first_].keys_through;
}

bool DisklessTransfer::done() {
  std::lock_guard lock(mutex_);
  return done_;
}

bool DisklessTransfer::failed() {
  std::lock_guard lock(mutex_);
  return failed_;
}

size_t DisklessTransfer::pieces_written() {
  std::lock_guard lock(mutex_);
  return first_ + pieces_.size();
}

void DisklessTransfer::consumed_up_to(size_t index) {
  {
    std::lock_guard lock(mutex_);
    consumed_ = std::max(consumed_, index);
    while (first_ < consumed_ && !pieces_.empty()) {
      pieces_.pop_front();
      ++first_;
    }
  }
  room_.notify_all();
}

}  // namespace tandem
