// Persistence commands: SAVE, BGSAVE, DUMP and RESTORE, with Redis 7.0's replies and error texts.
//
// A DUMP payload is exactly Redis's: the value's RDB type byte and encoding, then the RDB version
// as 2 bytes little-endian, then the CRC-64 of everything before it, little-endian. So payloads
// move between tandem and Redis both ways (redis-cli --rdb, MIGRATE-style tools). RESTORE checks
// the version and checksum first, then decodes with full validation whatever
// sanitize-dump-payload says (we are never less strict than Redis).
#include "server/persistence.h"

#include <string>
#include <vector>

#include "fmt/format.h"
#include "rdb/crc64.h"
#include "rdb/decoder.h"
#include "rdb/encoder.h"
#include "rdb/format.h"
#include "replication/replication.h"
#include "server/args.h"
#include "server/background_save.h"
#include "server/command_context.h"
#include "server/errors.h"
#include "server/server.h"
#include "storage/clock.h"

namespace tandem {
namespace {

constexpr std::string_view kBadPayload = "ERR DUMP payload version or checksum are wrong";
constexpr std::string_view kBusyKey = "BUSYKEY Target key name already exists.";

constexpr std::string_view kBgsaveInProgress = "ERR Background save already in progress";

// Redis's child_type == CHILD_TYPE_RDB: a BGSAVE, or a diskless transfer to replicas (an RDB
// child with a socket target) is running.
bool rdb_child_running(Server& server) {
  return server.background_save().in_progress() || server.replication().diskless_started_ms() != 0;
}

void save_command(CommandContext& ctx) {
  if (rdb_child_running(ctx.server)) return ctx.reply.error(kBgsaveInProgress);
  // Redis 7.0 counts SAVE and BGSAVE in rdb_saves, not the saves FLUSHALL, SHUTDOWN or DEBUG
  // RELOAD make.
  ++ctx.server.persistence().rdb_saves;
  if (save_rdb(ctx.server)) return ctx.reply.ok();
  ctx.reply.error("ERR");
}

// BGSAVE [SCHEDULE]. Redis schedules only behind a child of another kind (AOF rewrite, which
// tandem has none of) and inside EXEC (the save starts from the cron afterwards); behind a BGSAVE
// or a diskless transfer both forms are refused.
void bgsave_command(CommandContext& ctx) {
  if (ctx.argc() > 1 && !(ctx.argc() == 2 && iequals(ctx.args[1], "schedule"))) {
    return ctx.reply.error(kSyntaxError);
  }
  if (rdb_child_running(ctx.server)) return ctx.reply.error(kBgsaveInProgress);
  if (ctx.client.multi.executing) {
    ctx.server.background_save().schedule();
    return ctx.reply.simple("Background saving scheduled");
  }
  if (!ctx.server.background_save().start(ctx.server)) return ctx.reply.error("ERR");
  ctx.reply.simple("Background saving started");
}

std::string dump_payload(const Value& value, bool compression) {
  rdb::StringSink sink;
  rdb::Encoder out(sink, {.compression = compression});
  out.typed_value(value);
  (void)out.finish();  // a StringSink cannot fail
  std::string& payload = sink.str();
  payload.push_back(static_cast<char>(rdb::kVersion & 0xff));
  payload.push_back(static_cast<char>((rdb::kVersion >> 8) & 0xff));
  uint64_t crc = rdb::crc64(0, payload);
  for (int i = 0; i < 8; ++i) payload.push_back(static_cast<char>((crc >> (8 * i)) & 0xff));
  return std::move(payload);
}

void dump_command(CommandContext& ctx) {
  Database::Entry* entry = ctx.lookup_read(ctx.args[1]);
  if (!entry) return ctx.reply.null();
  ctx.reply.bulk(dump_payload(entry->value, ctx.server.config().rdbcompression));
}

// Redis's verifyDumpPayload: room for the footer, a version we can read, a matching checksum
// (unless the payload's checksum is skipped the way Redis never skips it for RESTORE).
bool verify_payload(std::string_view p) {
  if (p.size() < 10) return false;
  const size_t footer = p.size() - 10;
  int version = static_cast<uint8_t>(p[footer]) | (static_cast<uint8_t>(p[footer + 1]) << 8);
  if (version > rdb::kVersion) return false;
  uint64_t stored = 0;
  for (int i = 0; i < 8; ++i)
    stored |= uint64_t{static_cast<uint8_t>(p[footer + 2 + i])} << (8 * i);
  return rdb::crc64(0, p.substr(0, footer + 2)) == stored;
}

// RESTORE key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency]
void restore_command(CommandContext& ctx) {
  bool replace = false, absttl = false;
  int64_t idle = -1, freq = -1;
  for (size_t j = 4; j < ctx.argc(); ++j) {
    const size_t additional = ctx.argc() - j - 1;
    std::string_view arg = ctx.args[j];
    if (iequals(arg, "replace")) {
      replace = true;
    } else if (iequals(arg, "absttl")) {
      absttl = true;
    } else if (iequals(arg, "idletime") && additional >= 1 && freq == -1) {
      if (!parse_int64(ctx.args[++j], idle)) return ctx.reply.error(kNotIntegerError);
      if (idle < 0) return ctx.reply.error("ERR Invalid IDLETIME value, must be >= 0");
    } else if (iequals(arg, "freq") && additional >= 1 && idle == -1) {
      if (!parse_int64(ctx.args[++j], freq)) return ctx.reply.error(kNotIntegerError);
      if (freq < 0 || freq > 255) {
        return ctx.reply.error("ERR Invalid FREQ value, must be >= 0 and <= 255");
      }
    } else {
      return ctx.reply.error(kSyntaxError);
    }
  }
  Database& db = ctx.db();
  std::string_view key = ctx.args[1];
  if (!replace && db.exists(key, ctx.now_ms)) return ctx.reply.error(kBusyKey);
  int64_t ttl;
  if (!parse_int64(ctx.args[2], ttl)) return ctx.reply.error(kNotIntegerError);
  if (ttl < 0) return ctx.reply.error("ERR Invalid TTL value, must be >= 0");
  std::string_view payload = ctx.args[3];
  if (!verify_payload(payload)) return ctx.reply.error(kBadPayload);

  // Like Redis, the value is decoded from the whole payload: the footer is not fenced off.
  rdb::StringSource source(payload.substr(1));
  rdb::Reader reader(source);
  rdb::LoadOptions options = rdb_load_options(ctx.server.config());
  rdb::Decoder decoder(reader, options);
  auto value = decoder.value(static_cast<uint8_t>(payload[0]), key);
  if (!value || !*value) return ctx.reply.error("ERR Bad data format");

  const bool deleted = replace && db.erase(key);
  if (ttl && !absttl) ttl += ctx.now_ms;
  if (ttl && ttl <= ctx.now_ms) {
    if (deleted) {
      ctx.propagate_as({"DEL", std::string(key)});  // DEL whatever lazyfree says, as Redis 7.0
      ctx.notify(kNotifyGeneric, "del", key);
      ctx.dirty();
    }
    return ctx.reply.ok();
  }
  if (ttl && !absttl) {
    // Replicas get the absolute time, as Redis sends it.
    std::vector<std::string> args(ctx.args.begin(), ctx.args.end());
    args[2] = std::to_string(ttl);
    args.emplace_back("ABSTTL");
    ctx.propagate_as(std::move(args));
  }
  Database::Entry* entry = db.set(key, std::move(**value));
  if (ttl) db.set_expire(key, ttl);
  // objectSetLRUOrLFU: under an LFU policy FREQ sets the counter, otherwise IDLETIME backdates
  // the access clock; the other option is accepted and ignored.
  if (db.access_tracking().lfu) {
    if (freq >= 0) entry->value.touch(lfu::field(ctx.now_ms, static_cast<uint8_t>(freq)));
  } else if (idle >= 0) {
    entry->value.touch(backdated_access_time(ctx.now_ms, idle));
  }
  ctx.notify(kNotifyGeneric, "restore", key);
  ctx.dirty();
  ctx.reply.ok();
}

}  // namespace

void register_persistence_commands(CommandTable& table) {
  table.add({.name = "save",
             .arity = 1,
             .flags = kCmdAdmin | kCmdNoscript | kCmdNoAsyncLoading | kCmdNoMulti,
             .handler = save_command,
             .group = "server",
             .summary = "Synchronously save the dataset to disk",
             .complexity = "O(N) where N is the total number of keys in all databases",
             .acl_categories = "@admin @slow @dangerous"});
  table.add({.name = "bgsave",
             .arity = -1,
             .flags = kCmdAdmin | kCmdNoscript | kCmdNoAsyncLoading,
             .handler = bgsave_command,
             .group = "server",
             .summary = "Asynchronously save the dataset to disk",
             .complexity = "O(N) where N is the total number of keys in all databases",
             .acl_categories = "@admin @slow @dangerous",
             .args = "[SCHEDULE]"});
  table.add({.name = "dump",
             .arity = 2,
             .flags = kCmdReadonly,
             .first_key = 1,
             .last_key = 1,
             .key_step = 1,
             .handler = dump_command,
             .summary = "Return a serialized version of the value stored at the specified key.",
             .since = "2.6.0",
             .complexity = "O(1) to access the key and additional O(N*M) to serialize it, where N "
                           "is the number of Redis objects composing the value and M their "
                           "average size. For small string values the time complexity is thus "
                           "O(1)+O(1*M) where M is small, so simply O(1).",
             .acl_categories = "@keyspace @read @slow",
             .tips = "nondeterministic_output",
             .args = "key"});
  table.add({.name = "restore",
             .arity = -4,
             .flags = kCmdWrite | kCmdDenyOom,
             .first_key = 1,
             .last_key = 1,
             .key_step = 1,
             .handler = restore_command,
             .summary = "Create a key using the provided serialized value, previously obtained "
                        "using DUMP.",
             .since = "2.6.0",
             .complexity =
                 "O(1) to create the new key and additional O(N*M) to reconstruct the serialized "
                 "value, where N is the number of Redis objects composing the value and M their "
                 "average size. For small string values the time complexity is thus O(1)+O(1*M) "
                 "where M is small, so simply O(1). However for sorted set values the complexity "
                 "is O(N*M*log(N)) because inserting values into sorted sets is O(log(N)).",
             .acl_categories = "@keyspace @write @slow @dangerous",
             .key_specs = {{.flags = "OW update"}},
             .args = "key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] "
                     "[FREQ frequency]"});
}

}  // namespace tandem
