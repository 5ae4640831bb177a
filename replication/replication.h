// The master side of replication, as Redis 7.0's replication.c: the backlog every write is fed
// into, the replicas attached to it, full and partial resynchronisation, and WAIT.
//
// Protocol, seen from the master:
//   replica: PING, [AUTH], REPLCONF listening-port <port>, REPLCONF capa eof capa psync2,
//            PSYNC <replid> <offset>  (or the old SYNC)
//   master:  +CONTINUE <replid>, then the backlog from <offset>          (partial resync)
//       or:  +FULLRESYNC <replid> <offset>, "\n" keepalives while the snapshot is written,
//            $<len>\r\n<RDB>, then the stream from <offset>               (full resync)
//   replica: REPLCONF ACK <offset> every second; the master sends PING every
//            repl-ping-replica-period and REPLCONF GETACK * when a WAIT needs fresh ACKs.
//
// States of a replica (replication/replica_link.h): kWaitBgsaveStart until a background save
// it can use starts; kWaitBgsaveEnd until it ends (its cursor already sits at the offset of the
// snapshot, announced in +FULLRESYNC, so what is written meanwhile is kept for it); kSendBulk
// while the file goes out; kOnline afterwards. Replicas that arrive while a disk save for
// replicas runs share it and its offset.
//
// Diskless (repl-diskless-sync yes, every waiting replica announced capa eof): after
// repl-diskless-sync-delay seconds (or repl-diskless-sync-max-replicas arrivals) one
// DisklessTransfer (replication/diskless_transfer.h) encodes the snapshot on a thread into
// pieces that every replica of the transfer gets in kWaitBgsaveEnd; then it is online but, as in
// Redis, its stream only starts with its first REPLCONF ACK, so that the end mark of the payload
// is the last thing it reads. Replicas arriving during a transfer wait for the next one.
//
// Streaming: a replica's connection keeps its session coroutine (server/client_session.cpp),
// which processes its REPLCONF ACKs like any command and calls pump() to send: first `pending`
// (protocol lines), then the RDB file, then the backlog straight from the backlog's chunks at
// the replica's cursor. One copy of the stream whatever the number of replicas.
//
// Offsets: the backlog exists from the first replica on (Redis creates it then, with a new
// replication ID); only then does feed() append and advance master_repl_offset.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "rdb/key_offsets.h"
#include "rdb/snapshot.h"
#include "replication/backlog.h"
#include "replication/replica_link.h"
#include "server/task.h"

namespace tandem {

class Server;
struct Client;
class DisklessTransfer;

struct ReplicationStats {
  uint64_t sync_full = 0;
  uint64_t sync_partial_ok = 0;
  uint64_t sync_partial_err = 0;
  uint64_t net_output_bytes = 0;  // sent to replicas: INFO total_net_repl_output_bytes
  uint64_t net_input_bytes = 0;   // read from our master: INFO total_net_repl_input_bytes
  // Errors our master's commands answered (INFO unexpected_error_replies).
  uint64_t unexpected_error_replies = 0;
};

class Replication {
 public:
  explicit Replication(Server& server);
  ~Replication();
  Replication(const Replication&) = delete;
  Replication& operator=(const Replication&) = delete;

  // Starts the once-a-second replication cron (keepalives, PING, timeouts, backlog TTL).
  void start();

  // Propagation: one command, as a RESP multibulk, preceded by SELECT when `db` differs from
  // the database of the last command fed. Nothing while there is no backlog.
  void feed(int db, std::span<const std::string_view> args);

  // The replica side (replication/master_link.h) proxies its master's stream instead of
  // feeding: relay() takes the bytes it applied, exactly as received, so our own replicas and
  // a later promotion continue the master's history. master_repl_offset advances either way.
  void relay(std::string_view bytes);
  // A full sync replaced the dataset: our replicas must resync, and the backlog (stale history)
  // is replaced once no replica's cursor reads it; until then PSYNC answers -LOADING.
  void restart_history();
  // Redis's disconnectSlaves: our replicas reconnect and PSYNC again, which tells them that our
  // replication ID changed (they continue through replid2).
  void disconnect_replicas();
  // A replica keeps a backlog from its first sync on, as Redis does, so that after a promotion
  // the other replicas of its old master can continue against it.
  void ensure_backlog() {
    if (!backlog_ && !history_restart_pending_) create_backlog();
  }
  // A promotion: the first command fed afterwards starts with SELECT.
  void forget_selected_db() { selected_db_ = -1; }

  // REPLCONF and PSYNC (server/commands/replication_master.cpp).
  ReplicaAnnounce& announce(const Client& client);
  void ack(Client& client, int64_t offset);
  // SYNC (`psync` false) or PSYNC replid offset: answers, and attaches the client as a replica.
  void sync(Client& client, std::span<const std::string_view> args, bool psync);

  // The session of a replica connection sends through this: one piece of what is due, or
  // waits for something to happen on the connection or in the backlog.
  Async<> pump(Client& client);
  // A client goes away (Server::remove_client).
  void remove_client(Client& client);

