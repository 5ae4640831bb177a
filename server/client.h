// A connected client's session state: who it is, which database it uses, its protocol version,
// and its socket. Owned by the coroutine serving it (server/client_session.cpp); the registry
// holds non-owning pointers that the coroutine removes before the client is destroyed.
#pragma once

#include <cstdint>
#include <string>

#include "server/connection.h"
#include "server/multi_state.h"
#include "server/reply.h"
#include "server/resp_parser.h"

namespace tandem {

enum class ReplyMode { kOn, kOff, kSkipNext, kSkip };

struct Client {
  Client(Reactor& reactor, int fd, uint64_t client_id) : id(client_id), conn(reactor, fd) {}

  const uint64_t id;
  Connection conn;
  RespParser parser;
  Reply reply{conn.output()};

  std::string name;
  std::string addr;   // "ip:port" of the peer
  std::string laddr;  // "ip:port" we accepted it on
  int db = 0;
  int resp = 2;
  bool authenticated = false;
  bool close_after_reply = false;
  bool queued_for_write = false;  // on the server's list of clients to flush this turn
  bool no_evict = false;
  ReplyMode reply_mode = ReplyMode::kOn;
  bool monitor = false;  // MONITOR: receives every command others run (Server::monitors())
  bool paused = false;   // held by CLIENT PAUSE before its next command (CLIENT LIST flag 'b')
  bool blocked = false;  // waiting in BLPOP & co. (server/blocking.h; CLIENT LIST flag 'b')
  bool replica = false;  // attached by SYNC/PSYNC: its connection carries the replication stream
  int64_t woff = 0;      // master_repl_offset after its last command: what WAIT waits for
  MultiState multi;      // MULTI/EXEC and WATCH (server/multi_state.h)
  int64_t created_ms = 0;
  int64_t last_interaction_ms = 0;
  int64_t output_soft_limit_since_ms = 0;  // see server/output_buffer_limit.h
  std::string last_command = "NULL";
  uint64_t commands_processed = 0;
  // Pub/sub pushes to this client made while the reply of its running command is being dropped
  // (CLIENT REPLY OFF/SKIP): held here, then appended by dispatch once it dropped the reply,
  // since Redis delivers pushes whatever the reply mode (server/pubsub.h).
  bool holding_pushes = false;
  std::string held_pushes;
  // The link to our master (replication/master_link.h): its commands are obeyed even on a
  // read-only replica and never answered.
  bool is_master = false;
};

}  // namespace tandem
