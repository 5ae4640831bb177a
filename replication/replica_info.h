// What a replica reports about its link to its master: its lines of INFO replication and its
// ROLE reply, in Redis 7.0's shape (genRedisInfoString, roleCommand).
#pragma once

#include <string>

namespace tandem {

class Server;
class Reply;

// The lines from master_host to replica_announced, for a server that is a replica.
void append_replica_info(Server& server, std::string& out);
// ROLE on a replica: slave, master host, master port, link state, processed offset (-1 while
// not applying the stream).
void reply_replica_role(Server& server, Reply& reply);

}  // namespace tandem
