// The commands a replica sends its master, and the master-side introspection: REPLCONF, SYNC,
// PSYNC, WAIT and ROLE, with Redis 7.0's replies and errors. The work is in
// replication/replication.h; this file reads the arguments.
#include <span>
#include <string_view>

#include "fmt/format.h"
#include "replication/replication.h"
#include "replication/replication_info.h"
#include "server/args.h"
#include "server/blocking.h"
#include "server/command_context.h"
#include "server/errors.h"

namespace tandem {
namespace {

// Redis's NET_HOST_STR_LEN: the longest address a replica may announce, plus one.
constexpr size_t kMaxAnnouncedIp = 256;

void replconf_command(CommandContext& ctx) {
  if (ctx.argc() % 2 == 0) return ctx.reply.error(kSyntaxError);
  Replication& replication = ctx.server.replication();
  for (size_t i = 1; i < ctx.argc(); i += 2) {
    std::string_view option = ctx.args[i];
    std::string_view value = ctx.args[i + 1];
    if (iequals(option, "listening-port")) {
      auto port = int_arg(value, ctx.reply);
      if (!port) return;
      replication.announce(ctx.client).listening_port = static_cast<int>(*port);
    } else if (iequals(option, "ip-address")) {
      if (value.size() >= kMaxAnnouncedIp) {
        return ctx.reply.error(fmt::format(
            "ERR REPLCONF ip-address provided by replica instance is too long: {} bytes",
            value.size()));
      }
      replication.announce(ctx.client).ip_address = std::string(value);
    } else if (iequals(option, "capa")) {
      // Capabilities we do not know are ignored, so replicas may announce newer ones.
      if (iequals(value, "eof")) replication.announce(ctx.client).capa_eof = true;
      if (iequals(value, "psync2")) replication.announce(ctx.client).capa_psync2 = true;
    } else if (iequals(option, "ack")) {
      // From a replica only, and never answered: the link carries the stream the other way.
      int64_t offset = 0;
      if (ctx.client.replica && parse_int64(value, offset)) replication.ack(ctx.client, offset);
      return;
    } else if (iequals(option, "getack")) {
      return;  // asks a replica for an ACK; a master has nothing to answer
    } else if (iequals(option, "rdb-only")) {
      auto rdb_only = int_arg(value, ctx.reply);
      if (!rdb_only) return;
      if (*rdb_only != 0 && *rdb_only != 1) {
        return ctx.reply.error("ERR value is out of range, value must between 0 and 1");
      }
      replication.announce(ctx.client).rdb_only = *rdb_only == 1;
    } else {
      return ctx.reply.error(fmt::format("ERR Unrecognized REPLCONF option: {}", option));
    }
  }
  ctx.reply.ok();
}

void sync_command(CommandContext& ctx) {
  ctx.server.replication().sync(ctx.client, ctx.args, iequals(ctx.args[0], "psync"));
}

// WAIT numreplicas timeout: how many replicas acknowledged this client's last write, waiting up
// to `timeout` ms (0: forever) for `numreplicas` of them.
void wait_command(CommandContext& ctx) {
  if (!ctx.server.config().replicaof_host.empty()) {
    return ctx.reply.error(
        "ERR WAIT cannot be used with replica instances. Please also note that since Redis 4.0 "
        "if a replica is configured to be writable (which is not the default) writes to replicas "
        "are just local and are not propagated.");
  }
  auto numreplicas = int_arg(ctx.args[1], ctx.reply);
  if (!numreplicas) return;
  auto timeout = int_arg(ctx.args[2], ctx.reply, "ERR timeout is not an integer or out of range");
  if (!timeout) return;
  if (*timeout < 0) return ctx.reply.error("ERR timeout is negative");
  Replication& replication = ctx.server.replication();
  const int64_t offset = ctx.client.woff;
  const int acks = replication.count_acks(offset);
  if (acks >= *numreplicas || ctx.client.multi.active || ctx.client.multi.executing) {
    return ctx.reply.integer(acks);
  }
  const int64_t deadline = *timeout == 0 ? 0 : ctx.now_ms + *timeout;
  replication.wait(ctx.client, offset, *numreplicas, deadline);
}

void role_command(CommandContext& ctx) { reply_role(ctx.server, ctx.reply); }

}  // namespace

void register_replication_master_commands(CommandTable& table) {
  table.add({.name = "replconf",
             .arity = -1,
             .flags = kCmdAdmin | kCmdNoscript | kCmdLoading | kCmdStale | kCmdAllowBusy,
             .handler = replconf_command,
             .group = "server",
             .summary = "An internal command for configuring the replication stream",
             .since = "3.0.0",
             .acl_categories = "@admin @slow @dangerous"});
  table.add({.name = "sync",
             .arity = 1,
             .flags = kCmdAdmin | kCmdNoscript | kCmdNoAsyncLoading | kCmdNoMulti,
             .handler = sync_command,
             .group = "server",
             .summary = "Internal command used for replication",
             .complexity = "",
             .acl_categories = "@admin @slow @dangerous"});
  table.add({.name = "psync",
             .arity = -3,
             .flags = kCmdAdmin | kCmdNoscript | kCmdNoAsyncLoading | kCmdNoMulti,
             .handler = sync_command,
             .group = "server",
             .summary = "Internal command used for replication",
             .since = "2.8.0",
             .complexity = "",
             .acl_categories = "@admin @slow @dangerous",
             .args = "replicationid offset"});
  table.add({.name = "wait",
             .arity = 3,
             .flags = kCmdNoscript,
             .handler = wait_command,
             .summary = "Wait for the synchronous replication of all the write commands sent in "
                        "the context of the current connection",
             .since = "3.0.0",
             .acl_categories = "@slow @connection",
             .tips = "request_policy:all_shards response_policy:agg_min",
             .args = "numreplicas timeout"});
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
