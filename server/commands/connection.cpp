// Connection commands: PING, ECHO, QUIT, SELECT, AUTH, HELLO, RESET.
#include "fmt/format.h"
#include "server/args.h"
#include "server/command_context.h"
#include "server/errors.h"
#include "server/version.h"
#include "storage/value.h"

namespace tandem {
namespace {

void ping_command(CommandContext& ctx) {
  if (ctx.argc() > 2) {
    ctx.reply.error("ERR wrong number of arguments for 'ping' command");
  } else if (ctx.client.resp == 2 && ctx.server.pubsub().subscribed(ctx.client)) {
    // A subscribed RESP2 client reads it among its messages: shaped like one.
    ctx.reply.array(2);
    ctx.reply.bulk("pong");
    ctx.reply.bulk(ctx.argc() == 2 ? ctx.args[1] : "");
  } else if (ctx.argc() == 2) {
    ctx.reply.bulk(ctx.args[1]);
  } else {
    ctx.reply.simple("PONG");
  }
}

void echo_command(CommandContext& ctx) { ctx.reply.bulk(ctx.args[1]); }

void quit_command(CommandContext& ctx) {
  ctx.reply.ok();
  ctx.client.close_after_reply = true;
}

void select_command(CommandContext& ctx) {
  auto index = int32_arg(ctx.args[1], ctx.reply);
  if (!index) return;
  if (*index < 0 || *index >= ctx.server.keyspace().count()) {
    return ctx.reply.error(kDbIndexOutOfRangeError);
  }
  ctx.client.db = static_cast<int>(*index);
  ctx.reply.ok();
}

// Checks a username/password pair against the only user there is for now, "default".
bool check_credentials(Server& server, std::string_view user, std::string_view password) {
  const std::string& required = server.config().requirepass;
  if (user != "default") return false;
  return required.empty() || password == required;
}

void auth_command(CommandContext& ctx) {
  if (ctx.argc() > 3) return ctx.reply.error(kSyntaxError);
  std::string_view user = ctx.argc() == 3 ? ctx.args[1] : "default";
  std::string_view password = ctx.args.back();
  if (ctx.argc() == 2 && ctx.server.config().requirepass.empty()) {
    return ctx.reply.error(
        "ERR AUTH <password> called without any password configured for the default user. Are "
        "you sure your configuration is correct?");
  }
  if (!check_credentials(ctx.server, user, password)) {
    return ctx.reply.error("WRONGPASS invalid username-password pair or user is disabled.");
  }
  ctx.client.authenticated = true;
  ctx.reply.ok();
}

void hello_command(CommandContext& ctx) {
  int protocol = ctx.client.resp;
  size_t next = 1;
  if (ctx.argc() >= 2) {
    int64_t version;
    if (!parse_int64(ctx.args[1], version)) {
      return ctx.reply.error("ERR Protocol version is not an integer or out of range");
    }
    if (version < 2 || version > 3) return ctx.reply.error("NOPROTO unsupported protocol version");
    protocol = static_cast<int>(version);
    next = 2;
  }
  std::string_view new_name;
  bool set_name = false;
  for (size_t i = next; i < ctx.argc(); ++i) {
    bool more = i + 1 < ctx.argc();
    if (iequals(ctx.args[i], "AUTH") && i + 2 < ctx.argc()) {
      if (!check_credentials(ctx.server, ctx.args[i + 1], ctx.args[i + 2])) {
        return ctx.reply.error("WRONGPASS invalid username-password pair or user is disabled.");
      }
      ctx.client.authenticated = true;
      i += 2;
    } else if (iequals(ctx.args[i], "SETNAME") && more) {
      new_name = ctx.args[i + 1];
      set_name = true;
      ++i;
    } else {
      return ctx.reply.error(fmt::format("ERR Syntax error in HELLO option '{}'", ctx.args[i]));
    }
  }
  if (!ctx.client.authenticated) {
    return ctx.reply.error(
        "NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO "
        "AUTH <user> <pass> option can be used to authenticate the client and select "
        "the RESP protocol version at the same time");
  }
  if (set_name) {
    for (char c : new_name) {
      if (c < '!' || c > '~') {
        return ctx.reply.error(
            "ERR Client names cannot contain spaces, newlines or special characters.");
      }
    }
    ctx.client.name = new_name;
  }
  ctx.client.resp = protocol;
  ctx.reply.set_protocol(protocol);
  ctx.reply.map(7);
  ctx.reply.bulk("server");
  ctx.reply.bulk("redis");
  ctx.reply.bulk("version");
  ctx.reply.bulk(kRedisCompatVersion);
  ctx.reply.bulk("proto");
  ctx.reply.integer(protocol);
  ctx.reply.bulk("id");
  ctx.reply.integer(static_cast<int64_t>(ctx.client.id));
  ctx.reply.bulk("mode");
  ctx.reply.bulk("standalone");
  ctx.reply.bulk("role");
  ctx.reply.bulk("master");
  ctx.reply.bulk("modules");
  ctx.reply.array(0);
}

void reset_command(CommandContext& ctx) {
  Client& client = ctx.client;
  client.db = 0;
  client.resp = 2;
  client.reply.set_protocol(2);
  client.name.clear();
  client.reply_mode = ReplyMode::kOn;
  client.no_evict = false;
  client.authenticated = ctx.server.config().requirepass.empty();
  client.multi.discard(ctx.server.watched_keys());
  if (client.monitor) {
    client.monitor = false;
    std::erase(ctx.server.monitors(), &client);
  }
  ctx.server.pubsub().unsubscribe_all(client);
  ctx.reply.simple("RESET");
}

}  // namespace

void register_connection_commands(CommandTable& table) {
  constexpr uint32_t kConn = kCmdFast | kCmdStale | kCmdLoading;
  table.add({.name = "ping",
             .arity = -1,
             .flags = kCmdFast,  // not `stale`: refused while a replica serves no stale data
             .handler = ping_command,
             .group = "connection",
             .summary = "Ping the server"});
  table.add({.name = "echo",
             .arity = 2,
             .flags = kConn,
             .handler = echo_command,
             .group = "connection",
             .summary = "Echo the given string"});
  table.add(
      {.name = "quit",
       .arity = -1,
       .flags = kCmdAllowBusy | kCmdNoscript | kCmdLoading | kCmdStale | kCmdFast | kCmdNoAuth,
       .handler = quit_command,
       .group = "connection",
       .summary = "Close the connection"});
  table.add({.name = "select",
             .arity = 2,
             .flags = kConn,
             .handler = select_command,
             .group = "connection",
             .summary = "Change the selected database for the current connection",
             .args = "index"});
  table.add(
      {.name = "auth",
       .arity = -2,
       .flags = kCmdNoscript | kCmdLoading | kCmdStale | kCmdFast | kCmdNoAuth | kCmdAllowBusy,
       .handler = auth_command,
       .group = "connection",
       .summary = "Authenticate to the server"});
  table.add(
      {.name = "hello",
       .arity = -1,
       .flags = kCmdNoscript | kCmdLoading | kCmdStale | kCmdFast | kCmdNoAuth | kCmdAllowBusy,
       .handler = hello_command,
       .group = "connection",
       .summary = "Handshake with Redis",
       .since = "6.0.0"});
  table.add(
      {.name = "reset",
       .arity = 1,
       .flags = kCmdNoscript | kCmdLoading | kCmdStale | kCmdFast | kCmdNoAuth | kCmdAllowBusy,
       .handler = reset_command,
       .group = "connection",
       .summary = "Reset the connection",
       .since = "6.2.0"});
}

}  // namespace tandem
