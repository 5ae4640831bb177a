// What the master knows about one replica connection: what it announced with REPLCONF, where it
// is in the full sync (Redis's replstate), its cursor into the shared backlog and its last ACK.
// Owned by Replication (replication/replication.h); main thread only.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "rdb/key_offsets.h"
#include "replication/backlog.h"

namespace tandem {

struct Client;

// Redis's SLAVE_STATE_*: waiting for a snapshot to start, waiting for it to end, receiving the
// RDB file, then streaming.
enum class ReplicaState { kWaitBgsaveStart, kWaitBgsaveEnd, kSendBulk, kOnline };

// INFO's state= word for a replica.
inline std::string_view replica_state_name(ReplicaState state) {
  switch (state) {
    case ReplicaState::kWaitBgsaveStart:
    case ReplicaState::kWaitBgsaveEnd:
      return "wait_bgsave";
    case ReplicaState::kSendBulk:
      return "send_bulk";
    case ReplicaState::kOnline:
      return "online";
  }
  return "";
}

// REPLCONF options a client sent, before or after it became a replica.
struct ReplicaAnnounce {
  int listening_port = 0;    // REPLCONF listening-port
  std::string ip_address;    // REPLCONF ip-address (empty: the peer's address)
  bool capa_eof = false;     // can read a diskless $EOF:<mark> payload
  bool capa_psync2 = false;  // understands +CONTINUE <replid>
  bool rdb_only = false;     // REPLCONF rdb-only 1: wants the snapshot only (redis-cli --rdb)
};

struct ReplicaLink {
  Client* client;
  ReplicaAnnounce announce;
  ReplicaState state = ReplicaState::kWaitBgsaveStart;
  bool pre_psync = false;        // came with SYNC: no +FULLRESYNC line, as Redis's PRE_PSYNC
  uint64_t save_generation = 0;  // the background save its snapshot comes from
  std::optional<Backlog::Cursor> cursor;  // where its stream continues (set once it has one)
  std::string pending;                    // protocol bytes to send before anything else
  // How many leading bytes of `pending` are replies to the handshake (+FULLRESYNC, +CONTINUE,
  // keepalive newlines): Redis writes them outside INFO's total_net_repl_output_bytes.
  size_t pending_uncounted = 0;
  // Queues such a reply (see pending_uncounted).
  void add_reply(std::string_view reply) {
    if (pending_uncounted == pending.size()) pending_uncounted += reply.size();
    pending += reply;
  }
  bool diskless = false;       // kWaitBgsaveEnd: receives the diskless transfer's pieces
  size_t transfer_piece = 0;   // the next piece of that transfer to send it
  int64_t transfer_sent = 0;   // bytes of that transfer it was sent (INFO progress)
  uint64_t transfer_keys = 0;  // keys in what it was sent (INFO progress)
  uint64_t transfer_total_keys = 0;  // keys in the whole snapshot (INFO progress)
  int64_t last_piece_ms = 0;   // when a piece last went out (repl-timeout during the transfer)
  bool stream_on_ack = false;  // after a diskless sync: the stream starts with its first ACK
  int64_t wait_since_ms = 0;   // attached at (repl-diskless-sync-delay counts from here)
  int rdb_fd = -1;             // kSendBulk: the RDB file being sent, and how far
  int64_t rdb_size = 0;
  int64_t rdb_sent = 0;
  std::shared_ptr<const rdb::KeyOffsets> rdb_keys;  // the keys in that file's parts (INFO)
  int64_t ack_offset = 0;                  // last REPLCONF ACK
  int64_t ack_time_ms = 0;                 // when it last acknowledged (or attached)
  int64_t output_soft_limit_since_ms = 0;  // see server/output_buffer_limit.h
};

}  // namespace tandem
