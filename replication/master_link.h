// The replica side of replication: the link to our master, as Redis's replication.c runs it.
//
// REPLICAOF host port (or the `replicaof` directive) starts one coroutine on the reactor that
// walks Redis's states and reconnects every second when an attempt fails:
//
//   kConnect     waiting for the next attempt (INFO: link down)
//   kConnecting  TCP connect in flight
//   kHandshake   PING, AUTH, REPLCONF listening-port / ip-address / capa eof capa psync2, PSYNC
//   kTransfer    +FULLRESYNC: receiving the RDB into a temp file, then decoding it on a thread
//                (repl-diskless-load disabled), or decoding it on a thread as it arrives
//                (swapdb; on-empty-db when we hold no key)
//   kConnected   applying the master's command stream through dispatch() as the master client
//
// PSYNC asks for the replid and offset+1 of the "cached master" (the history our dataset is
// at), or `? -1` when there is none (a fresh replica, or a full sync that never finished).
// +CONTINUE keeps the dataset and resumes the stream; +FULLRESYNC replaces the dataset only once
// the new one has loaded completely (Redis's swapdb behaviour), so a cut or corrupt transfer
// leaves the old data served and the next attempt starts over.
//
// Offsets: the stream's bytes are counted as they are processed, command by command, into
// ReplicationState::master_repl_offset, which is what we ACK and what PSYNC continues from.
//
// Lifetime: each attempt owns a Session (socket, master client, transfer progress) in its
// coroutine frame; `session_` points at the current one. REPLICAOF NO ONE or a new master bumps
// `generation_` and shuts the socket down: the old attempt notices at its next resumption and
// unwinds without touching the link's state. A decoding thread is joined by ~MasterLink.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "server/task.h"

namespace tandem {

class Server;
struct Client;
class BackgroundLoad;

enum class LinkState { kNone, kConnect, kConnecting, kHandshake, kTransfer, kConnected };

class MasterLink {
 public:
  explicit MasterLink(Server& server);
  ~MasterLink();
  MasterLink(const MasterLink&) = delete;
  MasterLink& operator=(const MasterLink&) = delete;

  // Starts the once-a-second cron and, when `replicaof` was configured, the link (after the
  // start-up load and resume_from_dump()).
  void start();
  // REPLICAOF host port: becomes (or stays) a replica of that master and connects at once.
  void set_master(const std::string& host, int port);
  // REPLICAOF NO ONE: drops the link and becomes a master, keeping the dataset and offset; the
  // master's replid becomes replid2 (PSYNC2 for the other replicas after a failover).
  void unset_master();

  // At start-up, after the dump loaded: its repl-id / repl-offset become the cached master, so
  // the first attempt PSYNCs from them (Redis 7.0 does the same).
  void resume_from_dump();

  bool is_replica() const;
  // The database the master's stream is in (repl-stream-db of a snapshot taken now).
  int stream_db() const;
  LinkState state() const { return state_; }
  // The connection applying the stream (kConnected only), or nullptr.
  const Client* master_client() const;

  // INFO replication and ROLE.
  int64_t processed_offset() const;  // slave_repl_offset
  int64_t read_offset() const;       // slave_read_repl_offset
  int64_t last_io_seconds_ago() const;
  int64_t down_since_seconds() const;  // -1 if it was never up
  struct TransferProgress {
    int64_t total = 0;  // 0 for a diskless ($EOF:) transfer, as Redis reports it
    int64_t read = 0;
    int64_t last_io_seconds_ago = 0;
  };
  TransferProgress transfer_progress() const;

 private:
  struct Session;

  Task run(uint64_t generation);
  Async<> attempt(Session& s);
  Async<bool> connect(Session& s);
  Async<bool> handshake(Session& s);
  enum class PsyncResult { kContinue, kFullResync, kTryLater, kNotSupported, kError };
  Async<PsyncResult> psync(Session& s);
  struct TempFile;
  Async<bool> full_sync(Session& s);
  bool load_from_socket() const;
  Async<bool> read_payload(Session& s);
  void take_payload(Session& s, std::string& chunk);
  Async<bool> write_all(int fd, std::string_view bytes, uint64_t& offset, std::string_view what);
  Async<std::shared_ptr<BackgroundLoad>> receive_to_disk(Session& s, TempFile& temp);
  Async<bool> receive_to_parser(Session& s, BackgroundLoad& load);
  Async<> stream(Session& s);
  Async<bool> read_line(Session& s, std::string& line);
  bool apply_input(Session& s);
  void execute(Session& s, std::span<const std::string_view> args);
  void send(Session& s, std::initializer_list<std::string_view> args);
  void send_ack(Session& s);
  void drop_session();
  bool live(const Session& s) const;
  Task cron();
  bool check_timeout(Session& s, int64_t now_ms);

  Server& server_;
  LinkState state_ = LinkState::kNone;
  uint64_t generation_ = 0;
  Session* session_ = nullptr;
  // Whether our dataset follows a known history (replid, offset) we may PSYNC from.
  bool have_cached_master_ = false;
  int stream_db_ = 0;  // the database the master's stream last SELECTed, kept across links
  int64_t down_since_ms_ = 0;
  std::vector<std::shared_ptr<BackgroundLoad>> loads_;
};

}  // namespace tandem
