// Hash commands, following Redis 7.0's t_hash.c: HSET/HMSET/HSETNX, HGET/HMGET/HGETALL/HKEYS/
// HVALS, HDEL, HLEN, HEXISTS, HSTRLEN, the integer and float counters, HRANDFIELD and HSCAN.
//
// Invariants kept here, as Redis keeps them:
// - Read lookups count a keyspace hit or miss (lookupKeyRead); write lookups do not.
// - Arguments are checked in Redis's order: counts and increments are parsed before the key's
//   type is checked, so each bad input gets the very error Redis gives it.
// - A hash is never left empty in the keyspace: HDEL deletes the key with its last field, and
//   the writes that create a key (HSET, HSETNX, HINCRBY*) only store it once a field is set.
// - Encodings convert listpack -> hashtable inside Hash::set (storage/hash.h), with the limits
//   read from the config at each write, so CONFIG SET applies to the next write.
#include <cctype>
#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <random>
#include <string>
#include <unordered_set>
#include <vector>

#include "fmt/format.h"
#include "server/args.h"
#include "server/command_context.h"
#include "server/errors.h"
#include "server/glob.h"
#include "server/number_format.h"
#include "server/scan_options.h"
#include "storage/hash.h"
#include "storage/random.h"
#include "storage/value.h"

