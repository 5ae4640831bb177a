// Expiry commands (Redis's expire.c): EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT with NX/XX/GT/LT, TTL,
// PTTL, EXPIRETIME, PEXPIRETIME and PERSIST.
//
// Times are absolute milliseconds since the epoch, as the database stores them. Setting a time that
// has already come deletes the key at once (and answers 1), except on a replica, which keeps the
// key with its past TTL and waits for its master's DEL, as Redis's checkAlreadyExpired does.
#include <climits>
#include <optional>
#include <string>
#include <vector>

#include "fmt/format.h"
#include "server/args.h"
#include "server/command_context.h"
#include "server/errors.h"

namespace tandem {
namespace {

enum ExpireFlag : unsigned { kExpireNx = 1, kExpireXx = 2, kExpireGt = 4, kExpireLt = 8 };

// Redis's parseExtendedExpireArgumentsOrReply. Options are checked before the time argument, so
// "EXPIRE k abc foo" complains about foo.
std::optional<unsigned> parse_expire_flags(CommandContext& ctx) {
  unsigned flags = 0;
  for (size_t i = 3; i < ctx.argc(); ++i) {
    std::string_view option = ctx.args[i];
    if (iequals(option, "nx")) {
      flags |= kExpireNx;
    } else if (iequals(option, "xx")) {
      flags |= kExpireXx;
    } else if (iequals(option, "gt")) {
      flags |= kExpireGt;
    } else if (iequals(option, "lt")) {
      flags |= kExpireLt;
    } else {
      ctx.reply.error(fmt::format("ERR Unsupported option {}", option));
      return std::nullopt;
    }
  }
  if ((flags & kExpireNx) && (flags & (kExpireXx | kExpireGt | kExpireLt))) {
    ctx.reply.error("ERR NX and XX, GT or LT options at the same time are not compatible");
    return std::nullopt;
  }
  if ((flags & kExpireGt) && (flags & kExpireLt)) {
    ctx.reply.error("ERR GT and LT options at the same time are not compatible");
    return std::nullopt;
  }
  return flags;
}

// Whether the NX/XX/GT/LT conditions let `when` replace the key's current expiry. No TTL counts as
// an infinite one: GT never beats it and LT always does.
bool expire_allowed(unsigned flags, std::optional<int64_t> current, int64_t when) {
  if ((flags & kExpireNx) && current) return false;
  if ((flags & kExpireXx) && !current) return false;
  if ((flags & kExpireGt) && (!current || when <= *current)) return false;
  if ((flags & kExpireLt) && current && when >= *current) return false;
  return true;
}

// Replicas get the absolute time in milliseconds whatever form was called, with the options
// as given (Redis's expireGenericCommand rewrites only the name and the time).
void propagate_as_pexpireat(CommandContext& ctx, int64_t when) {
  if (ctx.spec.name == "pexpireat") return;
  std::vector<std::string> args(ctx.args.begin(), ctx.args.end());
  args[0] = "PEXPIREAT";
  args[2] = std::to_string(when);
  ctx.propagate_as(std::move(args));
}

// EXPIRE and friends: `basetime_ms` is 0 for the absolute forms, and the time argument counts
// seconds or milliseconds.
void expire_generic(CommandContext& ctx, int64_t basetime_ms, bool seconds) {
  auto flags = parse_expire_flags(ctx);
  if (!flags) return;
  auto when = int_arg(ctx.args[2], ctx.reply);
  if (!when) return;
  // Negative times are allowed (they delete the key); only overflow is an error.
  const std::string invalid = fmt::format(fmt::runtime(kInvalidExpireError), ctx.spec.name);
  if (seconds) {
    if (*when > INT64_MAX / 1000 || *when < INT64_MIN / 1000) return ctx.reply.error(invalid);
    *when *= 1000;
  }
  if (*when > INT64_MAX - basetime_ms) return ctx.reply.error(invalid);
  *when += basetime_ms;

  Database& db = ctx.db();
  std::string_view key = ctx.args[1];
  if (!db.find(key, ctx.now_ms)) return ctx.reply.integer(0);
  if (*flags && !expire_allowed(*flags, db.expire_time(key), *when)) {
    return ctx.reply.integer(0);
  }
  if (*when <= ctx.now_ms && ctx.server.keyspace().expiry().delete_expired) {
    db.erase(key, ExpiryPolicy::Drop::kExpired);  // lazyfree-lazy-expire decides, as Redis
    ctx.propagate_as_deletion(key, ctx.server.config().lazyfree_lazy_expire);
  } else {
    db.set_expire(key, *when);
    propagate_as_pexpireat(ctx, *when);
  }
  ctx.dirty();
  ctx.reply.integer(1);
}

void expire_command(CommandContext& ctx) { expire_generic(ctx, ctx.now_ms, true); }
void pexpire_command(CommandContext& ctx) { expire_generic(ctx, ctx.now_ms, false); }
void expireat_command(CommandContext& ctx) { expire_generic(ctx, 0, true); }
void pexpireat_command(CommandContext& ctx) { expire_generic(ctx, 0, false); }

// Redis's ttlGenericCommand: -2 for a missing key, -1 for one without TTL, otherwise the remaining
// time (never below 0) or the absolute time, seconds rounded to the nearest.
void ttl_generic(CommandContext& ctx, bool milliseconds, bool absolute) {
  Database& db = ctx.db();
  std::string_view key = ctx.args[1];
  if (!ctx.lookup_read(db, key, /*touch=*/false)) return ctx.reply.integer(-2);
  std::optional<int64_t> expire = db.expire_time(key);
  if (!expire) return ctx.reply.integer(-1);
  int64_t ttl = absolute ? *expire : *expire - ctx.now_ms;
  if (ttl < 0) ttl = 0;
  // Rounds without overflowing near INT64_MAX (Redis's (ttl+500)/1000 gets this right too).
  ctx.reply.integer(milliseconds ? ttl : ttl / 1000 + (ttl % 1000 >= 500 ? 1 : 0));
}

void ttl_command(CommandContext& ctx) { ttl_generic(ctx, false, false); }
void pttl_command(CommandContext& ctx) { ttl_generic(ctx, true, false); }
void expiretime_command(CommandContext& ctx) { ttl_generic(ctx, false, true); }
void pexpiretime_command(CommandContext& ctx) { ttl_generic(ctx, true, true); }

void persist_command(CommandContext& ctx) {
  Database& db = ctx.db();
  std::string_view key = ctx.args[1];
  if (!db.find(key, ctx.now_ms) || !db.persist(key)) return ctx.reply.integer(0);
  ctx.dirty();
  ctx.reply.integer(1);
}

}  // namespace

void register_expiry_commands(CommandTable& table) {
  // Redis's key specs and command tips (src/commands/*.json), as COMMAND INFO shows them.
  const std::vector<KeySpec> kUpdate = {{.flags = "RW update"}};
  const std::vector<KeySpec> kRead = {{.flags = "RO access"}};
  auto setter = [&](std::string_view name, CommandHandler handler, std::string_view summary,
                    std::string_view since, std::string_view time_arg) {
    table.add({.name = name,
               .arity = -3,
               .flags = kCmdWrite | kCmdFast,
               .first_key = 1,
               .last_key = 1,
               .key_step = 1,
               .handler = handler,
               .summary = summary,
               .since = since,
               .acl_categories = "@keyspace",
               .key_specs = kUpdate,
               .args = time_arg});
  };
  setter("expire", expire_command, "Set a key's time to live in seconds", "1.0.0",
         "key seconds [NX|XX|GT|LT]");
  setter("pexpire", pexpire_command, "Set a key's time to live in milliseconds", "2.6.0",
         "key milliseconds [NX|XX|GT|LT]");
  setter("expireat", expireat_command, "Set the expiration for a key as a UNIX timestamp", "1.2.0",
         "key unix-time-seconds [NX|XX|GT|LT]");
  setter("pexpireat", pexpireat_command,
         "Set the expiration for a key as a UNIX timestamp specified in milliseconds", "2.6.0",
         "key unix-time-milliseconds [NX|XX|GT|LT]");

  auto getter = [&](std::string_view name, CommandHandler handler, std::string_view summary,
                    std::string_view since, std::string_view tips) {
    table.add({.name = name,
               .arity = 2,
               .flags = kCmdReadonly | kCmdFast,
               .first_key = 1,
               .last_key = 1,
               .key_step = 1,
               .handler = handler,
               .summary = summary,
               .since = since,
               .acl_categories = "@keyspace",
               .tips = tips,
               .key_specs = kRead,
               .args = "key"});
  };
  // The remaining time depends on when the command runs; the absolute time does not.
  getter("ttl", ttl_command, "Get the time to live for a key in seconds", "1.0.0",
         "nondeterministic_output");
  getter("pttl", pttl_command, "Get the time to live for a key in milliseconds", "2.6.0",
         "nondeterministic_output");
  getter("expiretime", expiretime_command, "Get the expiration Unix timestamp for a key", "7.0.0",
         "");
  getter("pexpiretime", pexpiretime_command,
         "Get the expiration Unix timestamp for a key in milliseconds", "7.0.0", "");

  table.add({.name = "persist",
             .arity = 2,
             .flags = kCmdWrite | kCmdFast,
             .first_key = 1,
             .last_key = 1,
             .key_step = 1,
             .handler = persist_command,
             .summary = "Remove the expiration from a key",
             .since = "2.2.0",
             .acl_categories = "@keyspace",
             .key_specs = kUpdate,
             .args = "key"});
}

}  // namespace tandem
