// REPLICAOF and its old name SLAVEOF, with Redis 7.0's replies: the link itself runs in
// replication/master_link.*; these commands only start, redirect or stop it. (ROLE is in
// replication_master.cpp, answering through replication/replication_info.h.)
#include <string>

#include "replication/master_link.h"
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
}

}  // namespace tandem
