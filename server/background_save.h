// BGSAVE: the dataset written to the RDB file on a thread while the main thread keeps serving.
//
// start() freezes the keyspace on the main thread (keys and strings copied, collections shared
// copy-on-write, see rdb::freeze) and hands the copy to a writer thread, which encodes it to
// temp-<pid>-bg.rdb, fsyncs and renames it over the dump, as Redis's forked child does. The
// main thread only reads `done_`; poll() (from the cron) joins the thread, drops the frozen copy
// on the main thread and updates the counters. cancel() (SHUTDOWN, SAVE paths, destruction)
// makes the writer's next write fail, joins it and removes the temp file, like killRDBChild;
// kill() (FLUSHALL) does the same and then reports the end as Redis does for a child it killed.
// A cancelled save never replaces the dump: a check after its last write keeps the rename out.
// The `save` rules of the config are checked here too, once per cron tick. Replication waits on
// the same saves (a disk-based full sync sends the dump): finish() tells it how the save ended,
// and the file carries the repl-* AUX fields while a backlog exists.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>

#include "rdb/key_offsets.h"
#include "rdb/snapshot.h"
#include "tl/expected.hpp"

namespace tandem {

class Server;

class BackgroundSave {
 public:
  BackgroundSave() = default;
  BackgroundSave(const BackgroundSave&) = delete;
  BackgroundSave& operator=(const BackgroundSave&) = delete;
  ~BackgroundSave() { cancel(); }

  bool in_progress() const { return thread_.joinable(); }
  // Counts the saves started: replicas waiting for a snapshot know which save is theirs.
  uint64_t generation() const { return generation_; }
  int64_t started_ms() const { return started_ms_; }
  // The running save's progress (INFO's current_save_keys_*): keys written so far, read while
  // the writer thread counts them, and keys in the frozen view; both 0 when no save runs.
  uint64_t keys_processed() const {
    return in_progress() ? keys_processed_.load(std::memory_order_relaxed) : 0;
  }
  uint64_t keys_total() const { return in_progress() ? keys_total_ : 0; }

  tl::expected<void, std::string> start(Server& server);
  // BGSAVE inside EXEC: the cron starts it once no save runs (Redis's rdb_bgsave_scheduled).
  void schedule() { scheduled_ = true; }
  void cancel();
  // FLUSHALL, as Redis's killRDBChild and then its backgroundSaveDoneHandler: stops the save,
  // logs "terminated by signal 10" (rdb_last_bgsave_status stays as it was) and drops the
  // replicas waiting for this file; they sync again. A save that had already replaced the dump
  // ends as a success instead, as a child that exited just before the signal does.
  void kill(Server& server);
  // Cron: finishes a completed save, or starts one a `save` rule asks for.
  void cron(Server& server, int64_t now_ms);

 private:
  void finish(Server& server, int64_t now_ms);

  std::thread thread_;
  std::atomic<bool> done_{false};
  std::atomic<bool> cancel_{false};
  std::atomic<uint64_t> keys_processed_{0};  // written by the writer thread only
  uint64_t keys_total_ = 0;
  std::string error_;  // written by the thread before done_
  std::string temp_path_;
  rdb::FrozenKeyspace frozen_;
  std::shared_ptr<rdb::KeyOffsets> key_offsets_;  // filled by the writer; handed to replication
  uint64_t dirty_at_start_ = 0;
  int64_t started_ms_ = 0;
  int64_t last_try_ms_ = 0;
  uint64_t generation_ = 0;
  bool scheduled_ = false;
};

}  // namespace tandem
