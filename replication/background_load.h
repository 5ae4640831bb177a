// Decodes an RDB into a fresh Keyspace on a thread of its own, so the main thread goes on
// serving the old dataset while a replica loads its master's snapshot. The RDB is a file
// (repl-diskless-load disabled: received to disk first) or a pipe the main thread writes the
// payload into as it arrives (swapdb, on-empty-db: decoded while it is received).
//
// Ownership: the thread touches only this object's keyspace, path, pipe read end and result;
// the main thread reads them only after wait() returned (the eventfd write/read orders the two),
// and alone owns the pipe's write end. The destructor cancels (the decoder's next read fails;
// closing the write end ends a read waiting on the pipe) and joins, so the thread never outlives
// its data.
#pragma once

#include <atomic>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <thread>

#include "rdb/decoder.h"
#include "rdb/snapshot.h"
#include "server/reactor.h"
#include "server/task.h"
#include "storage/keyspace.h"
#include "tl/expected.hpp"

namespace tandem {

class BackgroundLoad {
 public:
  // Keeps every key, expired or not: a replica waits for its master's DEL.
  static constexpr int64_t kKeepExpired = std::numeric_limits<int64_t>::min();
  // Starts decoding `path` into a keyspace of `databases` databases, skipping the keys expired at
  // `now_ms` (a master's start-up) unless it is kKeepExpired.
  BackgroundLoad(std::string path, int databases, rdb::LoadOptions options,
                 int64_t now_ms = kKeepExpired);
  // Starts decoding what is written to input_fd().
  struct FromPipe {};
  BackgroundLoad(FromPipe, int databases, rdb::LoadOptions options);
  ~BackgroundLoad();
  BackgroundLoad(const BackgroundLoad&) = delete;
  BackgroundLoad& operator=(const BackgroundLoad&) = delete;

  // Resumes the awaiting coroutine once the thread is done (at once if it already is).
  Async<> wait(Reactor& reactor);
  // Makes the decoder fail at its next read; the thread then finishes soon.
  void cancel() {
    cancelled_ = true;
    close_input();
  }
  void join();

  // The pipe's write end (FromPipe; -1 once closed or when loading a file). Main thread only.
  int input_fd() const { return input_fd_; }
  // The whole payload was written: the decoder reads end-of-file after it.
  void close_input();

  // Valid after wait(): the decoded dataset and what the decoder reported.
  Keyspace& keyspace() { return *keyspace_; }
  const tl::expected<rdb::LoadStats, std::string>& result() const { return result_; }

 private:
  void work(rdb::LoadOptions options);

  std::string path_;
  int64_t now_ms_ = kKeepExpired;
  int pipe_fd_ = -1;   // the read end, owned by the thread (FromPipe)
  int input_fd_ = -1;  // the write end, owned by the main thread
  std::unique_ptr<Keyspace> keyspace_;
  tl::expected<rdb::LoadStats, std::string> result_;
  std::atomic<bool> cancelled_{false};
  int event_fd_ = -1;
  std::thread thread_;
};

}  // namespace tandem
