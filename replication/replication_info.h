// INFO replication and ROLE, in Redis 7.0's field names, order and shapes. The master-side
// pieces are separate functions so that the replica side can put them where Redis does in its
// own report (a replica lists its own replicas too).
#pragma once

#include <string>

namespace tandem {

class Server;
class Reply;

// The body of "# Replication" (without the header line).
void append_replication_info(Server& server, std::string& out);
// connected_slaves, min_slaves_good_slaves (when min-replicas-* are set) and one slaveN line
// per attached replica.
void append_connected_replicas(Server& server, std::string& out);
// master_failover_state through repl_backlog_histlen.
void append_replication_offsets(Server& server, std::string& out);

// ROLE.
void reply_role(Server& server, Reply& reply);
// ROLE's list of a master's replicas: [ip, port, acknowledged offset] for each online one.
void reply_replica_list(Server& server, Reply& reply);

}  // namespace tandem
