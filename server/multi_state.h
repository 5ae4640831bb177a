// A client's transaction state (Redis 7.0's multiState and the CLIENT_MULTI, CLIENT_DIRTY_EXEC,
// CLIENT_DIRTY_CAS and CLIENT_DENY_BLOCKING flags): the commands queued since MULTI and the keys
// WATCHed. server/dispatch.cpp queues and poisons; server/commands/transactions.cpp runs EXEC.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "server/watched_keys.h"

namespace tandem {

struct CommandSpec;

struct QueuedCommand {
  const CommandSpec* spec;
  std::vector<std::string> args;
};

struct MultiState {
  bool active = false;     // between MULTI and EXEC/DISCARD (CLIENT LIST flag 'x')
  bool aborted = false;    // a command was refused while queuing: EXEC answers EXECABORT
  bool executing = false;  // EXEC is running the queue: its commands may not block
  std::vector<QueuedCommand> commands;
  uint32_t queued_flags = 0;  // the command flags of the queue OR'ed (CLIENT PAUSE WRITE)
  size_t queued_bytes = 0;    // Redis's argv_len_sums (CLIENT LIST multi-mem)
  WatchState watch;           // watch.dirty is CLIENT_DIRTY_CAS (CLIENT LIST flag 'd')

  // Redis's discardTransaction: no transaction any more, no watches.
  void discard(WatchedKeys& watched_keys) {
    active = aborted = executing = false;
    commands.clear();
    queued_flags = 0;
    queued_bytes = 0;
    watched_keys.unwatch_all(watch);
    watch.dirty = false;
  }
};

}  // namespace tandem
