// Pub/sub commands (Redis 7.0's pubsub.c): SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE, PUNSUBSCRIBE,
// PUBLISH, the shard variants SSUBSCRIBE, SUNSUBSCRIBE, SPUBLISH (a standalone server has one
// shard: they work as the plain ones on a separate namespace), and PUBSUB's introspection.
//
// Each (un)subscription is confirmed by its own push [kind, name, count], where count is what
// the client still holds: channels plus patterns, or shard channels for the shard kind.
#include "server/pubsub.h"

#include "server/command_context.h"
#include "server/glob.h"
#include "server/help_reply.h"

namespace tandem {
namespace {

// Subscription counts the way Redis's confirmations report them.
size_t confirmed_count(const PubSub& pubsub, const Client& client, PubSubKind kind) {
  if (kind == PubSubKind::kShardChannel) return pubsub.count(client, kind);
  return pubsub.count(client, PubSubKind::kChannel) + pubsub.count(client, PubSubKind::kPattern);
}

// [action, name (null when there was nothing to unsubscribe from), count] as a push. It goes
// with the command's replies (inside EXEC's array too), unless those are being dropped.
void confirm(CommandContext& ctx, PubSubKind kind, std::string_view action,
             const std::string_view* name) {
  Reply held(ctx.client.held_pushes);
  held.set_protocol(ctx.client.resp);
  Reply& push = ctx.client.holding_pushes ? held : ctx.reply;
  push.push(3);
  push.bulk(action);
  name ? push.bulk(*name) : push.null();
  push.integer(static_cast<int64_t>(confirmed_count(ctx.server.pubsub(), ctx.client, kind)));
}

void subscribe(CommandContext& ctx, PubSubKind kind, std::string_view action) {
  for (size_t i = 1; i < ctx.argc(); ++i) {
    ctx.server.pubsub().subscribe(ctx.client, kind, ctx.args[i]);
    confirm(ctx, kind, action, &ctx.args[i]);
  }
}

// Without arguments: from every subscription of the kind, in the order they were made.
void unsubscribe(CommandContext& ctx, PubSubKind kind, std::string_view action) {
  PubSub& pubsub = ctx.server.pubsub();
  if (ctx.argc() > 1) {
    for (size_t i = 1; i < ctx.argc(); ++i) {
      pubsub.unsubscribe(ctx.client, kind, ctx.args[i]);
      confirm(ctx, kind, action, &ctx.args[i]);
    }
    return;
  }
  std::vector<std::string> names = pubsub.subscriptions(ctx.client, kind);
  if (names.empty()) return confirm(ctx, kind, action, nullptr);
  for (const std::string& name : names) {
    pubsub.unsubscribe(ctx.client, kind, name);
    std::string_view view = name;
    confirm(ctx, kind, action, &view);
  }
}

void subscribe_command(CommandContext& ctx) { subscribe(ctx, PubSubKind::kChannel, "subscribe"); }
void psubscribe_command(CommandContext& ctx) { subscribe(ctx, PubSubKind::kPattern, "psubscribe"); }
void ssubscribe_command(CommandContext& ctx) {
  // Redis 7.0 refuses it to CLIENT_DENY_BLOCKING clients, which EXEC makes of its caller (and,
  // unlike SUBSCRIBE, without an exception for transactions).
  if (ctx.client.multi.executing) {
    return ctx.reply.error("ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client");
  }
  subscribe(ctx, PubSubKind::kShardChannel, "ssubscribe");
}
void unsubscribe_command(CommandContext& ctx) {
  unsubscribe(ctx, PubSubKind::kChannel, "unsubscribe");
}
void punsubscribe_command(CommandContext& ctx) {
  unsubscribe(ctx, PubSubKind::kPattern, "punsubscribe");
}
void sunsubscribe_command(CommandContext& ctx) {
  unsubscribe(ctx, PubSubKind::kShardChannel, "sunsubscribe");
}

void publish_to(CommandContext& ctx, PubSubKind kind) {
  size_t receivers = publish(ctx.server, kind, ctx.args[1], ctx.args[2], &ctx.client, &ctx.reply);
  // Replicas' subscribers get the message too (Redis without cluster mode).
  ctx.force_propagation();
  ctx.reply.integer(static_cast<int64_t>(receivers));
}

void publish_command(CommandContext& ctx) { publish_to(ctx, PubSubKind::kChannel); }
void spublish_command(CommandContext& ctx) { publish_to(ctx, PubSubKind::kShardChannel); }

// PUBSUB CHANNELS / SHARDCHANNELS [pattern].
void list_channels(CommandContext& ctx, PubSubKind kind) {
  if (ctx.argc() > 3) return reply_subcommand_syntax_error(ctx.reply, ctx.args[0], ctx.args[1]);
  std::vector<std::string_view> names = ctx.server.pubsub().names(kind);
  if (ctx.argc() == 3) {
    std::erase_if(names, [&](std::string_view name) { return !glob_match(ctx.args[2], name); });
  }
  ctx.reply.array(static_cast<int64_t>(names.size()));
  for (std::string_view name : names) ctx.reply.bulk(name);
}

// PUBSUB NUMSUB / SHARDNUMSUB [channel ...]: a flat array of channel, count (RESP3 too).
void count_subscribers(CommandContext& ctx, PubSubKind kind) {
  ctx.reply.array(static_cast<int64_t>(ctx.argc() - 2) * 2);
  for (size_t i = 2; i < ctx.argc(); ++i) {
    ctx.reply.bulk(ctx.args[i]);
    ctx.reply.integer(static_cast<int64_t>(ctx.server.pubsub().subscribers(kind, ctx.args[i])));
  }
}

void pubsub_channels_command(CommandContext& ctx) { list_channels(ctx, PubSubKind::kChannel); }
void pubsub_shardchannels_command(CommandContext& ctx) {
  list_channels(ctx, PubSubKind::kShardChannel);
}
void pubsub_numsub_command(CommandContext& ctx) { count_subscribers(ctx, PubSubKind::kChannel); }
void pubsub_shardnumsub_command(CommandContext& ctx) {
  count_subscribers(ctx, PubSubKind::kShardChannel);
}
void pubsub_numpat_command(CommandContext& ctx) {
  ctx.reply.integer(static_cast<int64_t>(ctx.server.pubsub().size(PubSubKind::kPattern)));
}

constexpr std::string_view kPubsubHelp[] = {
    "CHANNELS [<pattern>]",
    "    Return the currently active channels matching a <pattern> (default: '*').",
    "NUMPAT",
    "    Return number of subscriptions to patterns.",
    "NUMSUB [<channel> ...]",
    "    Return the number of subscribers for the specified channels, excluding",
    "    pattern subscriptions(default: no channels).",
    "SHARDCHANNELS [<pattern>]",
    "    Return the currently active shard level channels matching a <pattern> (default: '*').",
    "SHARDNUMSUB [<shardchannel> ...]",
    "    Return the number of subscribers for the specified shard level channel(s)",
};

void pubsub_help_command(CommandContext& ctx) { reply_help(ctx.reply, "PUBSUB", kPubsubHelp); }

}  // namespace

void register_pubsub_commands(CommandTable& table) {
  constexpr uint32_t kSubscribe = kCmdPubsub | kCmdNoscript | kCmdLoading | kCmdStale;
  constexpr uint32_t kPublish = kCmdPubsub | kCmdLoading | kCmdStale | kCmdFast | kCmdMayReplicate;
  constexpr uint32_t kIntrospect = kCmdPubsub | kCmdLoading | kCmdStale;
  // Shard channels are keys to cluster routing only: COMMAND INFO flags them not_key.
  const std::vector<KeySpec> kShardChannels = {{.flags = "not_key", .last_key = -1}};

  table.add({.name = "subscribe",
             .arity = -2,
             .flags = kSubscribe,
             .handler = subscribe_command,
             .group = "pubsub",
             .summary = "Listen for messages published to the given channels",
             .since = "2.0.0",
             .complexity = "O(N) where N is the number of channels to subscribe to.",
             .args = "channel [channel ...]"});
  table.add({.name = "unsubscribe",
             .arity = -1,
             .flags = kSubscribe,
             .handler = unsubscribe_command,
             .group = "pubsub",
             .summary = "Stop listening for messages posted to the given channels",
             .since = "2.0.0",
             .complexity = "O(N) where N is the number of clients already subscribed to a channel.",
             .args = "[channel [channel ...]]"});
  table.add(
      {.name = "psubscribe",
       .arity = -2,
       .flags = kSubscribe,
       .handler = psubscribe_command,
       .group = "pubsub",
       .summary = "Listen for messages published to channels matching the given patterns",
       .since = "2.0.0",
       .complexity = "O(N) where N is the number of patterns the client is already subscribed to.",
       .args = "pattern [pattern ...]"});
  table.add({.name = "punsubscribe",
             .arity = -1,
             .flags = kSubscribe,
             .handler = punsubscribe_command,
             .group = "pubsub",
             .summary = "Stop listening for messages posted to channels matching the given "
                        "patterns",
             .since = "2.0.0",
             .complexity = "O(N+M) where N is the number of patterns the client is already "
                           "subscribed and M is the number of total patterns subscribed in the "
                           "system (by any client).",
             .args = "[pattern [pattern ...]]"});
  table.add({.name = "publish",
             .arity = 3,
             .flags = kPublish,
             .handler = publish_command,
             .group = "pubsub",
             .summary = "Post a message to a channel",
             .since = "2.0.0",
             .complexity = "O(N+M) where N is the number of clients subscribed to the receiving "
                           "channel and M is the total number of subscribed patterns (by any "
                           "client).",
             .args = "channel message"});
  table.add({.name = "ssubscribe",
             .arity = -2,
             .flags = kSubscribe,
             .first_key = 1,
             .last_key = -1,
             .key_step = 1,
             .handler = ssubscribe_command,
             .group = "pubsub",
             .summary = "Listen for messages published to the given shard channels",
             .since = "7.0.0",
             .complexity = "O(N) where N is the number of shard channels to subscribe to.",
             .key_specs = kShardChannels,
             .args = "shardchannel [shardchannel ...]"});
  table.add(
      {.name = "sunsubscribe",
       .arity = -1,
       .flags = kSubscribe,
       .first_key = 1,
       .last_key = -1,
       .key_step = 1,
       .handler = sunsubscribe_command,
       .group = "pubsub",
       .summary = "Stop listening for messages posted to the given shard channels",
       .since = "7.0.0",
       .complexity = "O(N) where N is the number of clients already subscribed to a shard channel.",
       .key_specs = kShardChannels,
       .args = "[shardchannel [shardchannel ...]]"});
  table.add({.name = "spublish",
             .arity = 3,
             .flags = kPublish,
             .first_key = 1,
             .last_key = 1,
             .key_step = 1,
             .handler = spublish_command,
             .group = "pubsub",
             .summary = "Post a message to a shard channel",
             .since = "7.0.0",
             .complexity =
                 "O(N) where N is the number of clients subscribed to the receiving shard channel.",
             .key_specs = {{.flags = "not_key"}},
             .args = "shardchannel message"});

  table.add({
      .name = "pubsub",
      .arity = -2,
      .flags = 0,
      .group = "pubsub",
      .summary = "A container for Pub/Sub commands",
      .since = "2.8.0",
      .complexity = "Depends on subcommand.",
      .acl_categories = "@slow",
      .subcommands =
          {
              {.name = "pubsub|channels",
               .arity = -2,
               .flags = kIntrospect,
               .handler = pubsub_channels_command,
               .group = "pubsub",
               .summary = "List active channels",
               .since = "2.8.0",
               .complexity = "O(N) where N is the number of active channels, and assuming "
                             "constant time pattern matching (relatively short channels and "
                             "patterns)",
               .args = "[pattern]"},
              {.name = "pubsub|help",
               .arity = 2,
               .flags = kCmdLoading | kCmdStale,
               .handler = pubsub_help_command,
               .group = "pubsub",
               .summary = "Show helpful text about the different subcommands",
               .since = "6.2.0",
               .acl_categories = "@slow"},
              {.name = "pubsub|numpat",
               .arity = 2,
               .flags = kIntrospect,
               .handler = pubsub_numpat_command,
               .group = "pubsub",
               .summary = "Get the count of unique patterns pattern subscriptions",
               .since = "2.8.0"},
              {.name = "pubsub|numsub",
               .arity = -2,
               .flags = kIntrospect,
               .handler = pubsub_numsub_command,
               .group = "pubsub",
               .summary = "Get the count of subscribers for channels",
               .since = "2.8.0",
               .complexity = "O(N) for the NUMSUB subcommand, where N is the number of "
                             "requested channels",
               .args = "[channel [channel ...]]"},
              {.name = "pubsub|shardchannels",
               .arity = -2,
               .flags = kIntrospect,
               .handler = pubsub_shardchannels_command,
               .group = "pubsub",
               .summary = "List active shard channels",
               .since = "7.0.0",
               .complexity = "O(N) where N is the number of active shard channels, and "
                             "assuming constant time pattern matching (relatively short shard "
                             "channels).",
               .args = "[pattern]"},
              {.name = "pubsub|shardnumsub",
               .arity = -2,
               .flags = kIntrospect,
               .handler = pubsub_shardnumsub_command,
               .group = "pubsub",
               .summary = "Get the count of subscribers for shard channels",
               .since = "7.0.0",
               .complexity = "O(N) for the SHARDNUMSUB subcommand, where N is the number of "
                             "requested shard channels",
               .args = "[shardchannel [shardchannel ...]]"},
          },
  });
}

}  // namespace tandem
