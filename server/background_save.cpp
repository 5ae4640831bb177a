#include "server/background_save.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "fmt/format.h"
#include "replication/replication.h"
#include "server/log.h"
#include "server/persistence.h"
#include "server/server.h"
#include "storage/clock.h"

namespace tandem {
namespace {

// Seconds between retries after a failed background save (CONFIG_BGSAVE_RETRY_DELAY).
constexpr int64_t kRetryDelayMs = 5000;
// What the writer returns when it was stopped.
constexpr std::string_view kCancelled = "cancelled";

// A file sink that fails once the save is cancelled, so the writer stops at its next flush.
class CancellableSink final : public rdb::Sink {
 public:
  CancellableSink(int fd, const std::atomic<bool>& cancel) : file_(fd), cancel_(cancel) {}
  tl::expected<void, std::string> write(std::string_view data) override {
    if (cancel_.load(std::memory_order_relaxed)) return tl::unexpected(std::string(kCancelled));
    return file_.write(data);
  }

 private:
  rdb::FdSink file_;
  const std::atomic<bool>& cancel_;
};

// The writer thread's whole job; returns an error text, kCancelled, or "". A cancelled save
// never replaces the dump, even when cancelled after its last write.
std::string write_dump(const rdb::FrozenKeyspace& frozen, const rdb::SnapshotInfo& info,
                       rdb::SaveOptions options, const std::string& temp,
                       const std::string& target, const std::atomic<bool>& cancel,
                       rdb::KeyOffsets& offsets) {
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return fmt::format("Failed opening the temp RDB file {}: {}", temp, strerror(errno));
  options.key_offsets = &offsets;
  CancellableSink sink(fd, cancel);
  auto saved = rdb::save_frozen(frozen, info, options, sink);
  std::string error;
  if (!saved) {
    error = saved.error();
  } else if (::fsync(fd) != 0) {
    error = strerror(errno);
  }
  ::close(fd);
  if (error.empty() && cancel.load()) error = kCancelled;
  if (error.empty() && ::rename(temp.c_str(), target.c_str()) != 0) error = strerror(errno);
  if (!error.empty()) ::unlink(temp.c_str());
  return error;
}

}  // namespace

tl::expected<void, std::string> BackgroundSave::start(Server& server) {
  // A diskless transfer is the other kind of RDB child Redis can have: one at a time.
  if (in_progress() || server.replication().diskless_started_ms() != 0) {
    return tl::unexpected(std::string("Background save already in progress"));
  }
  const Config& config = server.config();
  const int64_t now = unix_time_ms();
  last_try_ms_ = started_ms_ = now;
  dirty_at_start_ = server.stats().dirty;
  frozen_ = freeze_keyspace(server);
  keys_total_ = 0;
  for (const rdb::FrozenDatabase& db : frozen_) keys_total_ += db.view.keys.size();
  keys_processed_ = 0;
  temp_path_ = fmt::format("{}/temp-{}-bg.rdb", config.dir, getpid());
  std::string target = fmt::format("{}/{}", config.dir, config.dbfilename);
  done_ = false;
  cancel_ = false;
  error_.clear();
  key_offsets_ = std::make_shared<rdb::KeyOffsets>();
  ++generation_;
  rdb::SnapshotInfo info = rdb_snapshot_info();
  info.replication = server.replication().save_info();
  rdb::SaveOptions options = rdb_save_options(config);
  options.keys_saved = &keys_processed_;
  thread_ = std::thread([this, info = std::move(info), options, target] {
    error_ = write_dump(frozen_, info, options, temp_path_, target, cancel_, *key_offsets_);
    done_.store(true, std::memory_order_release);
  });
  ++server.persistence().rdb_saves;  // as Redis 7.0, a background save counts when it starts
  log(LogLevel::kNotice, "Background saving started");
  return {};
}

void BackgroundSave::cancel() {
  if (!in_progress()) return;
  log(LogLevel::kWarning, "There is a background save in progress. Stopping it!");
  cancel_ = true;
  thread_.join();
  ::unlink(temp_path_.c_str());
  frozen_.clear();
  key_offsets_.reset();
}

void BackgroundSave::kill(Server& server) {
  if (!in_progress()) return;
  cancel_ = true;
  finish(server, unix_time_ms());
}

void BackgroundSave::finish(Server& server, int64_t now_ms) {
  thread_.join();
  frozen_.clear();  // the last references to shared collections go on the main thread
  PersistenceStats& stats = server.persistence();
  stats.last_bgsave_time_sec = (now_ms - started_ms_) / 1000;
  if (error_ == kCancelled) {
    // Redis kills its child with SIGUSR1 (10), which is not a failure: the status stays.
    log(LogLevel::kWarning, "Background saving terminated by signal 10");
  } else if (error_.empty()) {
    log(LogLevel::kNotice, "Background saving terminated with success");
    // Writes that arrived during the save are still unsaved.
    server.stats().dirty -= std::min(server.stats().dirty, dirty_at_start_);
    server.set_lastsave_seconds(now_ms / 1000);
    stats.last_save_ok = true;
  } else {
    log(LogLevel::kWarning, "Background saving error: {}", error_);
    stats.last_save_ok = false;
  }
  auto offsets = std::exchange(key_offsets_, nullptr);
  server.replication().on_background_save_done(generation_, error_.empty(), std::move(offsets));
}

void BackgroundSave::cron(Server& server, int64_t now_ms) {
  if (in_progress()) {
    if (done_.load(std::memory_order_acquire)) finish(server, now_ms);
    return;
  }
  if (server.replication().diskless_started_ms() != 0) return;  // Redis: one child at a time
  const bool may_retry = server.persistence().last_save_ok || now_ms - last_try_ms_ > kRetryDelayMs;
  if (scheduled_ && may_retry) {
    scheduled_ = !start(server).has_value();
    return;
  }
  const uint64_t dirty = server.stats().dirty;
  const int64_t since_save_ms = now_ms - server.lastsave_seconds() * 1000;
  for (const SaveRule& rule : server.config().save) {
    if (dirty >= static_cast<uint64_t>(rule.changes) && since_save_ms > rule.seconds * 1000 &&
        may_retry) {
      log(LogLevel::kNotice, "{} changes in {} seconds. Saving...", rule.changes, rule.seconds);
      (void)start(server);
      return;
    }
  }
}

}  // namespace tandem
