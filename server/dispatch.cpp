#include "server/dispatch.h"

#include <algorithm>
#include <array>
#include <vector>

#include "fmt/format.h"
#include "replication/master_link.h"
#include "replication/replication.h"
#include "server/args.h"
#include "server/command_context.h"
#include "server/errors.h"
#include "server/eviction.h"
#include "server/log.h"
#include "server/pubsub.h"
#include "server/split_args.h"

namespace tandem {
namespace {
// Redis quotes at most ~128 bytes of the arguments of an unknown command.
std::string quoted_args(std::span<const std::string_view> args) {
  std::string out;
  for (size_t i = 1; i < args.size() && out.size() < 128; ++i) {
    size_t room = 128 - out.size();
    fmt::format_to(std::back_inserter(out), "'{}' ", args[i].substr(0, room));
  }
  return out;
}

enum class CommandLookup { kFound, kUnknownCommand, kUnknownSubcommand, kWrongArity };

// Finds the command (or container subcommand) and checks its arity; `spec` is set for kFound
// and kWrongArity.
std::pair<const CommandSpec*, CommandLookup> look_up(std::span<const std::string_view> args) {
  const CommandTable& table = CommandTable::instance();
  const CommandSpec* spec = table.find(args[0]);
  if (!spec) return {nullptr, CommandLookup::kUnknownCommand};
  if (!spec->subcommands.empty() && args.size() >= 2) {
    spec = table.find_subcommand(*spec, args[1]);
    if (!spec) return {nullptr, CommandLookup::kUnknownSubcommand};
  }
  int argc = static_cast<int>(args.size());
  if ((spec->arity > 0 && argc != spec->arity) || argc < -spec->arity) {
    return {spec, CommandLookup::kWrongArity};
  }
  return {spec, CommandLookup::kFound};
}

// A subscribed RESP2 client reads replies and messages from one stream: it may only change its
// subscriptions, PING, QUIT or RESET (RESP3 tells messages apart as pushes).
bool rejected_while_subscribed(Server& server, const Client& client, const CommandSpec& spec) {
  return client.resp == 2 && server.pubsub().subscribed(client) &&
         !allowed_while_subscribed(spec.name);
}

// A client in MONITOR mode is a replica to Redis: it may not touch the keyspace.
bool rejected_for_monitor(const Client& client, const CommandSpec& spec) {
  return client.monitor && (spec.flags & (kCmdWrite | kCmdReadonly | kCmdMayReplicate));
}

// stop-writes-on-bgsave-error: after a failed background save, writes (and PING, as Redis's
// monitoring probe) are refused until a save succeeds again. A master's writes are obeyed.
bool refused_for_disk_error(Server& server, const Client& client, const CommandSpec& spec) {
  const Config& config = server.config();
  if (!config.stop_writes_on_bgsave_error || config.save.empty() ||
      server.persistence().last_save_ok || client.is_master) {
    return false;
  }
  uint32_t flags = spec.flags;
  if (spec.name == "exec") flags |= client.multi.queued_flags;
  return (flags & kCmdWrite) || spec.name == "ping";
}

// A read-only replica takes writes from its master only (EXEC counts as the writes it queued).
bool rejected_as_read_only_replica(Server& server, const Client& client, const CommandSpec& spec) {
  if (client.is_master || !server.master_link().is_replica() ||
      !server.config().replica_read_only) {
    return false;
  }
  uint32_t flags = spec.flags;
  if (spec.name == "exec") flags |= client.multi.queued_flags;
  return flags & kCmdWrite;
}

// replica-serve-stale-data no: while the link is down only `stale` commands (INFO, REPLICAOF,
// ...) run.
bool rejected_as_stale(Server& server, const Client& client, const CommandSpec& spec) {
  return !client.is_master && server.master_link().is_replica() &&
         server.master_link().state() != LinkState::kConnected &&
         !server.config().replica_serve_stale_data && !(spec.flags & kCmdStale);
}

// maxmemory (processCommand's check): evict first; if memory is still over the limit, refuse
// what may grow it (a denyoom command, or an EXEC that queued one) and anything that would be
// queued inside MULTI, but never EXEC, DISCARD, QUIT or RESET themselves.
bool refused_for_memory(Server& server, const Client& client, const CommandSpec& spec) {
  if (server.config().maxmemory == 0) return false;
  if (server.eviction().perform() != Eviction::Result::kFail) return false;
  uint32_t flags = spec.flags;
  if (spec.name == "exec") flags |= client.multi.queued_flags;
  if (flags & kCmdDenyOom) return true;
  return client.multi.active && spec.name != "exec" && spec.name != "discard" &&
         spec.name != "quit" && spec.name != "reset";
}

// While the start-up load runs only `loading` commands (INFO, SHUTDOWN, CONFIG, ...) run; an EXEC
// also needs every command it queued to be one (Redis's is_denyloading_command).
bool rejected_while_loading(Server& server, const Client& client, const CommandSpec& spec) {
  if (!server.persistence().loading) return false;
  if (!(spec.flags & kCmdLoading)) return true;
  if (spec.name != "exec") return false;
  return std::ranges::any_of(client.multi.commands, [](const QueuedCommand& queued) {
    return !(queued.spec->flags & kCmdLoading);
  });
}

// Passwords never reach SLOWLOG or MONITOR: Redis replaces them with "(redacted)" (AUTH, HELLO's
// AUTH option, MIGRATE's AUTH/AUTH2, CONFIG SET of the sensitive parameters).
std::vector<std::string_view> redacted(std::span<const std::string_view> args) {
  constexpr std::string_view kRedacted = "(redacted)";
  std::vector<std::string_view> out(args.begin(), args.end());
  std::string_view name = args[0];
  if (iequals(name, "auth")) {
    if (out.size() <= 3) {
      for (size_t i = 1; i < out.size(); ++i) out[i] = kRedacted;
    }
  } else if (iequals(name, "hello")) {
    for (size_t i = 2; i < out.size(); ++i) {
      if (iequals(args[i], "auth") && i + 2 < out.size()) {
        out[i + 1] = out[i + 2] = kRedacted;
        i += 2;
      } else if (iequals(args[i], "setname") && i + 1 < out.size()) {
        ++i;
      } else {
        break;  // HELLO stops at a syntax error, before the options after it
      }
    }
  } else if (iequals(name, "migrate")) {
    for (size_t i = 6; i < out.size(); ++i) {
      if (iequals(args[i], "auth") && i + 1 < out.size()) {
        out[++i] = kRedacted;
      } else if (iequals(args[i], "auth2") && i + 2 < out.size()) {
        out[i + 1] = out[i + 2] = kRedacted;
        i += 2;
      } else if (iequals(args[i], "keys")) {
        break;
      }
    }
  } else if (iequals(name, "config") && out.size() >= 2 && iequals(args[1], "set")) {
    for (size_t i = 2; i + 1 < out.size(); i += 2) {
      if (iequals(args[i], "requirepass") || iequals(args[i], "masterauth") ||
          iequals(args[i], "masteruser")) {
        out[i + 1] = kRedacted;
      }
    }
  }
  return out;
}

// MONITOR's line for a command: "+<unix time>.<us> [<db> <addr>] "arg" "arg"...".
void feed_monitors(Server& server, const Client& client, std::span<const std::string_view> args) {
  int64_t now_us = unix_time_us();
  std::string line = fmt::format("+{}.{:06} [{} {}]", now_us / 1'000'000, now_us % 1'000'000,
                                 client.db, client.addr);
  for (std::string_view arg : redacted(args)) {
    line.push_back(' ');
    append_repr(line, arg);
  }
  line.append("\r\n");
  for (Client* monitor : server.monitors()) {
    monitor->conn.output().append(line);
    server.queue_write(monitor);
  }
}

// What Redis's call() does after a command ran: the slow log, the latency monitor, MONITOR.
void after_command(Server& server, const Client& client, const CommandSpec& spec,
                   std::span<const std::string_view> args, int64_t duration_us) {
  const Config& config = server.config();
  if (!(spec.flags & kCmdSkipSlowlog) && config.slowlog_log_slower_than >= 0 &&
      duration_us >= config.slowlog_log_slower_than) {
    std::vector<std::string_view> logged = redacted(args);
    server.slowlog().push(logged, duration_us, unix_time_ms() / 1000, client.addr, client.name,
                          config.slowlog_max_len);
  }
  int64_t duration_ms = duration_us / 1000;
  if (config.latency_monitor_threshold > 0 && duration_ms >= config.latency_monitor_threshold) {
    server.latency_monitor().add_sample((spec.flags & kCmdFast) ? "fast-command" : "command",
                                        duration_ms, unix_time_ms() / 1000);
  }
  if (!server.monitors().empty() && !(spec.flags & (kCmdSkipMonitor | kCmdAdmin))) {
    feed_monitors(server, client, args);
  }
}

// Why the request may not run, in Redis's words (processCommand's checks, in its order); empty
// when it may. `spec` is the command found, or nullptr.
std::string refusal(Server& server, const Client& client, const CommandSpec* spec, CommandLookup result,
                    std::span<const std::string_view> args) {
  switch (result) {
    case CommandLookup::kFound:
      break;
    case CommandLookup::kUnknownCommand:
      return fmt::format("ERR unknown command '{}', with args beginning with: {}",
                         args[0].substr(0, 128), quoted_args(args));
    case CommandLookup::kUnknownSubcommand:
      return fmt::format("ERR unknown subcommand '{}'. Try {} HELP.", args[1].substr(0, 128),
                         ascii_upper(args[0]));
    case CommandLookup::kWrongArity:
      return fmt::format("ERR wrong number of arguments for '{}' command", spec->name);
  }
  if (!client.authenticated && !(spec->flags & kCmdNoAuth)) return std::string(kNoAuthError);
  if (client.multi.active && (spec->flags & kCmdNoMulti)) {
    return "ERR Command not allowed inside a transaction";
  }
  if (refused_for_memory(server, client, *spec)) return std::string(kOomError);
  if (refused_for_disk_error(server, client, *spec)) {
    return "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to "
           "persist to disk. Commands that may modify the data set are disabled, because this "
           "instance is configured to report errors during writes if RDB snapshotting fails "
           "(stop-writes-on-bgsave-error option). Please check the Redis logs for details about "
           "the RDB error.";
  }
  // min-replicas-to-write: a write needs enough replicas that acknowledged lately.
  const bool writes = (spec->flags & kCmdWrite) ||
                      (spec->name == "exec" && (client.multi.queued_flags & kCmdWrite));
  if (writes && !client.is_master && !server.replication().enough_good_replicas()) {
    return "NOREPLICAS Not enough good replicas to write.";
  }
  if (rejected_as_read_only_replica(server, client, *spec)) {
    return "READONLY You can't write against a read only replica.";
  }
  if (rejected_while_subscribed(server, client, *spec)) {
    return fmt::format(
        "ERR Can't execute '{}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are "
        "allowed in this context",
        spec->name);
  }
  if (rejected_for_monitor(client, *spec)) return "ERR Replica can't interact with the keyspace";
  if (rejected_as_stale(server, client, *spec)) {
    return "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.";
  }
  if (rejected_while_loading(server, client, *spec)) {
    return "LOADING Redis is loading the dataset in memory";
  }
  return {};
}

// Redis's rejectCommand: answers `error` without running the command and poisons an open
// transaction, so that its EXEC fails. A refused EXEC ends the transaction at once with
// EXECABORT and the reason (execCommandAbort), and MONITOR sees it close the MULTI it saw.
void reject(Server& server, Client& client, const CommandSpec* spec,
            std::span<const std::string_view> args, std::string_view error) {
  if (spec) ++server.command_stats()[spec].rejected_calls;
  if (client.multi.active) client.multi.aborted = true;
  if (!spec || spec->name != "exec") return client.reply.error(error);
  client.multi.discard(server.watched_keys());
  if (error.starts_with("ERR ")) error.remove_prefix(4);
  client.reply.error(fmt::format("EXECABORT Transaction discarded because of: {}", error));
  if (!server.monitors().empty()) feed_monitors(server, client, args);
}

// The commands that run at once inside MULTI instead of being queued.
bool runs_inside_multi(const CommandSpec& spec) {
  for (std::string_view name : {"exec", "discard", "multi", "watch", "quit", "reset"}) {
    if (spec.name == name) return true;
  }
  return false;
}

// Redis's queueMultiCommand; a transaction that will fail anyway keeps no more commands.
void queue(Client& client, const CommandSpec& spec, std::span<const std::string_view> args) {
  MultiState& multi = client.multi;
  if (!multi.aborted && !multi.watch.dirty) {
    multi.commands.push_back({&spec, std::vector<std::string>(args.begin(), args.end())});
    multi.queued_flags |= spec.flags;
    for (std::string_view arg : args) multi.queued_bytes += arg.size() + sizeof(void*);
  }
  client.reply.simple("QUEUED");
}
}  // namespace

bool postponed_by_pause(Server& server, const Client& client,
                        std::span<const std::string_view> args) {
  ClientPause pause = server.pause_mode();
  if (pause == ClientPause::kNone) return false;
  auto [spec, result] = look_up(args);
  // Requests that fail before running (unknown command, arity, NOAUTH) are answered at once.
  if (!refusal(server, client, spec, result, args).empty()) return false;
  uint32_t flags = spec->flags;
  // EXEC writes if what it runs does (Redis's mstate.cmd_flags).
  if (spec->name == "exec") flags |= client.multi.queued_flags;
  return pause == ClientPause::kAll || (flags & (kCmdWrite | kCmdMayReplicate));
}

void call(Server& server, Client& client, const CommandSpec& spec,
          std::span<const std::string_view> args) {
  CommandContext ctx{server, client, spec, args, client.reply, unix_time_ms()};
  ErrorStats& errors = server.error_stats();
  errors.mark();
  int64_t start_us = monotonic_us();
  uint64_t dirty_before = server.stats().dirty;
  Propagation& propagation = server.propagation();
  propagation.begin_command(args);
  // EXEC never propagates itself: the commands it ran do, wrapped if several (Redis's call()).
  if (spec.name == "exec") propagation.prevent();
  spec.handler(ctx);
  propagation.end_command(client.db, server.stats().dirty > dirty_before);
  int64_t duration_us = monotonic_us() - start_us;
  // WAIT counts replicas that acknowledged what this command sent them.
  client.woff = server.replication_state().master_repl_offset;
  // Redis answers QUIT before call(), so it never reaches the stats, slow log or MONITOR.
  if (spec.name != "quit") {
    // Looked up after the handler: CONFIG RESETSTAT clears the table while it runs.
    CommandStats& stats = server.command_stats()[&spec];
    ++stats.calls;
    stats.usec += static_cast<uint64_t>(duration_us);
    if (server.config().latency_tracking) stats.latency.record(duration_us * 1000);
    if (errors.errors_since_mark()) ++stats.failed_calls;
    after_command(server, client, spec, args, duration_us);
  }
  errors.mark();
  ++client.commands_processed;
  ++server.stats().commands_processed;
}

void dispatch(Server& server, Client& client, std::span<const std::string_view> args) {
  size_t reply_start = client.conn.output().size();
  const bool was_replica = client.replica;
  client.holding_pushes =
      client.reply_mode == ReplyMode::kOff || client.reply_mode == ReplyMode::kSkip;
  auto [spec, result] = look_up(args);
  // Set before running, as Redis's lastcmd: CLIENT LIST shows the caller's own command.
  if (result == CommandLookup::kFound) client.last_command = spec->name;
  if (std::string error = refusal(server, client, spec, result, args); !error.empty()) {
    reject(server, client, spec, args, error);
  } else if (client.multi.active && !runs_inside_multi(*spec)) {
    queue(client, *spec, args);
  } else {
    call(server, client, *spec, args);
  }
  // CLIENT REPLY OFF/SKIP: the command ran, its reply is dropped.
  switch (client.reply_mode) {
    case ReplyMode::kOn:
      break;
    case ReplyMode::kSkipNext:
      client.reply_mode = ReplyMode::kSkip;
      break;
    case ReplyMode::kSkip:
      client.reply_mode = ReplyMode::kOn;
      [[fallthrough]];
    case ReplyMode::kOff:
      client.conn.output().resize(reply_start);
      break;
  }
  client.holding_pushes = false;
  client.conn.output().append(client.held_pushes);
  client.held_pushes.clear();
  // A replica's connection carries the replication stream: a command of its own that answers
  // something would corrupt it, so Redis drops the replica instead.
  if (was_replica && client.conn.output().size() > reply_start) {
    log(LogLevel::kWarning,
        "Replica generated a reply to command '{}', disconnecting it: id={} addr={}",
        client.last_command, client.id, client.addr);
    client.conn.output().resize(reply_start);
    client.conn.kill();
  }
}

}  // namespace tandem
