#include "replication/replica_info.h"

#include "fmt/format.h"
#include "replication/master_link.h"
#include "server/info_field.h"
#include "server/reply.h"
#include "server/server.h"

namespace tandem {
namespace {

// ROLE's name for the link state (Redis reports every handshake step as "handshake").
std::string_view role_state(LinkState state) {
  switch (state) {
    case LinkState::kNone:
      return "none";
    case LinkState::kConnect:
      return "connect";
    case LinkState::kConnecting:
      return "connecting";
    case LinkState::kHandshake:
      return "handshake";
    case LinkState::kTransfer:
      return "sync";
    case LinkState::kConnected:
      return "connected";
  }
  return "unknown";
}

}  // namespace

void append_replica_info(Server& server, std::string& out) {
  const Config& config = server.config();
  const MasterLink& link = server.master_link();
  const LinkState state = link.state();
  info_field(out, "master_host", config.replicaof_host);
  info_field(out, "master_port", config.replicaof_port);
  info_field(out, "master_link_status", state == LinkState::kConnected ? "up" : "down");
  info_field(out, "master_last_io_seconds_ago", link.last_io_seconds_ago());
  info_field(out, "master_sync_in_progress", state == LinkState::kTransfer ? 1 : 0);
  info_field(out, "slave_read_repl_offset", link.read_offset());
  info_field(out, "slave_repl_offset", link.processed_offset());
  if (state == LinkState::kTransfer) {
    MasterLink::TransferProgress progress = link.transfer_progress();
    double perc = progress.total ? static_cast<double>(progress.read) / progress.total * 100 : 0;
    info_field(out, "master_sync_total_bytes", progress.total);
    info_field(out, "master_sync_read_bytes", progress.read);
    info_field(out, "master_sync_left_bytes", progress.total - progress.read);
    info_field(out, "master_sync_perc", fmt::format("{:.2f}", perc));
    info_field(out, "master_sync_last_io_seconds_ago", progress.last_io_seconds_ago);
  }
  if (state != LinkState::kConnected) {
    info_field(out, "master_link_down_since_seconds", link.down_since_seconds());
  }
  info_field(out, "slave_priority", config.replica_priority);
  info_field(out, "slave_read_only", config.replica_read_only ? 1 : 0);
  info_field(out, "replica_announced", 1);
}

void reply_replica_role(Server& server, Reply& reply) {
  const MasterLink& link = server.master_link();
  reply.array(5);
  reply.bulk("slave");
  reply.bulk(server.config().replicaof_host);
  reply.integer(server.config().replicaof_port);
  reply.bulk(role_state(link.state()));
  reply.integer(link.master_client() ? server.replication_state().master_repl_offset : -1);
}

}  // namespace tandem
