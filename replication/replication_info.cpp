#include "replication/replication_info.h"

#include "fmt/format.h"
#include "replication/master_link.h"
#include "replication/replica_info.h"
#include "replication/replication.h"
#include "server/info_field.h"
#include "server/reply.h"
#include "server/server.h"
#include "storage/clock.h"

namespace tandem {
namespace {

// Beyond Redis: how far a replica's full sync got, as extra pairs at the end of its slaveN line
// (Sentinel and client libraries keep unknown pairs; a new slaveN_* line would look like a
// replica to Sentinel). Disk-based: the file's bytes and keys sent of its size and key count once
// it is being sent. Diskless: the payload's bytes and keys sent, and the snapshot's key count; its
// size is only known at its end.
void append_sync_progress(const ReplicaLink& link, std::string& out) {
  auto it = std::back_inserter(out);
  switch (link.state) {
    case ReplicaState::kOnline:
      return;
    case ReplicaState::kSendBulk: {
      const uint64_t sent_keys = link.rdb_keys ? link.rdb_keys->keys_within(link.rdb_sent) : 0;
      const uint64_t total_keys = link.rdb_keys ? link.rdb_keys->total_keys() : 0;
      fmt::format_to(it, ",sync_sent_bytes={},sync_total_bytes={},sync_sent_keys={},sync_total_keys={}",
                     link.rdb_sent, link.rdb_size, sent_keys, total_keys);
      return;
    }
    case ReplicaState::kWaitBgsaveStart:
    case ReplicaState::kWaitBgsaveEnd:
      if (link.diskless) {
        fmt::format_to(it, ",sync_sent_bytes={},sync_sent_keys={},sync_total_keys={}",
                       link.transfer_sent, link.transfer_keys, link.transfer_total_keys);
      } else {
        out.append(",sync_sent_bytes=0");
      }
      return;
  }
}

}  // namespace

void append_replication_info(Server& server, std::string& out) {
  const bool replica = server.master_link().is_replica();
  info_field(out, "role", replica ? "slave" : "master");
  if (replica) append_replica_info(server, out);
  append_connected_replicas(server, out);
  append_replication_offsets(server, out);
}

void append_connected_replicas(Server& server, std::string& out) {
  Replication& replication = server.replication();
  const Config& config = server.config();
  info_field(out, "connected_slaves", replication.replicas().size());
  if (config.min_replicas_to_write > 0 && config.min_replicas_max_lag > 0) {
    info_field(out, "min_slaves_good_slaves", replication.good_replicas());
  }
  const int64_t now_seconds = unix_time_ms() / 1000;
  int index = 0;
  for (const auto& link : replication.replicas()) {
    fmt::format_to(std::back_inserter(out), "slave{}:ip={},port={},state={},offset={},lag={}",
                   index++, Replication::replica_ip(*link), link->announce.listening_port,
                   replica_state_name(link->state), link->ack_offset,
                   now_seconds - link->ack_time_ms / 1000);
    append_sync_progress(*link, out);
    out.append("\r\n");
  }
}

void append_replication_offsets(Server& server, std::string& out) {
  const ReplicationState& state = server.replication_state();
  const Backlog* backlog = server.replication().backlog();
  info_field(out, "master_failover_state", "no-failover");
  info_field(out, "master_replid", state.replid);
  info_field(out, "master_replid2", state.replid2);
  info_field(out, "master_repl_offset", state.master_repl_offset);
  info_field(out, "second_repl_offset", state.second_repl_offset);
  info_field(out, "repl_backlog_active", backlog ? 1 : 0);
  info_field(out, "repl_backlog_size", server.config().repl_backlog_size);
  info_field(out, "repl_backlog_first_byte_offset", backlog ? backlog->begin() + 1 : 0);
  info_field(out, "repl_backlog_histlen", backlog ? backlog->histlen() : 0);
}

void reply_role(Server& server, Reply& reply) {
  if (server.master_link().is_replica()) return reply_replica_role(server, reply);
  reply.array(3);
  reply.bulk("master");
  reply.integer(server.replication_state().master_repl_offset);
  reply_replica_list(server, reply);
}

void reply_replica_list(Server& server, Reply& reply) {
  const auto& replicas = server.replication().replicas();
  size_t online = 0;
  for (const auto& link : replicas) online += link->state == ReplicaState::kOnline;
  reply.array(online);
  for (const auto& link : replicas) {
    if (link->state != ReplicaState::kOnline) continue;
    reply.array(3);
    reply.bulk(Replication::replica_ip(*link));
    reply.bulk(fmt::format("{}", link->announce.listening_port));
    reply.bulk(fmt::format("{}", link->ack_offset));
  }
}

}  // namespace tandem
