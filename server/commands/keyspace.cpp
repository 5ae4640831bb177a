// Keyspace commands (Redis's "generic" group, db.c and object.c): DEL, UNLINK, EXISTS, TYPE, KEYS,
// SCAN, RANDOMKEY, RENAME, RENAMENX, MOVE, COPY, TOUCH and the OBJECT container.
//
// Lookups follow Redis's lookupKey flavours, which are observable: reads count keyspace hits and
// misses (INFO stats), writes do not; most lookups mark the value accessed (OBJECT IDLETIME
// restarts at 0), but the introspective ones (EXISTS, TYPE, OBJECT) only peek. A key whose TTL has
// passed is invisible to all of them, and deleted on the spot where the expiry policy allows.
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <string>
#include <vector>

#include "fmt/format.h"
#include "server/args.h"
#include "server/command_context.h"
#include "server/errors.h"
#include "server/glob.h"
#include "server/help_reply.h"
#include "server/lazy_free.h"
#include "server/scan_options.h"
#include "storage/value.h"

namespace tandem {
namespace {

using Entry = Database::Entry;

// Redis's OBJ_SHARED_INTEGERS: SET stores 0..9999 as shared objects whose refcount is INT_MAX.
constexpr int64_t kSharedIntegers = 10000;

// lookupKeyRead / lookupKeyReadWithFlags(LOOKUP_NOTOUCH): a read that counts a hit or a miss.
// A database index for MOVE and COPY ... DB; nullptr (error sent) if not a valid one.
Database* db_arg(CommandContext& ctx, std::string_view arg) {
  auto index = int32_arg(arg, ctx.reply);
  if (!index) return nullptr;
  Keyspace& keyspace = ctx.server.keyspace();
  if (*index < 0 || *index >= keyspace.count()) {
    ctx.reply.error(kDbIndexOutOfRangeError);
    return nullptr;
  }
  return &keyspace.db(*index);
}

// DEL and UNLINK. A lazy delete hands values costly to free to the lazy-free thread, as
// Redis's dbAsyncDelete.
void delete_keys(CommandContext& ctx, bool lazy) {
  Database& db = ctx.db();
  int64_t deleted = 0;
  for (size_t i = 1; i < ctx.argc(); ++i) {
    // An expired key is removed first, so it is not counted (but a replica, which only hides
    // expired keys, does delete it when its master says so).
    db.peek(ctx.args[i], ctx.now_ms);
    // take(), not erase(): lazyfree-lazy-user-del decides here, not lazyfree-lazy-server-del.
    std::optional<Value> value = db.take(ctx.args[i]);
    if (!value) continue;
    ++deleted;
    if (lazy && free_effort(*value) > kLazyFreeThreshold)
      ctx.server.lazy_free().dispose(*std::move(value), 1);
  }
  if (deleted) ctx.dirty(deleted);
  ctx.reply.integer(deleted);
}

void del_command(CommandContext& ctx) {
  delete_keys(ctx, ctx.server.config().lazyfree_lazy_user_del);
}

void unlink_command(CommandContext& ctx) { delete_keys(ctx, true); }

void exists_command(CommandContext& ctx) {
  Database& db = ctx.db();
  int64_t found = 0;
  for (size_t i = 1; i < ctx.argc(); ++i) {
    if (ctx.lookup_read(db, ctx.args[i], false)) ++found;
  }
  ctx.reply.integer(found);
}

void type_command(CommandContext& ctx) {
  Entry* e = ctx.lookup_read(ctx.db(), ctx.args[1], false);
  ctx.reply.simple(e ? e->value.type_name() : "none");
}

void keys_command(CommandContext& ctx) {
  Database& db = ctx.db();
  std::string_view pattern = ctx.args[1];
  const bool all = pattern == "*";
  size_t mark = ctx.reply.begin_deferred();
  int64_t count = 0;
  db.for_each([&](Entry& e) {
    if (!all && !glob_match(pattern, e.key, false)) return;
    // KEYS only hides expired keys: deleting them would mutate the table being walked.
    auto when = db.expire_time(e.key);
    if (when && *when < ctx.now_ms) return;
    ctx.reply.bulk(e.key);
    ++count;
  });
  ctx.reply.end_deferred_array(mark, count);
}

void scan_command(CommandContext& ctx) {
  auto cursor = parse_scan_cursor(ctx.args[1], ctx.reply);
  if (!cursor) return;
  auto options = parse_scan_options(ctx.args.subspan(2), /*allow_type=*/true, ctx.reply);
  if (!options) return;

  // Filters apply after the buckets are visited, as in Redis.
  Database& db = ctx.db();
  std::vector<const Entry*> found;
  int64_t budget = options->bucket_budget();
  uint64_t next = *cursor;
  do {
    next = db.scan_stored(next, [&](Entry& e) { found.push_back(&e); });
  } while (next != 0 && budget-- > 0 && static_cast<int64_t>(found.size()) < options->count);

  ctx.reply.array(2);
  ctx.reply.bulk(fmt::format("{}", next));
  size_t mark = ctx.reply.begin_deferred();
  int64_t replied = 0;
  for (const Entry* e : found) {
    if (!options->matches(e->key)) continue;
    // A matching key found expired is deleted now (Redis's expireIfNeeded here), after the
    // scan: entries never move, so the others stay valid.
    if (!db.peek(e->key, ctx.now_ms)) continue;
    if (options->type) {
      ++ctx.server.stats().keyspace_hits;  // Redis reads the type with a counted lookup
      if (!iequals(*options->type, e->value.type_name())) continue;
    }
    ctx.reply.bulk(e->key);
    ++replied;
  }
  ctx.reply.end_deferred_array(mark, replied);
}

void randomkey_command(CommandContext& ctx) {
  Entry* e = ctx.db().random_entry(ctx.now_ms);
  if (!e) return ctx.reply.null();
  ctx.reply.bulk(e->key);
}

void rename_generic(CommandContext& ctx, bool nx) {
  Database& db = ctx.db();
  std::string_view from = ctx.args[1];
  std::string_view to = ctx.args[2];
  if (!db.find(from, ctx.now_ms)) return ctx.reply.error(kNoSuchKeyError);
  // Renaming a key to itself changes nothing, but still needs the key to exist.
  if (from == to) return nx ? ctx.reply.integer(0) : ctx.reply.ok();
  if (db.find(to, ctx.now_ms)) {
    if (nx) return ctx.reply.integer(0);
    db.erase(to);
  }
  // The value keeps its TTL (and its access time) under the new name.
  std::optional<int64_t> expire = db.expire_time(from);
  std::optional<Value> value = db.take(from);
  db.set(to, std::move(*value));
  if (expire) db.set_expire(to, *expire);
  ctx.dirty();
  nx ? ctx.reply.integer(1) : ctx.reply.ok();
}

void rename_command(CommandContext& ctx) { rename_generic(ctx, false); }
void renamenx_command(CommandContext& ctx) { rename_generic(ctx, true); }

void move_command(CommandContext& ctx) {
  Database* dst = db_arg(ctx, ctx.args[2]);
  if (!dst) return;
  Database& src = ctx.db();
  if (dst == &src) return ctx.reply.error(kSameObjectError);
  std::string_view key = ctx.args[1];
  if (!src.find(key, ctx.now_ms) || dst->find(key, ctx.now_ms)) return ctx.reply.integer(0);
  std::optional<int64_t> expire = src.expire_time(key);
  std::optional<Value> value = src.take(key);
  dst->set(key, std::move(*value));
  if (expire) dst->set_expire(key, *expire);
  ctx.dirty();
  ctx.reply.integer(1);
}

void copy_command(CommandContext& ctx) {
  Database& src = ctx.db();
  Database* dst = &src;
  bool replace = false;
  for (size_t i = 3; i < ctx.argc(); ++i) {
    if (iequals(ctx.args[i], "replace")) {
      replace = true;
    } else if (iequals(ctx.args[i], "db") && i + 1 < ctx.argc()) {
      dst = db_arg(ctx, ctx.args[++i]);
      if (!dst) return;
    } else {
      return ctx.reply.error(kSyntaxError);
    }
  }
  std::string_view key = ctx.args[1];
  std::string_view new_key = ctx.args[2];
  if (dst == &src && key == new_key) return ctx.reply.error(kSameObjectError);

  Entry* source = ctx.lookup_read(src, key, true);
  if (!source) return ctx.reply.integer(0);
  if (dst->find(new_key, ctx.now_ms)) {
    if (!replace) return ctx.reply.integer(0);
    dst->erase(new_key);
  }
  // The copy is a new object: same encoding and TTL, but accessed just now.
  Value copy = source->value;
  copy.touch(lru_clock(ctx.now_ms));
  std::optional<int64_t> expire = src.expire_time(key);
  dst->set(new_key, std::move(copy));
  if (expire) dst->set_expire(new_key, *expire);
  ctx.dirty();
  ctx.reply.integer(1);
}

void touch_command(CommandContext& ctx) {
  Database& db = ctx.db();
  int64_t touched = 0;
  for (size_t i = 1; i < ctx.argc(); ++i) {
    if (ctx.lookup_read(db, ctx.args[i], true)) ++touched;
  }
  ctx.reply.integer(touched);
}

// Redis's addReplyHelp: a header, the lines, and HELP itself, each as a status reply.
void object_help_command(CommandContext& ctx) {
  static constexpr std::string_view kLines[] = {
      "ENCODING <key>",
      "    Return the kind of internal representation used in order to store the value",
      "    associated with a <key>.",
      "FREQ <key>",
      "    Return the access frequency index of the <key>. The returned integer is",
      "    proportional to the logarithm of the recent access frequency of the key.",
      "IDLETIME <key>",
      "    Return the idle time of the <key>, that is the approximated number of",
      "    seconds elapsed since the last access to the key.",
      "REFCOUNT <key>",
      "    Return the number of references of the value associated with the specified",
      "    <key>.",
  };
  reply_help(ctx.reply, "OBJECT", kLines);
}

// OBJECT's lookup: no access-time update, and nil (not an error) for a missing key.
Entry* object_lookup(CommandContext& ctx) {
  Entry* e = ctx.lookup_read(ctx.db(), ctx.args[2], false);
  if (!e) ctx.reply.null();
  return e;
}

bool lfu_policy(CommandContext& ctx) {
  return ctx.server.config().maxmemory_policy.find("lfu") != std::string::npos;
}

void object_encoding_command(CommandContext& ctx) {
  if (Entry* e = object_lookup(ctx)) ctx.reply.bulk(e->value.encoding_name());
}

void object_refcount_command(CommandContext& ctx) {
  Entry* e = object_lookup(ctx);
  if (!e) return;
  // Small integers are shared objects in Redis (unless an LRU/LFU maxmemory policy needs per-key
  // access times), and report the shared refcount.
  const Config& config = ctx.server.config();
  bool sharing =
      config.maxmemory == 0 || (config.maxmemory_policy.find("lru") == std::string::npos &&
                                config.maxmemory_policy.find("lfu") == std::string::npos);
  const Value& v = e->value;
  bool shared = sharing && v.is_int() && v.int_value() >= 0 && v.int_value() < kSharedIntegers;
  ctx.reply.integer(shared ? INT_MAX : 1);
}

void object_idletime_command(CommandContext& ctx) {
  Entry* e = object_lookup(ctx);
  if (!e) return;
  if (lfu_policy(ctx)) {
    return ctx.reply.error(
        "ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when "
        "switching between policies at runtime LRU and LFU data will take some time to adjust.");
  }
  ctx.reply.integer(idle_seconds(e->value, ctx.now_ms));
}

void object_freq_command(CommandContext& ctx) {
  Entry* e = object_lookup(ctx);
  if (!e) return;
  if (!lfu_policy(ctx)) {
    return ctx.reply.error(
        "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note "
        "that when switching between policies at runtime LRU and LFU data will take some time to "
        "adjust.");
  }
  // tandem keeps no LFU counters yet; Redis's counter starts at LFU_INIT_VAL.
  ctx.reply.integer(5);
}

}  // namespace

void register_keyspace_commands(CommandTable& table) {
  // Redis's key specs and command tips (src/commands/*.json), as COMMAND INFO shows them.
  constexpr std::string_view kAggSum = "request_policy:multi_shard response_policy:agg_sum";
  const std::vector<KeySpec> kAllKeysDelete = {{.flags = "RM delete", .last_key = -1}};
  const std::vector<KeySpec> kAllKeysRead = {{.flags = "RO", .last_key = -1}};

  table.add({.name = "del",
             .arity = -2,
             .flags = kCmdWrite,
             .first_key = 1,
             .last_key = -1,
             .key_step = 1,
             .handler = del_command,
             .summary = "Delete a key",
             .complexity = "O(N) where N is the number of keys that will be removed. When a key "
                           "to remove holds a value other than a string, the individual "
                           "complexity for this key is O(M) where M is the number of elements in "
                           "the list, set, sorted set or hash. Removing a single key that holds a "
                           "string value is O(1).",
             .acl_categories = "@keyspace",
             .tips = kAggSum,
             .key_specs = kAllKeysDelete,
             .args = "key [key ...]"});
  table.add({.name = "unlink",
             .arity = -2,
             .flags = kCmdWrite | kCmdFast,
             .first_key = 1,
             .last_key = -1,
             .key_step = 1,
             .handler = unlink_command,
             .summary = "Delete a key asynchronously in another thread. Otherwise it is just as "
                        "DEL, but non blocking.",
             .since = "4.0.0",
             .complexity = "O(1) for each key removed regardless of its size. Then the command "
                           "does O(N) work in a different thread in order to reclaim memory, "
                           "where N is the number of allocations the deleted objects where "
                           "composed of.",
             .acl_categories = "@keyspace",
             .tips = kAggSum,
             .key_specs = kAllKeysDelete,
             .args = "key [key ...]"});
  table.add({.name = "exists",
             .arity = -2,
             .flags = kCmdReadonly | kCmdFast,
             .first_key = 1,
             .last_key = -1,
             .key_step = 1,
             .handler = exists_command,
             .summary = "Determine if a key exists",
             .complexity = "O(N) where N is the number of keys to check.",
             .acl_categories = "@keyspace",
             .tips = kAggSum,
             .key_specs = kAllKeysRead,
             .args = "key [key ...]"});
  table.add({.name = "type",
             .arity = 2,
             .flags = kCmdReadonly | kCmdFast,
             .first_key = 1,
             .last_key = 1,
             .key_step = 1,
             .handler = type_command,
             .summary = "Determine the type stored at key",
             .acl_categories = "@keyspace",
             .key_specs = {{.flags = "RO"}},
             .args = "key"});
  table.add({.name = "keys",
             .arity = 2,
             .flags = kCmdReadonly,
             .handler = keys_command,
             .summary = "Find all keys matching the given pattern",
             .complexity = "O(N) with N being the number of keys in the database, under the "
                           "assumption that the key names in the database and the given pattern "
                           "have limited length.",
             .acl_categories = "@keyspace @dangerous",
             .tips = "request_policy:all_shards nondeterministic_output_order",
             .args = "pattern"});
  table.add({.name = "scan",
             .arity = -2,
             .flags = kCmdReadonly,
             .handler = scan_command,
             .summary = "Incrementally iterate the keys space",
             .since = "2.8.0",
             .complexity = "O(1) for every call. O(N) for a complete iteration, including enough "
                           "command calls for the cursor to return back to 0. N is the number of "
                           "elements inside the collection.",
             .acl_categories = "@keyspace",
             .tips = "nondeterministic_output request_policy:special",
             .args = "cursor [MATCH pattern] [COUNT count] [TYPE type]"});
  table.add({.name = "randomkey",
             .arity = 1,
             .flags = kCmdReadonly,
             .handler = randomkey_command,
             .summary = "Return a random key from the keyspace",
             .acl_categories = "@keyspace",
             .tips = "request_policy:all_shards nondeterministic_output"});
  table.add({.name = "rename",
             .arity = 3,
             .flags = kCmdWrite,
             .first_key = 1,
             .last_key = 2,
             .key_step = 1,
             .handler = rename_command,
             .summary = "Rename a key",
             .acl_categories = "@keyspace",
             .key_specs = {{.flags = "RW access delete"}, {.flags = "OW update", .begin_index = 2}},
             .args = "key newkey"});
  table.add({.name = "renamenx",
             .arity = 3,
             .flags = kCmdWrite | kCmdFast,
             .first_key = 1,
             .last_key = 2,
             .key_step = 1,
             .handler = renamenx_command,
             .summary = "Rename a key, only if the new key does not exist",
             .acl_categories = "@keyspace",
             .key_specs = {{.flags = "RW access delete"}, {.flags = "OW insert", .begin_index = 2}},
             .args = "key newkey"});
  table.add({.name = "move",
             .arity = 3,
             .flags = kCmdWrite | kCmdFast,
             .first_key = 1,
             .last_key = 1,
             .key_step = 1,
             .handler = move_command,
             .summary = "Move a key to another database",
             .acl_categories = "@keyspace",
             .key_specs = {{.flags = "RW access update"}},
             .args = "key db"});
  table.add({.name = "copy",
             .arity = -3,
             .flags = kCmdWrite | kCmdDenyOom,
             .first_key = 1,
             .last_key = 2,
             .key_step = 1,
             .handler = copy_command,
             .summary = "Copy a key",
             .since = "6.2.0",
             .complexity = "O(N) worst case for collections, where N is the number of nested "
                           "items. O(1) for string values.",
             .acl_categories = "@keyspace",
             .key_specs = {{.flags = "RO access"}, {.flags = "OW update", .begin_index = 2}},
             .args = "source destination [DB destination-db] [REPLACE]"});
  table.add({.name = "touch",
             .arity = -2,
             .flags = kCmdReadonly | kCmdFast,
             .first_key = 1,
             .last_key = -1,
             .key_step = 1,
             .handler = touch_command,
             .summary = "Alters the last access time of a key(s). Returns the number of existing "
                        "keys specified.",
             .since = "3.2.1",
             .complexity = "O(N) where N is the number of keys that will be touched.",
             .acl_categories = "@keyspace",
             .tips = kAggSum,
             .key_specs = kAllKeysRead,
             .args = "key [key ...]"});

  // OBJECT's subcommands read one key, the third argument.
  auto object_sub = [](std::string_view name, CommandHandler handler, std::string_view summary,
                       std::string_view since) {
    return CommandSpec{.name = name,
                       .arity = 3,
                       .flags = kCmdReadonly,
                       .first_key = 2,
                       .last_key = 2,
                       .key_step = 1,
                       .handler = handler,
                       .summary = summary,
                       .since = since,
                       .acl_categories = "@keyspace",
                       .tips = "nondeterministic_output",
                       .key_specs = {{.flags = "RO", .begin_index = 2}},
                       .args = "key"};
  };
  table.add(
      {.name = "object",
       .arity = -2,
       .flags = 0,
       .handler = object_help_command,
       .summary = "A container for object introspection commands",
       .since = "2.2.3",
       .complexity = "Depends on subcommand.",
       .acl_categories = "@slow",
       .subcommands = {
           object_sub("object|encoding", object_encoding_command,
                      "Inspect the internal encoding of a Redis object", "2.2.3"),
           object_sub("object|freq", object_freq_command,
                      "Get the logarithmic access frequency counter of a Redis object", "4.0.0"),
           object_sub("object|idletime", object_idletime_command,
                      "Get the time since a Redis object was last accessed", "2.2.3"),
           object_sub("object|refcount", object_refcount_command,
                      "Get the number of references to the value of the key", "2.2.3"),
           {.name = "object|help",
            .arity = 2,
            .flags = kCmdLoading | kCmdStale,
            .handler = object_help_command,
            .summary = "Show helpful text about the different subcommands",
            .since = "6.2.0",
            .acl_categories = "@keyspace"},
       }});
}

}  // namespace tandem
