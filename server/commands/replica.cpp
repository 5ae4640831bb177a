// REPLICAOF (and its old name SLAVEOF) and ROLE, with Redis 7.0's replies: the link itself runs
// in replication/master_link.*; these commands only start, redirect or stop it.
#include <string>

#include "replication/master_link.h"
#include "replication/replica_info.h"
#include "server/args.h"
#include "server/command_context.h"
#include "server/log.h"

namespace tandem {
namespace {

std::string requester(const Client& client) {
  return fmt::format("id={} addr={} laddr={} name={}", client.id, client.addr, client.laddr,
                     client.name);
}

// Redis's replicaofCommand.
void replicaof_command(CommandContext& ctx) {
  MasterLink& link = ctx.server.master_link();
  if (iequals(ctx.args[1], "no") && iequals(ctx.args[2], "one")) {
    if (link.is_replica()) {
      link.unset_master();
      log(LogLevel::kNotice, "MASTER MODE enabled (user request from '{}')", requester(ctx.client));
    }
    return ctx.reply.ok();
  }
  auto port = int_arg(ctx.args[2], ctx.reply, "ERR Invalid master port");
  if (!port) return;
  if (*port < 0 || *port > 65535) return ctx.reply.error("ERR Invalid master port");
  const Config& config = ctx.server.config();
  std::string host(ctx.args[1]);
  if (link.is_replica() && iequals(config.replicaof_host, host) && config.replicaof_port == *port) {
    log(LogLevel::kNotice,
        "REPLICAOF would result into synchronization with the master we are already connected "
        "with. No operation performed.");
    return ctx.reply.simple("OK Already connected to specified master");
  }
  link.set_master(host, static_cast<int>(*port));
  log(LogLevel::kNotice, "REPLICAOF {}:{} enabled (user request from '{}')", host, *port,
      requester(ctx.client));
  ctx.reply.ok();
}

// Redis's roleCommand. A master lists no replicas yet: serving replicas is the master side's.
void role_command(CommandContext& ctx) {
  if (ctx.server.master_link().is_replica()) return reply_replica_role(ctx.server, ctx.reply);
  ctx.reply.array(3);
  ctx.reply.bulk("master");
  ctx.reply.integer(ctx.server.replication_state().master_repl_offset);
  ctx.reply.array(0);
}

}  // namespace

void register_replica_commands(CommandTable& table) {
  constexpr uint32_t kReplicaofFlags = kCmdAdmin | kCmdNoscript | kCmdStale | kCmdNoAsyncLoading;
  table.add({.name = "replicaof",
             .arity = 3,
             .flags = kReplicaofFlags,
             .handler = replicaof_command,
             .group = "server",
             .summary = "Make the server a replica of another instance, or promote it as master.",
             .since = "5.0.0",
             .acl_categories = "@admin @slow @dangerous",
             .args = "host port"});
  table.add({.name = "slaveof",
             .arity = 3,
             .flags = kReplicaofFlags,
             .handler = replicaof_command,
             .group = "server",
             .summary = "Make the server a replica of another instance, or promote it as master.",
             .acl_categories = "@admin @slow @dangerous",
             .args = "host port"});
  table.add({.name = "role",
             .arity = 1,
             .flags = kCmdNoscript | kCmdLoading | kCmdStale | kCmdFast,
             .handler = role_command,
             .group = "server",
             .summary = "Return the role of the instance in the context of replication",
             .since = "2.8.12",
             .acl_categories = "@admin @fast @dangerous"});
}

}  // namespace tandem
