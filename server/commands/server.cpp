// Server commands: INFO, CONFIG (GET, SET, RESETSTAT, REWRITE, HELP), DBSIZE, FLUSHDB, FLUSHALL,
// TIME, LASTSAVE, SHUTDOWN and DEBUG, with Redis 7.0's replies and error texts.
//
// SAVE, BGSAVE, DUMP and RESTORE live in persistence.cpp; DEBUG RELOAD saves and reloads through
// server/persistence.h. SHUTDOWN saves as Redis does (SAVE, or save points without NOSAVE), and
// so does FLUSHALL when save points are set.
//
// DEBUG is one command (arity -2) that dispatches on its first argument itself, as Redis's
// debugCommand does, gated by `enable-debug-command` (no / yes / local).
#include <time.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "fmt/format.h"
#include "server/args.h"
#include "server/background_save.h"
#include "server/command_context.h"
#include "server/digest.h"
#include "server/errors.h"
#include "server/help_reply.h"
#include "server/info.h"
#include "server/log.h"
#include "server/persistence.h"
#include "server/serialized_length.h"
#include "storage/list.h"
#include "storage/value.h"

namespace tandem {
namespace {

void reply_help(CommandContext& ctx, std::string_view command,
                std::initializer_list<std::string_view> lines) {
  tandem::reply_help(ctx.reply, command, {lines.begin(), lines.size()});
}

// Redis's islocalClient: the peer is 127.0.0.1 or ::1 (tandem has no unix sockets yet).
bool is_local_client(const Client& client) {
  std::string_view addr = client.addr;
  size_t colon = addr.rfind(':');
  std::string_view ip = colon == std::string_view::npos ? addr : addr.substr(0, colon);
  if (ip.size() >= 2 && ip.front() == '[' && ip.back() == ']') ip = ip.substr(1, ip.size() - 2);
  return ip == "127.0.0.1" || ip == "::1";
}

// ---------------------------------------------------------------------------------------------
// INFO, DBSIZE, TIME, LASTSAVE

void info_command(CommandContext& ctx) {
  ctx.reply.verbatim(build_info(ctx.server, ctx.args.subspan(1)));
}

void dbsize_command(CommandContext& ctx) {
  // Like Redis, keys whose TTL passed but that were not reclaimed yet still count.
  ctx.reply.integer(static_cast<int64_t>(ctx.db().size()));
}

void time_command(CommandContext& ctx) {
  int64_t now_us = unix_time_us();
  ctx.reply.array(2);
  ctx.reply.bulk(fmt::format("{}", now_us / 1'000'000));
  ctx.reply.bulk(fmt::format("{}", now_us % 1'000'000));
}

void lastsave_command(CommandContext& ctx) { ctx.reply.integer(ctx.server.lastsave_seconds()); }

// ---------------------------------------------------------------------------------------------
// FLUSHDB, FLUSHALL

// Redis's getFlushCommandFlags: at most one argument, ASYNC or SYNC; without one,
// lazyfree-lazy-user-flush decides. nullopt after replying with the syntax error.
std::optional<bool> flush_async_arg(CommandContext& ctx) {
  if (ctx.argc() == 1) return ctx.server.config().lazyfree_lazy_user_flush;
  if (ctx.argc() == 2 && iequals(ctx.args[1], "sync")) return false;
  if (ctx.argc() == 2 && iequals(ctx.args[1], "async")) return true;
  ctx.reply.error(kSyntaxError);
  return std::nullopt;
}

// Empties `db`, freeing its contents on the lazy-free thread when asked to.
void flush_database(CommandContext& ctx, Database& db, bool async) {
  if (!async || db.size() == 0) return db.clear();
  uint64_t keys = db.size();
  ctx.server.lazy_free().dispose(db.detach_contents(), keys);
}

void flushdb_command(CommandContext& ctx) {
  auto async = flush_async_arg(ctx);
  if (!async) return;
  Database& db = ctx.db();
  uint64_t removed = db.size();
  flush_database(ctx, db, *async);
  ctx.dirty(removed);
  // Like Redis 7.0, replicas get it even when nothing was removed.
  ctx.force_propagation();
  ctx.reply.ok();
}

void flushall_command(CommandContext& ctx) {
  auto async = flush_async_arg(ctx);
  if (!async) return;
  Keyspace& keyspace = ctx.server.keyspace();
  uint64_t removed = keyspace.total_keys();
  for (int i = 0; i < keyspace.count(); ++i) flush_database(ctx, keyspace.db(i), *async);
  // Like Redis, a running background save is stopped, and with save points configured the
  // now empty dataset is saved at once, keeping the change counter (the flush still counts).
  ctx.server.background_save().cancel();
  if (!ctx.server.config().save.empty()) {
    uint64_t dirty = ctx.server.stats().dirty;
    (void)save_rdb(ctx.server);
    ctx.server.stats().dirty = dirty;
  }
  // Like Redis 7.0, only the removed keys count as changes, and replicas get the FLUSHALL even
  // when nothing was removed.
  ctx.dirty(removed);
  ctx.force_propagation();
  ctx.reply.ok();
}

// ---------------------------------------------------------------------------------------------
// SWAPDB index1 index2

// Redis's getIntFromObjectOrReply with a message: not an integer and out of int range both
// answer `error`.
std::optional<int> db_index_arg(CommandContext& ctx, std::string_view arg, std::string_view error) {
  auto index = int_arg(arg, ctx.reply, error);
  if (!index) return std::nullopt;
  if (*index < INT32_MIN || *index > INT32_MAX) {
    ctx.reply.error(error);
    return std::nullopt;
  }
  return static_cast<int>(*index);
}

// Clients keep the database they selected: only the contents move. As Redis's dbSwapDatabases,
// WATCHers of either side see the change (before it happens, while both sides can be looked at),
// and clients blocked on keys the new contents hold are served after this command.
void swapdb_command(CommandContext& ctx) {
  auto id1 = db_index_arg(ctx, ctx.args[1], "ERR invalid first DB index");
  if (!id1) return;
  auto id2 = db_index_arg(ctx, ctx.args[2], "ERR invalid second DB index");
  if (!id2) return;
  Keyspace& keyspace = ctx.server.keyspace();
  if (*id1 < 0 || *id1 >= keyspace.count() || *id2 < 0 || *id2 >= keyspace.count()) {
    return ctx.reply.error(kDbIndexOutOfRangeError);
  }
  if (*id1 != *id2) {
    ctx.server.watched_keys().touch_all_in(*id1, *id2);
    ctx.server.watched_keys().touch_all_in(*id2, *id1);
    keyspace.db(*id1).swap_contents(keyspace.db(*id2));
    ctx.server.blocking().signal_db_ready(*id1);
    ctx.server.blocking().signal_db_ready(*id2);
  }
  ctx.dirty();
  ctx.reply.ok();
}

// ---------------------------------------------------------------------------------------------
// SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT]

void shutdown_command(CommandContext& ctx) {
  bool nosave = false, save = false, force = false, abort = false, now = false;
  for (size_t i = 1; i < ctx.argc(); ++i) {
    std::string_view arg = ctx.args[i];
    if (iequals(arg, "nosave")) {
      nosave = true;
    } else if (iequals(arg, "save")) {
      save = true;
    } else if (iequals(arg, "now")) {
      now = true;
    } else if (iequals(arg, "force")) {
      force = true;
    } else if (iequals(arg, "abort")) {
      abort = true;
    } else {
      return ctx.reply.error(kSyntaxError);
    }
  }
  if ((abort && (nosave || save || now || force)) || (nosave && save)) {
    return ctx.reply.error(kSyntaxError);
  }
  // A shutdown is only ever "in progress" while Redis waits for replicas to catch up; tandem stops
  // at once, so there is never one to abort.
  if (abort) return ctx.reply.error("ERR No shutdown in progress.");

  log(LogLevel::kWarning, "User requested shutdown...");
  // Like Redis, never while loading: half a dataset must not replace the dump it comes from.
  if (ctx.server.persistence().loading) {
    save = false;
    nosave = true;
  }
  // prepareForShutdown: save when asked, or when save points are configured unless NOSAVE.
  if (save || (!nosave && !ctx.server.config().save.empty())) {
    log(LogLevel::kNotice, "Saving the final RDB snapshot before exiting.");
    if (!save_rdb(ctx.server)) {
      log(LogLevel::kWarning, "Error trying to save the DB, can't exit.");
      if (!force) {
        log(LogLevel::kWarning,
            "Errors trying to shut down the server. Check the logs for more information.");
        return ctx.reply.error("ERR Errors trying to SHUTDOWN. Check logs.");
      }
    }
  }
  // Like Redis, the client gets no reply: the connection closes as the server exits, and nothing
  // pipelined after SHUTDOWN runs.
  ctx.client.close_after_reply = true;
  ctx.server.shutdown();
}

// ---------------------------------------------------------------------------------------------
// CONFIG

void config_help_command(CommandContext& ctx) {
  reply_help(
      ctx, "CONFIG",
      {"GET <pattern>", "    Return parameters matching the glob-like <pattern> and their values.",
       "SET <directive> <value>", "    Set the configuration <directive> to <value>.", "RESETSTAT",
       "    Reset statistics reported by the INFO command.", "REWRITE",
       "    Rewrite the configuration file."});
}

void config_get_command(CommandContext& ctx) {
  // Config reports each parameter once however many patterns match it, as Redis does.
  std::vector<std::string> patterns(ctx.args.begin() + 2, ctx.args.end());
  auto matches = ctx.server.config().get(std::span<const std::string>(patterns));
  ctx.reply.map(static_cast<int64_t>(matches.size()));
  for (const auto& [name, value] : matches) {
    ctx.reply.bulk(name);
    ctx.reply.bulk(value);
  }
}

void config_set_command(CommandContext& ctx) {
  // Dispatch enforced at least one pair; a dangling name is a syntax error, as in Redis.
  if (ctx.argc() % 2 != 0) return ctx.reply.error(kSyntaxError);
  std::vector<std::pair<std::string, std::string>> pairs;
  for (size_t i = 2; i + 1 < ctx.argc(); i += 2) {
    pairs.emplace_back(std::string(ctx.args[i]), std::string(ctx.args[i + 1]));
  }
  auto applied = ctx.server.config().set(pairs, is_local_client(ctx.client));
  if (!applied) return ctx.reply.error(applied.error());
  ctx.reply.ok();
}

void config_resetstat_command(CommandContext& ctx) {
  reset_info_stats(ctx.server);
  ctx.reply.ok();
}

void config_rewrite_command(CommandContext& ctx) {
  if (ctx.server.config().config_file().empty()) {
    return ctx.reply.error("ERR The server is running without a config file");
  }
  auto rewritten = ctx.server.config().rewrite();
  if (!rewritten) {
    log(LogLevel::kWarning, "CONFIG REWRITE failed: {}", rewritten.error());
    return ctx.reply.error(fmt::format("ERR Rewriting config file: {}", rewritten.error()));
  }
  log(LogLevel::kNotice, "CONFIG REWRITE executed with success.");
  ctx.reply.ok();
}

// ---------------------------------------------------------------------------------------------
// DEBUG

constexpr std::string_view kDebugNotAllowed =
    "ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", you "
    "can run it from a local connection, otherwise you need to set this option in the "
    "configuration file, and then restart the server.";

bool debug_allowed(CommandContext& ctx) {
  std::string_view setting = ctx.server.config().enable_debug_command;
  return iequals(setting, "yes") || (iequals(setting, "local") && is_local_client(ctx.client));
}

void debug_syntax_error(CommandContext& ctx) {
  reply_subcommand_syntax_error(ctx.reply, "DEBUG", ctx.args[1]);
}

// Redis shares one object for each integer 0..9999 (refcount INT_MAX, created at startup) unless an
// LRU/LFU maxmemory policy needs per-key access times.
bool is_shared_integer(const Value& value, const Config& config) {
  if (!value.is_int() || value.int_value() < 0 || value.int_value() >= 10000) return false;
  std::string_view policy = config.maxmemory_policy;
  bool needs_own_lru =
      policy.find("lru") != std::string_view::npos || policy.find("lfu") != std::string_view::npos;
  return config.maxmemory == 0 || !needs_own_lru;
}

// The quicklist fields DEBUG OBJECT appends for a list: nodes, average elements per node, the
// fill (list-max-listpack-size when the list was created), whether nodes are LZF-compressed
// (never: list-compress-depth is not supported) and the listpacks' total bytes.
std::string quicklist_details(const Value& value) {
  const List* list = value.as<List>();
  if (!list) return {};
  size_t bytes = 0;
  for (size_t i = 0; i < list->node_count(); ++i) bytes += list->node(i).bytes_size();
  double average = static_cast<double>(list->size()) / static_cast<double>(list->node_count());
  return fmt::format(
      " ql_nodes:{} ql_avg_node:{:.2f} ql_listpack_max:{} ql_compressed:0 "
      "ql_uncompressed_size:{}",
      list->node_count(), average, list->fill(), bytes);
}

void debug_object(CommandContext& ctx) {
  // Redis looks the key up in the table directly, so a key past its TTL that was not reclaimed yet
  // is still described; a lookup "at time 0" sees every stored key the same way. It does not count
  // as an access either (peek, not find).
  Database::Entry* entry = ctx.db().peek(ctx.args[2], 0);
  if (!entry) return ctx.reply.error(kNoSuchKeyError);
  const Value& value = entry->value;
  uint32_t now_clock = lru_clock(ctx.now_ms);
  // A shared integer carries the clock of the server's start, when Redis created it.
  bool shared = is_shared_integer(value, ctx.server.config());
  uint32_t lru = shared ? lru_clock(ctx.server.start_time_ms()) : value.access_time();
  uint64_t idle = now_clock >= lru ? now_clock - lru : now_clock + (kLruClockMax - lru);
  ctx.reply.simple(fmt::format(
      "Value at:{} refcount:{} encoding:{} serializedlength:{} lru:{} lru_seconds_idle:{}{}",
      static_cast<const void*>(&value), shared ? 2147483647 : 1, value.encoding_name(),
      serialized_length(value, ctx.server.config().rdbcompression), lru, idle,
      quicklist_details(value)));
}

// DEBUG SLEEP <seconds>: blocks the whole server, which is the point of it. Like Redis the argument
// is read with strtod (garbage reads as 0).
void debug_sleep(CommandContext& ctx) {
  std::string text(ctx.args[2]);
  double seconds = std::strtod(text.c_str(), nullptr);
  if (std::isfinite(seconds) && seconds > 0) {
    int64_t micros = static_cast<int64_t>(std::min(seconds, 1e9) * 1e6);
    timespec ts{.tv_sec = static_cast<time_t>(micros / 1'000'000),
                .tv_nsec = static_cast<long>(micros % 1'000'000) * 1000};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
  }
  ctx.reply.ok();
}

// DEBUG POPULATE <count> [prefix] [size]: keys "prefix:N" with values "value:N" (padded with NUL
// bytes or cut to `size`), skipping keys that exist. Not counted as writes, as in Redis.
void debug_populate(CommandContext& ctx) {
  constexpr std::string_view kNotPositive = "ERR value is out of range, must be positive";
  int64_t count;
  if (!parse_int64(ctx.args[2], count) || count < 0) return ctx.reply.error(kNotPositive);
  int64_t size = 0;
  if (ctx.argc() == 5 && (!parse_int64(ctx.args[4], size) || size < 0)) {
    return ctx.reply.error(kNotPositive);
  }
  // Redis formats the key with "%s:%lu" into a 128-byte buffer: the prefix ends at a NUL byte and
  // the key is cut at 127 bytes.
  std::string_view prefix = ctx.argc() >= 4 ? ctx.args[3] : "key";
  prefix = prefix.substr(0, prefix.find('\0'));
  Database& db = ctx.db();
  for (int64_t j = 0; j < count; ++j) {
    std::string key = fmt::format("{}:{}", prefix, j);
    if (key.size() > 127) key.resize(127);
    if (db.find(key, ctx.now_ms)) continue;
    std::string value = fmt::format("value:{}", j);
    if (size > 0) value.resize(static_cast<size_t>(size), '\0');
    db.set(key, Value::plain_string(std::move(value)));
  }
  ctx.reply.ok();
}

void debug_digest(CommandContext& ctx) {
  ctx.reply.simple(digest_hex(dataset_digest(ctx.server.keyspace())));
}

void debug_digest_value(CommandContext& ctx) {
  ctx.reply.array(static_cast<int64_t>(ctx.argc() - 2));
  for (size_t i = 2; i < ctx.argc(); ++i) {
    Digest digest{};
    // Redis looks these up with LOOKUP_NOTOUCH: expired keys are gone, nothing is touched.
    if (Database::Entry* entry = ctx.db().peek(ctx.args[i], ctx.now_ms)) {
      digest = value_digest(entry->value, ctx.db().expire_time(entry->key).has_value());
    }
    ctx.reply.simple(digest_hex(digest));
  }
}

// DEBUG PROTOCOL <type>: one fixed reply of each RESP type, for client library tests.
void debug_protocol(CommandContext& ctx) {
  Reply& reply = ctx.reply;
  std::string_view type = ctx.args[2];
  if (iequals(type, "string")) {
    reply.bulk("Hello World");
  } else if (iequals(type, "integer")) {
    reply.integer(12345);
  } else if (iequals(type, "double")) {
    reply.double_value(3.141);
  } else if (iequals(type, "bignum")) {
    constexpr std::string_view kBignum = "1234567999999999999999999999999999999";
    if (reply.resp3()) {
      reply.buffer().append(fmt::format("({}\r\n", kBignum));
    } else {
      reply.bulk(kBignum);
    }
  } else if (iequals(type, "null")) {
    reply.null();
  } else if (iequals(type, "array") || iequals(type, "set")) {
    iequals(type, "set") ? reply.set(3) : reply.array(3);
    for (int j = 0; j < 3; ++j) reply.integer(j);
  } else if (iequals(type, "map")) {
    reply.map(3);
    for (int j = 0; j < 3; ++j) {
      reply.integer(j);
      reply.boolean(j == 1);
    }
  } else if (iequals(type, "attrib")) {
    // An attribute is metadata, not a reply: a real reply follows it (and alone in RESP2).
    if (reply.resp3()) {
      reply.buffer().append("|1\r\n");
      reply.bulk("key-popularity");
      reply.array(2);
      reply.bulk("key:123");
      reply.integer(90);
    }
    reply.bulk("Some real reply following the attribute");
  } else if (iequals(type, "push")) {
    if (!reply.resp3()) return reply.error("ERR RESP2 is not supported by this command");
    reply.push(2);
    reply.bulk("server-cpu-usage");
    reply.integer(42);
    reply.bulk("Some real reply following the push reply");
  } else if (iequals(type, "true") || iequals(type, "false")) {
    reply.boolean(iequals(type, "true"));
  } else if (iequals(type, "verbatim")) {
    reply.verbatim("This is a verbatim\nstring");
  } else {
    reply.error(
        "ERR Wrong protocol type name. Please use one of the following: "
        "string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false");
  }
}

// DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE], as Redis 7.0: saves the dump (unless NOSAVE), then
// loads it, replacing the dataset; with NOFLUSH the dataset is kept and the dump's keys are
// added (with MERGE too, they replace keys of the same name; without it a key in both fails the
// load). Unlike Redis, a failed load leaves the dataset as it was instead of empty.
void debug_reload(CommandContext& ctx) {
  bool save = true;
  bool flush = true;
  bool merge = false;
  for (size_t i = 2; i < ctx.argc(); ++i) {
    if (iequals(ctx.args[i], "nosave")) {
      save = false;
    } else if (iequals(ctx.args[i], "merge")) {
      merge = true;
    } else if (iequals(ctx.args[i], "noflush")) {
      flush = false;
    } else {
      return ctx.reply.error(
          "ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.");
    }
  }
  if (save && !save_rdb(ctx.server)) return ctx.reply.error("ERR");
  // MERGE alone changes nothing: the dataset is flushed before the load anyway.
  const LoadMode mode = flush ? LoadMode::kReplace : merge ? LoadMode::kMerge : LoadMode::kAdd;
  auto loaded = load_rdb(ctx.server, mode);
  if (!loaded || *loaded == LoadOutcome::kNoFile) {
    if (!loaded) log(LogLevel::kWarning, "Error loading the RDB dump: {}", loaded.error());
    return ctx.reply.error("ERR Error trying to load the RDB dump, check server logs.");
  }
  log(LogLevel::kWarning, "DB reloaded by DEBUG RELOAD");
  ctx.reply.ok();
}

void debug_help(CommandContext& ctx) {
  reply_help(ctx, "DEBUG",
             {"DIGEST",
              "    Output a hex signature representing the current DB content.",
              "DIGEST-VALUE <key> [<key> ...]",
              "    Output a hex signature of the values of all the specified keys.",
              "ERROR <string>",
              "    Return a Redis protocol error with <string> as message. Useful for clients",
              "    unit tests to simulate Redis errors.",
              "LOG <message>",
              "    Write <message> to the server log.",
              "OBJECT <key>",
              "    Show low level info about `key` and associated value.",
              "POPULATE <count> [<prefix>] [<size>]",
              "    Create <count> string keys named key:<num>. If <prefix> is specified then",
              "    it is used instead of the 'key' prefix. These are not propagated to",
              "    replicas. Cluster slots are not respected so keys not belonging to the",
              "    current node can be created in cluster mode.",
              "RELOAD [option ...]",
              "    Save the RDB on disk and reload it back to memory. Supported option:",
              "    * NOSAVE: the database will be loaded from an existing RDB file.",
              "PROTOCOL <type>",
              "    Reply with a test value of the specified type. <type> can be: string,",
              "    integer, double, bignum, null, array, set, map, attrib, push, verbatim,",
              "    true, false.",
              "SET-ACTIVE-EXPIRE <0|1>",
              "    Setting it to 0 disables expiring keys in background when they are not",
              "    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
              "    default.",
              "SLEEP <seconds>",
              "    Stop the server for <seconds>. Decimals allowed."});
}

void debug_command(CommandContext& ctx) {
  if (!debug_allowed(ctx)) return ctx.reply.error(kDebugNotAllowed);
  std::string_view sub = ctx.args[1];
  size_t argc = ctx.argc();
  if (iequals(sub, "help") && argc == 2) {
    debug_help(ctx);
  } else if (iequals(sub, "reload")) {
    debug_reload(ctx);
  } else if (iequals(sub, "sleep") && argc == 3) {
    debug_sleep(ctx);
  } else if (iequals(sub, "object") && argc == 3) {
    debug_object(ctx);
  } else if (iequals(sub, "populate") && argc >= 3 && argc <= 5) {
    debug_populate(ctx);
  } else if (iequals(sub, "digest") && argc == 2) {
    debug_digest(ctx);
  } else if (iequals(sub, "digest-value") && argc >= 2) {
    debug_digest_value(ctx);
  } else if (iequals(sub, "set-active-expire") && argc == 3) {
    // atoi, as Redis: anything non-numeric reads as 0.
    ctx.server.set_active_expire_enabled(std::atoi(std::string(ctx.args[2]).c_str()) != 0);
    ctx.reply.ok();
  } else if (iequals(sub, "protocol") && argc == 3) {
    debug_protocol(ctx);
  } else if (iequals(sub, "error") && argc == 3) {
    ctx.reply.error(ctx.args[2]);
  } else if (iequals(sub, "log") && argc == 3) {
    log(LogLevel::kWarning, "DEBUG LOG: {}", ctx.args[2]);
    ctx.reply.ok();
  } else {
    debug_syntax_error(ctx);
  }
}

}  // namespace

void register_server_commands(CommandTable& table) {
  constexpr uint32_t kAdmin = kCmdAdmin | kCmdNoscript | kCmdLoading | kCmdStale;
  constexpr std::string_view kConfigCount =
      "O(N) when N is the number of configuration parameters provided";
  table.add({.name = "info",
             .arity = -1,
             .flags = kCmdLoading | kCmdStale,
             .handler = info_command,
             .group = "server",
             .summary = "Get information and statistics about the server",
             .acl_categories = "@slow @dangerous",
             .tips = "nondeterministic_output request_policy:all_shards response_policy:special",
             .args = "[section [section ...]]"});
  table.add({.name = "dbsize",
             .arity = 1,
             .flags = kCmdReadonly | kCmdFast,
             .handler = dbsize_command,
             .group = "server",
             .summary = "Return the number of keys in the selected database",
             .acl_categories = "@keyspace @read @fast",
             .tips = "request_policy:all_shards response_policy:agg_sum"});
  table.add({.name = "flushdb",
             .arity = -1,
             .flags = kCmdWrite,
             .handler = flushdb_command,
             .group = "server",
             .summary = "Remove all keys from the current database",
             .complexity = "O(N) where N is the number of keys in the selected database",
             .acl_categories = "@keyspace @write @slow @dangerous",
             .tips = "request_policy:all_shards response_policy:all_succeeded",
             .args = "[ASYNC|SYNC]"});
  table.add({.name = "swapdb",
             .arity = 3,
             .flags = kCmdWrite | kCmdFast,
             .handler = swapdb_command,
             .group = "server",
             .summary = "Swaps two Redis databases",
             .since = "4.0.0",
             .complexity = "O(N) where N is the count of clients watching or blocking on keys from "
                           "both databases.",
             .acl_categories = "@keyspace @write @fast @dangerous",
             .args = "index1 index2"});
  table.add({.name = "flushall",
             .arity = -1,
             .flags = kCmdWrite,
             .handler = flushall_command,
             .group = "server",
             .summary = "Remove all keys from all databases",
             .complexity = "O(N) where N is the total number of keys in all databases",
             .acl_categories = "@keyspace @write @slow @dangerous",
             .tips = "request_policy:all_shards response_policy:all_succeeded",
             .args = "[ASYNC|SYNC]"});
  table.add({.name = "time",
             .arity = 1,
             .flags = kCmdLoading | kCmdStale | kCmdFast,
             .handler = time_command,
             .group = "server",
             .summary = "Return the current server time",
             .since = "2.6.0",
             .acl_categories = "@fast",
             .tips = "nondeterministic_output"});
  table.add({.name = "lastsave",
             .arity = 1,
             .flags = kCmdLoading | kCmdStale | kCmdFast,
             .handler = lastsave_command,
             .group = "server",
             .summary = "Get the UNIX time stamp of the last successful save to disk",
             .acl_categories = "@admin @fast @dangerous",
             .tips = "nondeterministic_output"});
  table.add({.name = "shutdown",
             .arity = -1,
             .flags = kAdmin | kCmdNoMulti | kCmdAllowBusy,
             .handler = shutdown_command,
             .group = "server",
             .summary = "Synchronously save the dataset to disk and then shut down the server",
             .complexity = "O(N) when saving, where N is the total number of keys in all databases "
                           "when saving data, otherwise O(1)",
             .acl_categories = "@admin @slow @dangerous",
             .args = "[NOSAVE|SAVE] [NOW] [FORCE] [ABORT]"});
  table.add({.name = "debug",
             .arity = -2,
             .flags = kAdmin,
             .handler = debug_command,
             .group = "server",
             .summary = "A container for debugging commands",
             .complexity = "Depends on subcommand.",
             .acl_categories = "@admin @slow @dangerous"});
  table.add({.name = "config",
             .arity = -2,
             .flags = 0,
             .handler = config_help_command,
             .group = "server",
             .summary = "A container for server configuration commands",
             .since = "2.0.0",
             .complexity = "Depends on subcommand.",
             .acl_categories = "@slow",
             .subcommands = {
                 {.name = "config|rewrite",
                  .arity = 2,
                  .flags = kAdmin,
                  .handler = config_rewrite_command,
                  .group = "server",
                  .summary = "Rewrite the configuration file with the in memory configuration",
                  .since = "2.8.0",
                  .acl_categories = "@admin @slow @dangerous"},
                 {.name = "config|help",
                  .arity = 2,
                  .flags = kCmdLoading | kCmdStale,
                  .handler = config_help_command,
                  .group = "server",
                  .summary = "Show helpful text about the different subcommands",
                  .since = "5.0.0",
                  .acl_categories = "@slow"},
                 {.name = "config|resetstat",
                  .arity = 2,
                  .flags = kAdmin,
                  .handler = config_resetstat_command,
                  .group = "server",
                  .summary = "Reset the stats returned by INFO",
                  .since = "2.0.0",
                  .acl_categories = "@admin @slow @dangerous"},
                 {.name = "config|get",
                  .arity = -3,
                  .flags = kAdmin,
                  .handler = config_get_command,
                  .group = "server",
                  .summary = "Get the values of configuration parameters",
                  .since = "2.0.0",
                  .complexity = kConfigCount,
                  .acl_categories = "@admin @slow @dangerous",
                  .args = "parameter [parameter ...]"},
                 {.name = "config|set",
                  .arity = -4,
                  .flags = kAdmin,
                  .handler = config_set_command,
                  .group = "server",
                  .summary = "Set configuration parameters to the given values",
                  .since = "2.0.0",
                  .complexity = kConfigCount,
                  .acl_categories = "@admin @slow @dangerous",
                  .tips = "request_policy:all_nodes response_policy:all_succeeded",
                  .args = "parameter value [parameter value ...]"},
             }});
}

}  // namespace tandem