  // WAIT numreplicas timeout: replies at once or blocks the client (see wait.cpp).
  int count_acks(int64_t offset) const;
  void wait(Client& client, int64_t offset, int64_t numreplicas, int64_t deadline_ms);
  // CLIENT UNBLOCK of a client in WAIT: true if it was waiting (it is then answered).
  bool unblock(uint64_t client_id, bool with_error);
  // Answers every client in WAIT with `error` and closes it after that reply (see
  // Blocking::unblock_all).
  void unblock_all(std::string_view error);

  // min-replicas-to-write: false when writes must be refused with NOREPLICAS.
  bool enough_good_replicas() const;
  int good_replicas() const { return good_replicas_; }

  // What INFO and ROLE show.
  const std::vector<std::unique_ptr<ReplicaLink>>& replicas() const { return replicas_; }
  const Backlog* backlog() const { return backlog_.get(); }
  ReplicationStats& stats() { return stats_; }
  // "ip:port" of a replica as Redis's replicationGetSlaveName.
  static std::string replica_name(const ReplicaLink& link);
  // The replica's address: what it announced, or its peer address.
  static std::string replica_ip(const ReplicaLink& link);

  // The repl-* AUX fields of an RDB file written now (none while there is no backlog).
  std::optional<rdb::ReplicationAux> save_info() const;
  // A master restarted from a dump that names its replication history continues it, as Redis
  // 7.0 does: that ID becomes the secondary one, valid up to the dump's offset, and the backlog
  // starts there, so the replicas it had before the restart get +CONTINUE, not a full sync.
  void resume_from_dump();
  // A diskless transfer is being encoded: Redis's RDB child with a socket target, so BGSAVE and
  // SAVE are refused meanwhile as they are while a disk save runs. 0 when none.
  int64_t diskless_started_ms() const { return transfer_ ? transfer_started_ms_ : 0; }
  // The diskless transfer's progress in keys: {encoded so far, in the snapshot}; {0, 0} when
  // none runs (Redis counts its diskless RDB child in INFO's current_save_keys_*).
  std::pair<uint64_t, uint64_t> diskless_keys() const;
  // BackgroundSave reports the end of the save `generation`; `offsets` tells how many keys each
  // part of the file holds (INFO's progress of the replicas it is sent to).
  void on_background_save_done(uint64_t generation, bool ok,
                               std::shared_ptr<const rdb::KeyOffsets> offsets);
  // FLUSHALL, as Redis's killRDBChild with a socket target: the diskless transfer stops and the
  // replicas receiving it are dropped; they sync again, from the flushed dataset, rather than
  // load the keys just dropped (and the frozen copy stops holding their memory).
  void kill_transfer();
  // CONFIG SET repl-backlog-size.
  void resize_backlog();

 private:
  struct Waiter {
    Client* client;
    int64_t offset;
    int64_t numreplicas;
    int64_t deadline_ms;  // 0: forever
  };

  ReplicaLink* find(const Client& client);
  void create_backlog();
  void append(std::string_view bytes, std::span<const size_t> pieces = {});
  bool try_partial(std::unique_ptr<ReplicaLink>& link, std::span<const std::string_view> args);
  void attach(std::unique_ptr<ReplicaLink> link);
  void start_pending_syncs(int64_t now_ms);
  void start_save_for_replicas();
  void start_diskless();
  void release_transfer_pieces();
  Async<> send_transfer_piece(Client& client, ReplicaLink& link);
  void drop(ReplicaLink& link, std::string_view why);
  void check_output_limits(int64_t now_ms);
  void put_online(ReplicaLink& link);
  void refresh_good_replicas(int64_t now_ms);
  void before_sleep();
  void serve_waiters(int64_t now_ms);
  Task cron();
  Task expire_waiters();
  // Sends `bytes`, the first `uncounted` of them outside INFO's repl output count.
  Async<> send(Client& client, std::string_view bytes, size_t uncounted = 0);
  Async<> send_rdb_piece(Client& client, ReplicaLink& link);

  Server& server_;
  std::unique_ptr<Backlog> backlog_;
  std::unique_ptr<DisklessTransfer> transfer_;  // the diskless sync in progress
  int64_t transfer_started_ms_ = 0;
  std::vector<std::unique_ptr<ReplicaLink>> replicas_;       // in the order they attached
  std::unordered_map<uint64_t, ReplicaAnnounce> announced_;  // REPLCONF before PSYNC
  std::string feed_buffer_;                                  // feed()'s scratch space
  std::vector<size_t> feed_pieces_;  // feed()'s scratch: the pieces of one command
  int selected_db_ = -1;  // Redis's slaveseldb: -1 makes the next command start with SELECT
  ReplicationStats stats_;
  int good_replicas_ = 0;
  int64_t no_replicas_since_ms_ = 0;
  uint64_t cron_loops_ = 0;
  std::vector<Waiter> waiters_;
  bool waiter_task_running_ = false;
  bool get_ack_ = false;  // send REPLCONF GETACK * before sleeping
  bool acks_changed_ = false;
  bool history_restart_pending_ = false;  // see restart_history()
  std::vector<uint64_t> to_resume_;       // unblocked inside a command: resumed before sleeping
};

}  // namespace tandem
