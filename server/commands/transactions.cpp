// Transactions: MULTI, EXEC, DISCARD, WATCH, UNWATCH (Redis 7.0's multi.c).
//
// MULTI opens a transaction; dispatch (server/dispatch.cpp) then queues every command but EXEC,
// DISCARD, MULTI, WATCH, QUIT and RESET, answering +QUEUED, and marks the transaction aborted
// when it refuses one (unknown command, arity, ...). EXEC answers EXECABORT for an aborted
// transaction, a null array when a WATCHed key was modified (server/watched_keys.h), and
// otherwise runs the queue through the same call() as any command, one reply per command in an
// array, with nothing from other clients in between. Commands it runs may not block.
#include <string_view>
#include <vector>

#include "server/command_context.h"
#include "server/dispatch.h"

namespace tandem {
namespace {

void multi_command(CommandContext& ctx) {
  MultiState& multi = ctx.client.multi;
  if (multi.active) return ctx.reply.error("ERR MULTI calls can not be nested");
  multi.active = true;
  ctx.reply.ok();
}

void discard_command(CommandContext& ctx) {
  MultiState& multi = ctx.client.multi;
  if (!multi.active) return ctx.reply.error("ERR DISCARD without MULTI");
  multi.discard(ctx.server.watched_keys());
  ctx.reply.ok();
}

void exec_command(CommandContext& ctx) {
  MultiState& multi = ctx.client.multi;
  WatchedKeys& watched_keys = ctx.server.watched_keys();
  if (!multi.active) return ctx.reply.error("ERR EXEC without MULTI");
  if (watched_keys.any_expired(multi.watch, ctx.now_ms)) multi.watch.dirty = true;
  if (multi.aborted) {
    ctx.reply.error("EXECABORT Transaction discarded because of previous errors.");
    return multi.discard(watched_keys);
  }
  if (multi.watch.dirty) {
    ctx.reply.null_array();
    return multi.discard(watched_keys);
  }
  watched_keys.unwatch_all(multi.watch);  // what the queue writes must not touch our own watches
  multi.executing = true;
  ctx.reply.array(static_cast<int64_t>(multi.commands.size()));
  // The queue stays in place while it runs (CLIENT LIST shows multi=<count> meanwhile); no
  // command it runs can queue or discard.
  std::vector<std::string_view> args;
  for (const QueuedCommand& command : multi.commands) {
    args.assign(command.args.begin(), command.args.end());
    call(ctx.server, ctx.client, *command.spec, args);
  }
  multi.discard(watched_keys);
}

void watch_command(CommandContext& ctx) {
  MultiState& multi = ctx.client.multi;
  if (multi.active) return ctx.reply.error("ERR WATCH inside MULTI is not allowed");
  // A dirty client's EXEC fails whatever else it watches.
  if (!multi.watch.dirty) {
    for (size_t i = 1; i < ctx.argc(); ++i) {
      ctx.server.watched_keys().watch(multi.watch, ctx.client.db, ctx.args[i], ctx.now_ms);
    }
  }
  ctx.reply.ok();
}

void unwatch_command(CommandContext& ctx) {
  MultiState& multi = ctx.client.multi;
  ctx.server.watched_keys().unwatch_all(multi.watch);
  multi.watch.dirty = false;
  ctx.reply.ok();
}

}  // namespace

void register_transaction_commands(CommandTable& table) {
  constexpr uint32_t kTransaction = kCmdNoscript | kCmdLoading | kCmdStale;
  constexpr uint32_t kFastTransaction = kTransaction | kCmdFast | kCmdAllowBusy;
  table.add({.name = "multi",
             .arity = 1,
             .flags = kFastTransaction,
             .handler = multi_command,
             .group = "transactions",
             .summary = "Mark the start of a transaction block",
             .since = "1.2.0",
             .acl_categories = "@fast @transaction"});
  table.add({.name = "exec",
             .arity = 1,
             .flags = kTransaction | kCmdSkipSlowlog,
             .handler = exec_command,
             .group = "transactions",
             .summary = "Execute all commands issued after MULTI",
             .since = "1.2.0",
             .complexity = "Depends on commands in the transaction",
             .acl_categories = "@slow @transaction"});
  table.add({.name = "discard",
             .arity = 1,
             .flags = kFastTransaction,
             .handler = discard_command,
             .group = "transactions",
             .summary = "Discard all commands issued after MULTI",
             .since = "2.0.0",
             .complexity = "O(N), when N is the number of queued commands",
             .acl_categories = "@fast @transaction"});
  table.add({.name = "watch",
             .arity = -2,
             .flags = kFastTransaction,
             .first_key = 1,
             .last_key = -1,
             .key_step = 1,
             .handler = watch_command,
             .group = "transactions",
             .summary = "Watch the given keys to determine execution of the MULTI/EXEC block",
             .since = "2.2.0",
             .complexity = "O(1) for every key.",
             .acl_categories = "@fast @transaction",
             .key_specs = {{.flags = "RO", .begin_index = 1, .last_key = -1}},
             .args = "key [key ...]"});
  table.add({.name = "unwatch",
             .arity = 1,
             .flags = kFastTransaction,
             .handler = unwatch_command,
             .group = "transactions",
             .summary = "Forget about all watched keys",
             .since = "2.2.0",
             .acl_categories = "@fast @transaction"});
}

}  // namespace tandem
