// Blocking commands (BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP, BZPOPMIN, BZPOPMAX, BZMPOP):
// clients waiting for keys, as Redis 7.0's blocked.c.
//
// API for a command handler (see server/commands/lists.cpp for the list commands):
//
//   auto deadline = parse_block_timeout(ctx, ctx.args[timeout_index]);  // replies on error
//   if (!deadline) return;
//   ... try to serve at once from the first non-empty key; reply and return if it could ...
//   if (!ctx.server.blocking().block(ctx, keys, *deadline, ValueType::kList)) {
//     return ctx.reply.null_array();  // blocking denied (inside EXEC): answer as Redis does
//   }
//   return;  // blocked: no reply now
//
// - block() records the client, a copy of its arguments and its keys (duplicates ignored), and
//   sets Client::blocked. The session (server/client_session.cpp) then stops reading the
//   client's input until it is unblocked, so its pipelined requests wait behind the blocked one.
// - Any write that stores a key (Database::set, through the keyspace's on_set hook) marks
//   (db, key) ready if someone is blocked on it; a command may also call signal_key_ready().
// - After each top-level command (after the whole EXEC of a transaction), the session calls
//   handle_ready_keys() (Redis's handleClientsBlockedOnKeys): for each ready key, in the order
//   they became ready, the clients blocked on it are served in the order they blocked, each by
//   running its command's handler again. A key missing or holding another type than the one
//   the client waits for leaves it blocked (Redis 7.0). A re-run handler that finds nothing to
//   serve calls block() again: the client then keeps its place and its original deadline.
//   Serving may make more keys ready (BLMOVE's destination); they are served in the same pass.
// - Timeouts: the client gets a null array (RESP3 null), as replyToBlockedClientTimedOut does
//   for lists, sorted sets and streams. CLIENT UNBLOCK id [TIMEOUT|ERROR] answers the same, or
//   "-UNBLOCKED client unblocked via CLIENT UNBLOCK".
// - An unblocked client's session is resumed from the reactor's before-sleep hook, never from
//   inside another client's command, and before replies are flushed, so what it runs next is
//   sent in the same loop turn.
// - A disconnecting client is forgotten through Server::remove_client().
//
// Invariants: a client id is in by_client_ iff Client::blocked is true, and then it appears
// exactly once in the FIFO of each of its keys and once in deadlines_ when it has a deadline.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "server/task.h"
#include "storage/collection.h"

namespace tandem {

class Server;
struct Client;
struct CommandContext;
struct CommandSpec;

// Redis's getTimeoutFromObjectOrReply (seconds, decimals allowed): the absolute deadline in
// unix ms, 0 for "forever". Replies "ERR timeout is not a float or out of range" or
// "ERR timeout is negative" and returns nullopt when invalid.
std::optional<int64_t> parse_block_timeout(CommandContext& ctx, std::string_view arg);

class Blocking {
 public:
  explicit Blocking(Server& server) : server_(server) {}
  Blocking(const Blocking&) = delete;
  Blocking& operator=(const Blocking&) = delete;

  // Blocks the calling client on `keys` of its database until one holds a value of `type`, or
  // until `deadline_ms` (unix ms; 0 = never). Returns false, doing nothing, when the client
  // may not block (a command run by EXEC): the caller answers as with an expired timeout.
  bool block(CommandContext& ctx, std::span<const std::string_view> keys, int64_t deadline_ms,
             ValueType type);

  // A key was stored: clients blocked on it will be looked at after the current command.
  void signal_key_ready(int db, std::string_view key);
  // SWAPDB gave database `db` new contents: every key someone is blocked on there that it now
  // holds is ready (Redis's scanDatabaseForReadyKeys).
  void signal_db_ready(int db);
  // Serves the clients blocked on the keys made ready so far (see above).
  void handle_ready_keys();

  // CLIENT UNBLOCK: true if the client was blocked here (it is then answered and resumed).
  bool unblock(uint64_t client_id, bool with_error);
  // Answers every blocked client with `error` and closes it once that reply is sent (Redis's
  // disconnectAllBlockedClients, when the server turns into a replica).
  void unblock_all(std::string_view error);
  // Forgets a client that is going away.
  void remove_client(Client& client);

  // Whether a blocked client's command is being re-run now that a key is ready: Redis names
  // some propagated arguments itself on that path (BLMOVE's ends, in lower case).
  bool serving() const { return serving_ != 0; }

  size_t blocked_clients() const { return by_client_.size(); }
  size_t clients_with_timeout() const { return deadlines_.size(); }

  // Resumes the sessions of clients unblocked since the last call (the before-sleep hook).
  void resume_unblocked();

 private:
  struct Blocked {
    Client* client;
    const CommandSpec* spec;
    std::vector<std::string> args;
    std::vector<std::string> keys;
    int db;
    int64_t deadline_ms;
    ValueType type;
  };
  using KeyQueues = std::map<std::string, std::deque<uint64_t>, std::less<>>;

  void serve_key(int db, const std::string& key);
  void serve(uint64_t id);
  // Removes the client from every index and queues its session to be resumed.
  void finish(uint64_t id);
  Task expire_timeouts();

  Server& server_;
  std::unordered_map<uint64_t, Blocked> by_client_;
  std::map<int, KeyQueues> by_key_;
  std::vector<std::pair<int, std::string>> ready_;
  std::set<std::pair<int, std::string>, std::less<>> ready_set_;
  std::set<std::pair<int64_t, uint64_t>> deadlines_;
  bool timeout_task_running_ = false;
  std::vector<uint64_t> to_resume_;
  // The client whose command is being re-run by serve(), and whether it asked to block again.
  uint64_t serving_ = 0;
  bool reblocked_ = false;
};

}  // namespace tandem