namespace tandem {
namespace {

using Entry = Database::Entry;

Hash::Limits hash_limits(CommandContext& ctx) {
  return {.max_listpack_entries = ctx.server.config().hash_max_listpack_entries,
          .max_listpack_value = ctx.server.config().hash_max_listpack_value};
}

// The hash at `key` for reading (a counted lookup). Replies `missing` (via the callback) when
// the key does not exist and WRONGTYPE when it holds another type; returns nullptr then.
template <typename OnMissing>
const Hash* read_hash(CommandContext& ctx, std::string_view key, OnMissing&& on_missing) {
  Entry* e = ctx.lookup_read(key);
  if (!e) {
    on_missing();
    return nullptr;
  }
  const Hash* h = e->value.as<Hash>();
  if (!h) ctx.reply.error(kWrongTypeError);
  return h;
}

// Redis's hashTypeLookupWriteOrCreate without the create: the entry (nullptr when missing) or
// WRONGTYPE replied and `ok` false.
Entry* write_lookup(CommandContext& ctx, std::string_view key, bool& ok) {
  Entry* e = ctx.db().find(key, ctx.now_ms);
  ok = !e || e->value.as<Hash>();
  if (!ok) ctx.reply.error(kWrongTypeError);
  return e;
}

// The hash to write into, created (and stored under `key`) if missing; the caller writes it, so
// the key counts as modified.
Hash& writable_hash(CommandContext& ctx, std::string_view key, Entry* e) {
  if (!e) {
    Value v = Value::make<Hash>();
    v.touch(ctx.db().new_access_field(ctx.now_ms));
    e = ctx.db().set(key, std::move(v));
  }
  ctx.signal_modified_key(key);
  return e->value.mutable_as<Hash>();
}

// --- setting ---

void hset_generic(CommandContext& ctx, bool hmset) {
  if (ctx.argc() % 2 == 1) {
    return ctx.reply.error(
        fmt::format("ERR wrong number of arguments for '{}' command", ctx.spec.name));
  }
  bool ok;
  Entry* e = write_lookup(ctx, ctx.args[1], ok);
  if (!ok) return;
  Hash& h = writable_hash(ctx, ctx.args[1], e);
  const Hash::Limits lim = hash_limits(ctx);
  int64_t created = 0;
  for (size_t i = 2; i < ctx.argc(); i += 2) {
    if (h.set(ctx.args[i], ctx.args[i + 1], lim)) ++created;
  }
  if (hmset) {
    ctx.reply.ok();
  } else {
    ctx.reply.integer(created);
  }
  ctx.notify(kNotifyHash, "hset", ctx.args[1]);
  ctx.dirty(static_cast<uint64_t>((ctx.argc() - 2) / 2));
}

void hset_command(CommandContext& ctx) { hset_generic(ctx, false); }
void hmset_command(CommandContext& ctx) { hset_generic(ctx, true); }

void hsetnx_command(CommandContext& ctx) {
  bool ok;
  Entry* e = write_lookup(ctx, ctx.args[1], ok);
  if (!ok) return;
  if (e && e->value.as<Hash>()->contains(ctx.args[2])) return ctx.reply.integer(0);
  writable_hash(ctx, ctx.args[1], e).set(ctx.args[2], ctx.args[3], hash_limits(ctx));
  ctx.reply.integer(1);
  ctx.notify(kNotifyHash, "hset", ctx.args[1]);
  ctx.dirty();
}

// --- reading ---

void hget_command(CommandContext& ctx) {
  const Hash* h = read_hash(ctx, ctx.args[1], [&] { ctx.reply.null(); });
  if (!h) return;
  std::string scratch;
  auto v = h->get(ctx.args[2], scratch);
  if (!v) return ctx.reply.null();
  ctx.reply.bulk(*v);
}

void hmget_command(CommandContext& ctx) {
  // A missing key reads as an empty hash: one null per field.
  Entry* e = ctx.lookup_read(ctx.args[1]);
  const Hash* h = e ? e->value.as<Hash>() : nullptr;
  if (e && !h) return ctx.reply.error(kWrongTypeError);
  ctx.reply.array(static_cast<int64_t>(ctx.argc() - 2));
  std::string scratch;
  for (size_t i = 2; i < ctx.argc(); ++i) {
    auto v = h ? h->get(ctx.args[i], scratch) : std::nullopt;
    if (v) {
      ctx.reply.bulk(*v);
    } else {
      ctx.reply.null();
    }
  }
}

void hlen_command(CommandContext& ctx) {
  const Hash* h = read_hash(ctx, ctx.args[1], [&] { ctx.reply.integer(0); });
  if (h) ctx.reply.integer(static_cast<int64_t>(h->size()));
}

void hexists_command(CommandContext& ctx) {
  const Hash* h = read_hash(ctx, ctx.args[1], [&] { ctx.reply.integer(0); });
  if (h) ctx.reply.integer(h->contains(ctx.args[2]) ? 1 : 0);
}

void hstrlen_command(CommandContext& ctx) {
  const Hash* h = read_hash(ctx, ctx.args[1], [&] { ctx.reply.integer(0); });
  if (!h) return;
  std::string scratch;
  auto v = h->get(ctx.args[2], scratch);
  ctx.reply.integer(v ? static_cast<int64_t>(v->size()) : 0);
}

enum GetAllParts { kKeys = 1, kValues = 2 };

void getall_generic(CommandContext& ctx, int parts) {
  const bool both = parts == (kKeys | kValues);
  const Hash* h = read_hash(ctx, ctx.args[1], [&] {
    if (both) {
      ctx.reply.map(0);
    } else {
      ctx.reply.array(0);
    }
  });
  if (!h) return;
  const auto n = static_cast<int64_t>(h->size());
  if (both) {
    ctx.reply.map(n);
  } else {
    ctx.reply.array(n);
  }
  h->for_each([&](std::string_view f, std::string_view v) {
    if (parts & kKeys) ctx.reply.bulk(f);
    if (parts & kValues) ctx.reply.bulk(v);
  });
}

void hgetall_command(CommandContext& ctx) { getall_generic(ctx, kKeys | kValues); }
void hkeys_command(CommandContext& ctx) { getall_generic(ctx, kKeys); }
void hvals_command(CommandContext& ctx) { getall_generic(ctx, kValues); }

// --- deleting ---

void hdel_command(CommandContext& ctx) {
  Entry* e = ctx.db().find(ctx.args[1], ctx.now_ms);
  if (!e) return ctx.reply.integer(0);
  if (!e->value.as<Hash>()) return ctx.reply.error(kWrongTypeError);
  // Check before writing, so that deleting nothing never copies a shared hash.
  const Hash* ro = e->value.as<Hash>();
  bool any = false;
  for (size_t i = 2; i < ctx.argc() && !any; ++i) any = ro->contains(ctx.args[i]);
  if (!any) return ctx.reply.integer(0);
  Hash& h = e->value.mutable_as<Hash>();
  int64_t deleted = 0;
  bool emptied = false;
  for (size_t i = 2; i < ctx.argc() && !emptied; ++i) {
    if (h.erase(ctx.args[i])) ++deleted;
    emptied = h.size() == 0;
  }
  ctx.notify(kNotifyHash, "hdel", ctx.args[1]);
  if (emptied) {
    ctx.db().erase(ctx.args[1]);
    ctx.notify(kNotifyGeneric, "del", ctx.args[1]);
  }
  ctx.dirty(static_cast<uint64_t>(deleted));
  ctx.signal_modified_key(ctx.args[1]);
  ctx.reply.integer(deleted);
}

// --- counters ---

void hincrby_command(CommandContext& ctx) {
  auto incr = int_arg(ctx.args[3], ctx.reply);
  if (!incr) return;
  bool ok;
  Entry* e = write_lookup(ctx, ctx.args[1], ok);
  if (!ok) return;
  int64_t value = 0;
  if (e) {
    std::string scratch;
    auto current = e->value.as<Hash>()->get(ctx.args[2], scratch);
    if (current && !parse_int64(*current, value)) {
      return ctx.reply.error("ERR hash value is not an integer");
    }
  }
  if ((*incr < 0 && value < 0 && *incr < INT64_MIN - value) ||
      (*incr > 0 && value > 0 && *incr > INT64_MAX - value)) {
    return ctx.reply.error(kOverflowError);
  }
  value += *incr;
  const std::string formatted = fmt::format("{}", value);
  writable_hash(ctx, ctx.args[1], e).set(ctx.args[2], formatted, hash_limits(ctx));
  ctx.reply.integer(value);
  ctx.notify(kNotifyHash, "hincrby", ctx.args[1]);
  ctx.dirty();
}

void hincrbyfloat_command(CommandContext& ctx) {
  long double incr;
  if (!parse_long_double(ctx.args[3], incr)) return ctx.reply.error(kNotFloatError);
  if (std::isnan(incr) || std::isinf(incr)) return ctx.reply.error("ERR value is NaN or Infinity");
  bool ok;
  Entry* e = write_lookup(ctx, ctx.args[1], ok);
  if (!ok) return;
  long double value = 0;
  if (e) {
    std::string scratch;
    auto current = e->value.as<Hash>()->get(ctx.args[2], scratch);
    if (current && !parse_long_double(*current, value)) {
      return ctx.reply.error("ERR hash value is not a float");
    }
  }
  value += incr;
  if (std::isnan(value) || std::isinf(value)) {
    return ctx.reply.error("ERR increment would produce NaN or Infinity");
  }
  const std::string formatted = format_long_double(value, LongDoubleStyle::kHuman);
  writable_hash(ctx, ctx.args[1], e).set(ctx.args[2], formatted, hash_limits(ctx));
  ctx.reply.bulk(formatted);
  // Replicas store the result rather than redo a float sum that may round differently.
  ctx.propagate_as({"HSET", std::string(ctx.args[1]), std::string(ctx.args[2]), formatted});
  ctx.notify(kNotifyHash, "hincrbyfloat", ctx.args[1]);
  ctx.dirty();
}

// --- HRANDFIELD ---

void reply_pair(CommandContext& ctx, std::string_view f, std::string_view v, bool with_values) {
  if (with_values && ctx.reply.resp3()) ctx.reply.array(2);
  ctx.reply.bulk(f);
  if (with_values) ctx.reply.bulk(v);
}

void hrandfield_with_count(CommandContext& ctx, int64_t l, bool with_values) {
  const Hash* h = read_hash(ctx, ctx.args[1], [&] { ctx.reply.array(0); });
  if (!h) return;
  if (l == 0) return ctx.reply.array(0);
  const bool unique = l > 0;
  const uint64_t count = unique ? static_cast<uint64_t>(l) : static_cast<uint64_t>(-l);
  const size_t size = h->size();
  const bool flat = with_values && !ctx.reply.resp3();
  auto header = [&](uint64_t n) { ctx.reply.array(static_cast<int64_t>(flat ? n * 2 : n)); };

  // Repetitions allowed (negative count), or a single element: independent draws.
  if (!unique || count == 1) {
    header(count);
    if (h->is_listpack()) {
      // Decode once, then index: each draw is O(1) instead of a listpack walk.
      auto all = h->pairs();
      std::uniform_int_distribution<size_t> pick(0, all.size() - 1);
      for (uint64_t i = 0; i < count; ++i) {
        const auto& [f, v] = all[pick(random_engine())];
        reply_pair(ctx, f, v, with_values);
      }
    } else {
      for (uint64_t i = 0; i < count; ++i) {
        auto [f, v] = h->random_pair(random_engine());
        reply_pair(ctx, f, v, with_values);
      }
    }
    return;
  }
  // The whole hash.
  if (count >= size) {
    header(size);
    h->for_each(
        [&](std::string_view f, std::string_view v) { reply_pair(ctx, f, v, with_values); });
    return;
  }
  header(count);
  // Most of the hash (or a listpack, which is small): shuffle a copy and take a prefix.
  if (h->is_listpack() || count * 3 > size) {
    auto all = h->pairs();
    for (uint64_t i = 0; i < count; ++i) {
      const size_t j = std::uniform_int_distribution<size_t>(i, all.size() - 1)(random_engine());
      std::swap(all[i], all[j]);
      reply_pair(ctx, all[i].first, all[i].second, with_values);
    }
    return;
  }
  // A few of many: draw until `count` distinct fields were found.
  std::unordered_set<std::string> seen;
  while (seen.size() < count) {
    auto [f, v] = h->random_pair(random_engine());
    if (!seen.insert(f).second) continue;
    reply_pair(ctx, f, v, with_values);
  }
}

void hrandfield_command(CommandContext& ctx) {
  if (ctx.argc() >= 3) {
    auto l = int_arg(ctx.args[2], ctx.reply);
    if (!l) return;
    if (*l < -LONG_MAX) {
      return ctx.reply.error(fmt::format("ERR value is out of range, value must between {} and {}",
                                         -LONG_MAX, LONG_MAX));
    }
    bool with_values = false;
    if (ctx.argc() > 4 || (ctx.argc() == 4 && !iequals(ctx.args[3], "withvalues"))) {
      return ctx.reply.error(kSyntaxError);
    }
    if (ctx.argc() == 4) {
      with_values = true;
      if (*l < -LONG_MAX / 2 || *l > LONG_MAX / 2) {
        return ctx.reply.error("ERR value is out of range");
      }
    }
    return hrandfield_with_count(ctx, *l, with_values);
  }
  const Hash* h = read_hash(ctx, ctx.args[1], [&] { ctx.reply.null(); });
  if (!h) return;
  ctx.reply.bulk(h->random_pair(random_engine()).first);
}

// --- HSCAN ---

void hscan_command(CommandContext& ctx) {
  auto cursor = parse_scan_cursor(ctx.args[2], ctx.reply);
  if (!cursor) return;
  const Hash* h = read_hash(ctx, ctx.args[1], [&] {
    ctx.reply.array(2);
    ctx.reply.bulk("0");
    ctx.reply.array(0);
  });
  if (!h) return;
  auto options = parse_scan_options(ctx.args.subspan(3), /*allow_type=*/false, ctx.reply);
  if (!options) return;

  std::vector<std::pair<std::string, std::string>> found;
  auto collect = [&](std::string_view f, std::string_view v) { found.emplace_back(f, v); };
  uint64_t next = 0;
  if (h->is_listpack()) {
    h->for_each(collect);  // all of it, cursor 0, as Redis does for a listpack
  } else {
    // As Redis: visit buckets until `count` fields were gathered, at most 10x count buckets.
    int64_t budget = options->bucket_budget();
    next = *cursor;
    do {
      next = h->scan(next, collect);
    } while (next != 0 && budget-- > 0 && static_cast<int64_t>(found.size()) < options->count);
  }
  ctx.reply.array(2);
  ctx.reply.bulk(fmt::format("{}", next));
  size_t mark = ctx.reply.begin_deferred();
  int64_t replied = 0;
  for (const auto& [f, v] : found) {
    if (!options->matches(f)) continue;
    ctx.reply.bulk(f);
    ctx.reply.bulk(v);
    replied += 2;
  }
  ctx.reply.end_deferred_array(mark, replied);
}

}  // namespace

void register_hash_commands(CommandTable& table) {
  constexpr uint32_t kReadFast = kCmdReadonly | kCmdFast;
  constexpr uint32_t kWriteFast = kCmdWrite | kCmdDenyOom | kCmdFast;
  auto spec = [](CommandSpec s, std::string_view key_flags) {
    s.first_key = 1;
    s.last_key = 1;
    s.key_step = 1;
    s.group = "hash";
    s.key_specs = {KeySpec{.flags = key_flags}};
    return s;
  };
  constexpr std::string_view kAll = "O(N) where N is the size of the hash.";

  table.add(spec({.name = "hset",
                  .arity = -4,
                  .flags = kWriteFast,
                  .handler = hset_command,
                  .summary = "Set the string value of a hash field",
                  .since = "2.0.0",
                  .complexity = "O(1) for each field/value pair added, so O(N) to add N "
                                "field/value pairs when the command is called with multiple "
                                "field/value pairs.",
                  .acl_categories = "@write @hash @fast",
                  .args = "key field value [field value ...]"},
                 "RW update"));
  table.add(spec({.name = "hsetnx",
                  .arity = 4,
                  .flags = kWriteFast,
                  .handler = hsetnx_command,
                  .summary = "Set the value of a hash field, only if the field does not exist",
                  .since = "2.0.0",
                  .acl_categories = "@write @hash @fast",
                  .args = "key field value"},
                 "RW insert"));
  table.add(spec({.name = "hget",
                  .arity = 3,
                  .flags = kReadFast,
                  .handler = hget_command,
                  .summary = "Get the value of a hash field",
                  .since = "2.0.0",
                  .acl_categories = "@read @hash @fast",
                  .args = "key field"},
                 "RO access"));
  table.add(spec({.name = "hmget",
                  .arity = -3,
                  .flags = kReadFast,
                  .handler = hmget_command,
                  .summary = "Get the values of all the given hash fields",
                  .since = "2.0.0",
                  .complexity = "O(N) where N is the number of fields being requested.",
                  .acl_categories = "@read @hash @fast",
                  .args = "key field [field ...]"},
                 "RO access"));
  table.add(spec({.name = "hmset",
                  .arity = -4,
                  .flags = kWriteFast,
                  .handler = hmset_command,
                  .summary = "Set multiple hash fields to multiple values",
                  .since = "2.0.0",
                  .complexity = "O(N) where N is the number of fields being set.",
                  .acl_categories = "@write @hash @fast",
                  .args = "key field value [field value ...]"},
                 "RW update"));
  table.add(spec({.name = "hdel",
                  .arity = -3,
                  .flags = kCmdWrite | kCmdFast,
                  .handler = hdel_command,
                  .summary = "Delete one or more hash fields",
                  .since = "2.0.0",
                  .complexity = "O(N) where N is the number of fields to be removed.",
                  .acl_categories = "@write @hash @fast",
                  .args = "key field [field ...]"},
                 "RW delete"));
  table.add(spec({.name = "hlen",
                  .arity = 2,
                  .flags = kReadFast,
                  .handler = hlen_command,
                  .summary = "Get the number of fields in a hash",
                  .since = "2.0.0",
                  .acl_categories = "@read @hash @fast",
                  .args = "key"},
                 "RO"));
  table.add(spec({.name = "hexists",
                  .arity = 3,
                  .flags = kReadFast,
                  .handler = hexists_command,
                  .summary = "Determine if a hash field exists",
                  .since = "2.0.0",
                  .acl_categories = "@read @hash @fast",
                  .args = "key field"},
                 "RO"));
  table.add(spec({.name = "hkeys",
                  .arity = 2,
                  .flags = kCmdReadonly,
                  .handler = hkeys_command,
                  .summary = "Get all the fields in a hash",
                  .since = "2.0.0",
                  .complexity = kAll,
                  .acl_categories = "@read @hash @slow",
                  .tips = "nondeterministic_output_order",
                  .args = "key"},
                 "RO access"));
  table.add(spec({.name = "hvals",
                  .arity = 2,
                  .flags = kCmdReadonly,
                  .handler = hvals_command,
                  .summary = "Get all the values in a hash",
                  .since = "2.0.0",
                  .complexity = kAll,
                  .acl_categories = "@read @hash @slow",
                  .tips = "nondeterministic_output_order",
                  .args = "key"},
                 "RO access"));
  table.add(spec({.name = "hgetall",
                  .arity = 2,
                  .flags = kCmdReadonly,
                  .handler = hgetall_command,
                  .summary = "Get all the fields and values in a hash",
                  .since = "2.0.0",
                  .complexity = kAll,
                  .acl_categories = "@read @hash @slow",
                  .tips = "nondeterministic_output_order",
                  .args = "key"},
                 "RO access"));
  table.add(spec({.name = "hincrby",
                  .arity = 4,
                  .flags = kWriteFast,
                  .handler = hincrby_command,
                  .summary = "Increment the integer value of a hash field by the given number",
                  .since = "2.0.0",
                  .acl_categories = "@write @hash @fast",
                  .args = "key field increment"},
                 "RW access update"));
  table.add(spec({.name = "hincrbyfloat",
                  .arity = 4,
                  .flags = kWriteFast,
                  .handler = hincrbyfloat_command,
                  .summary = "Increment the float value of a hash field by the given amount",
                  .since = "2.6.0",
                  .acl_categories = "@write @hash @fast",
                  .args = "key field increment"},
                 "RW access update"));
  table.add(spec({.name = "hstrlen",
                  .arity = 3,
                  .flags = kReadFast,
                  .handler = hstrlen_command,
                  .summary = "Get the length of the value of a hash field",
                  .since = "3.2.0",
                  .acl_categories = "@read @hash @fast",
                  .args = "key field"},
                 "RO"));
  table.add(spec({.name = "hrandfield",
                  .arity = -2,
                  .flags = kCmdReadonly,
                  .handler = hrandfield_command,
                  .summary = "Get one or multiple random fields from a hash",
                  .since = "6.2.0",
                  .complexity = "O(N) where N is the number of fields returned",
                  .acl_categories = "@read @hash @slow",
                  .tips = "nondeterministic_output",
                  .args = "key [count [WITHVALUES]]"},
                 "RO access"));
  table.add(spec({.name = "hscan",
                  .arity = -3,
                  .flags = kCmdReadonly,
                  .handler = hscan_command,
                  .summary = "Incrementally iterate hash fields and associated values",
                  .since = "2.8.0",
                  .complexity = "O(1) for every call. O(N) for a complete iteration, including "
                                "enough command calls for the cursor to return back to 0. N is "
                                "the number of elements inside the collection..",
                  .acl_categories = "@read @hash @slow",
                  .tips = "nondeterministic_output",
                  .args = "key cursor [MATCH pattern] [COUNT count]"},
                 "RO access"));
}

}  // namespace tandem
