// String commands, following Redis 7.0's t_string.c: GET/SET and their variants, MGET/MSET,
// APPEND, STRLEN, GETRANGE/SETRANGE, the integer and float counters, and LCS.
//
// Invariants kept here, as Redis keeps them:
// - Read lookups (GET, MGET, STRLEN, GETRANGE, LCS, the GET part of SET/GETSET/GETDEL/GETEX)
//   count a keyspace hit or miss; write lookups (INCR, APPEND, SETRANGE, ...) do not.
// - Encodings: a string written whole is int/embstr/raw (Value::from_string); APPEND and
//   SETRANGE leave it raw; INCR and friends leave an int; INCRBYFLOAT stores its formatted
//   result never int-encoded (Value::plain_string).
// - A write that replaces a value drops its TTL (SET, GETSET, MSET) unless KEEPTTL; counters
//   and in-place edits keep it, like Redis's dbOverwrite.
// - Argument errors are reported in Redis's order: options first, then the expire time, then
//   the key's type, so that each bad input gets the very error Redis gives it.
#include <algorithm>
#include <climits>
#include <cmath>
#include <cstring>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <vector>

#include "fmt/format.h"
#include "server/args.h"
#include "server/command_context.h"
#include "server/errors.h"
#include "server/number_format.h"
#include "storage/value.h"

namespace tandem {
namespace {

using Entry = Database::Entry;

// Redis's lookupKeyWrite: no statistics.
void store(CommandContext& ctx, std::string_view key, Value value, bool keep_ttl) {
  value.touch(ctx.db().new_access_field(ctx.now_ms));
  ctx.db().set(key, std::move(value), keep_ttl);
}

void reply_value(CommandContext& ctx, const Value& value) {
  std::string scratch;
  ctx.reply.bulk(value.string_view(scratch));
}

// Redis's checkStringLength: would a string of `size + append` bytes exceed proto-max-bulk-len?
bool check_string_length(CommandContext& ctx, int64_t size, int64_t append) {
  int64_t total;
  if (__builtin_add_overflow(size, append, &total) ||
      total > ctx.server.config().proto_max_bulk_len) {
    ctx.reply.error(kStringTooLongError);
    return false;
  }
  return true;
}

// --- SET and GETEX option parsing (Redis's parseExtendedStringArgumentsOrReply) ---

enum ExtendedFlag : uint32_t {
  kFlagNx = 1 << 0,
  kFlagXx = 1 << 1,
  kFlagGet = 1 << 2,
  kFlagKeepTtl = 1 << 3,
  kFlagPersist = 1 << 4,
  kFlagEx = 1 << 5,
  kFlagPx = 1 << 6,
  kFlagExAt = 1 << 7,
  kFlagPxAt = 1 << 8,
};
constexpr uint32_t kAnyExpire = kFlagEx | kFlagPx | kFlagExAt | kFlagPxAt;

enum class ExtendedFor { kSet, kGetex };

struct ExtendedArgs {
  uint32_t flags = 0;
  std::optional<std::string_view> expire;
};

// An expire option is accepted unless a conflicting one came before; repeating the same one is
// allowed (the last value wins), as in Redis.
bool try_expire_option(std::string_view opt, std::string_view name, uint32_t flag,
                       uint32_t& flags) {
  uint32_t conflicts = (kAnyExpire & ~flag) | kFlagKeepTtl | kFlagPersist;
  if (!iequals(opt, name) || (flags & conflicts)) return false;
  flags |= flag;
  return true;
}

std::optional<ExtendedArgs> parse_extended(CommandContext& ctx, ExtendedFor kind) {
  ExtendedArgs out;
  bool set = kind == ExtendedFor::kSet;
  uint32_t& flags = out.flags;
  for (size_t j = set ? 3 : 2; j < ctx.argc(); ++j) {
    std::string_view opt = ctx.args[j];
    bool has_next = j + 1 < ctx.argc();
    if (set && iequals(opt, "NX") && !(flags & kFlagXx)) {
      flags |= kFlagNx;
    } else if (set && iequals(opt, "XX") && !(flags & kFlagNx)) {
      flags |= kFlagXx;
    } else if (set && iequals(opt, "GET")) {
      flags |= kFlagGet;
    } else if (set && iequals(opt, "KEEPTTL") && !(flags & (kAnyExpire | kFlagPersist))) {
      flags |= kFlagKeepTtl;
    } else if (!set && iequals(opt, "PERSIST") && !(flags & (kAnyExpire | kFlagKeepTtl))) {
      flags |= kFlagPersist;
    } else if (has_next && (try_expire_option(opt, "EX", kFlagEx, flags) ||
                            try_expire_option(opt, "PX", kFlagPx, flags) ||
                            try_expire_option(opt, "EXAT", kFlagExAt, flags) ||
                            try_expire_option(opt, "PXAT", kFlagPxAt, flags))) {
      out.expire = ctx.args[++j];
    } else {
      ctx.reply.error(kSyntaxError);
      return std::nullopt;
    }
  }
  return out;
}

// Redis's getExpireMillisecondsOrReply: the absolute expiry time in ms, or an error reply for a
// non-positive time or one whose conversion to absolute milliseconds overflows.
std::optional<int64_t> expire_at_ms(CommandContext& ctx, std::string_view arg, uint32_t flags) {
  auto value = int_arg(arg, ctx.reply);
  if (!value) return std::nullopt;
  int64_t ms = *value;
  bool seconds = flags & (kFlagEx | kFlagExAt);
  bool relative = flags & (kFlagEx | kFlagPx);
  bool invalid = ms <= 0 || (seconds && ms > INT64_MAX / 1000);
  if (!invalid && seconds) ms *= 1000;
  if (!invalid && relative) invalid = __builtin_add_overflow(ms, ctx.now_ms, &ms);
  if (invalid) {
    ctx.reply.error(fmt::format(fmt::runtime(kInvalidExpireError), ctx.spec.name));
    return std::nullopt;
  }
  return ms;
}

// --- GET family ---

enum class GetResult { kWrongType, kMissing, kFound };

// Redis's getGenericCommand: replies with the value, a null, or WRONGTYPE.
GetResult get_generic(CommandContext& ctx, std::string_view key) {
  Entry* entry = ctx.lookup_read(key);
  if (!entry) {
    ctx.reply.null();
    return GetResult::kMissing;
  }
  if (!entry->value.is_string()) {
    ctx.reply.error(kWrongTypeError);
    return GetResult::kWrongType;
  }
  reply_value(ctx, entry->value);
  return GetResult::kFound;
}

void get_command(CommandContext& ctx) { get_generic(ctx, ctx.args[1]); }

void getdel_command(CommandContext& ctx) {
  if (get_generic(ctx, ctx.args[1]) != GetResult::kFound) return;
  ctx.db().erase(ctx.args[1]);
  ctx.propagate_as_deletion(ctx.args[1], ctx.server.config().lazyfree_lazy_user_del);
  ctx.notify(kNotifyGeneric, "del", ctx.args[1]);
  ctx.dirty();
}

void getset_command(CommandContext& ctx) {
  if (get_generic(ctx, ctx.args[1]) == GetResult::kWrongType) return;
  store(ctx, ctx.args[1], Value::from_string(ctx.args[2]), false);
  ctx.propagate_as({"SET", std::string(ctx.args[1]), std::string(ctx.args[2])});
  ctx.notify(kNotifyString, "set", ctx.args[1]);
  ctx.dirty();
}

void getex_command(CommandContext& ctx) {
  auto options = parse_extended(ctx, ExtendedFor::kGetex);
  if (!options) return;
  std::string_view key = ctx.args[1];
  Entry* entry = ctx.lookup_read(key);
  if (!entry) return ctx.reply.null();
  if (!entry->value.is_string()) return ctx.reply.error(kWrongTypeError);
  std::optional<int64_t> when;
  if (options->expire) {
    when = expire_at_ms(ctx, *options->expire, options->flags);
    if (!when) return;
  }
  reply_value(ctx, entry->value);

  Database& db = ctx.db();
  bool absolute = options->flags & (kFlagExAt | kFlagPxAt);
  // An absolute time already past deletes the key now, except on a replica, which waits for
  // its master's DEL (Redis's checkAlreadyExpired).
  // GETEX itself never reaches replicas: what it did does.
  if (when && absolute && *when <= ctx.now_ms && ctx.server.keyspace().expiry().delete_expired) {
    db.erase(key, ExpiryPolicy::Drop::kExpired);  // lazyfree-lazy-expire decides, as Redis
    ctx.propagate_as_deletion(key, ctx.server.config().lazyfree_lazy_expire);
    ctx.notify(kNotifyGeneric, "del", key);
    ctx.dirty();
  } else if (when) {
    db.set_expire(key, *when);
    ctx.propagate_as({"PEXPIREAT", std::string(key), std::to_string(*when)});
    ctx.notify(kNotifyGeneric, "expire", key);
    ctx.dirty();
  } else if ((options->flags & kFlagPersist) && db.persist(key)) {
    ctx.propagate_as({"PERSIST", std::string(key)});
    ctx.notify(kNotifyGeneric, "persist", key);
    ctx.dirty();
  }
}

void mget_command(CommandContext& ctx) {
  ctx.reply.array(static_cast<int64_t>(ctx.argc() - 1));
  for (size_t i = 1; i < ctx.argc(); ++i) {
    // MGET answers null for a key of another type instead of failing.
    Entry* entry = ctx.lookup_read(ctx.args[i]);
    if (entry && entry->value.is_string()) {
      reply_value(ctx, entry->value);
    } else {
      ctx.reply.null();
    }
  }
}

// --- SET family ---

// Replicas get any expiry as an absolute one (SET key value PXAT ms, nothing else: NX, XX and
// GET have done their part), and no GET, which would only answer them.
void propagate_set(CommandContext& ctx, uint32_t flags, std::string_view value,
                   std::optional<int64_t> when) {
  if (when) {
    ctx.propagate_as(
        {"SET", std::string(ctx.args[1]), std::string(value), "PXAT", std::to_string(*when)});
  } else if (flags & kFlagGet) {
    std::vector<std::string> args;
    for (size_t j = 0; j < ctx.argc(); ++j) {
      if (j < 3 || !iequals(ctx.args[j], "GET")) args.emplace_back(ctx.args[j]);
    }
    ctx.propagate_as(std::move(args));
  }
}

// What SET answers on success and when NX/XX stop it: +OK and null, or SETNX's 1 and 0.
enum class SetReplies { kOkOrNull, kOneOrZero };

void set_generic(CommandContext& ctx, uint32_t flags, std::string_view value,
                 std::optional<std::string_view> expire, SetReplies replies) {
  std::string_view key = ctx.args[1];
  std::optional<int64_t> when;
  if (expire) {
    when = expire_at_ms(ctx, *expire, flags);
    if (!when) return;
  }
  if ((flags & kFlagGet) && get_generic(ctx, key) == GetResult::kWrongType) return;

  bool found = ctx.lookup_write(key) != nullptr;
  if (((flags & kFlagNx) && found) || ((flags & kFlagXx) && !found)) {
    // With GET the old value (or null) was the reply already.
    if (flags & kFlagGet) return;
    return replies == SetReplies::kOkOrNull ? ctx.reply.null() : ctx.reply.integer(0);
  }
  store(ctx, key, Value::from_string(value), flags & kFlagKeepTtl);
  ctx.dirty();
  ctx.notify(kNotifyString, "set", key);
  // Like Redis 7.0, a time already past is stored as is and the key expires lazily.
  if (when) {
    ctx.db().set_expire(key, *when);
    ctx.notify(kNotifyGeneric, "expire", key);
  }
  propagate_set(ctx, flags, value, when);
  if (flags & kFlagGet) return;
  replies == SetReplies::kOkOrNull ? ctx.reply.ok() : ctx.reply.integer(1);
}

void set_command(CommandContext& ctx) {
  auto options = parse_extended(ctx, ExtendedFor::kSet);
  if (!options) return;
  set_generic(ctx, options->flags, ctx.args[2], options->expire, SetReplies::kOkOrNull);
}

void setnx_command(CommandContext& ctx) {
  set_generic(ctx, kFlagNx, ctx.args[2], std::nullopt, SetReplies::kOneOrZero);
}

// SETEX key seconds value / PSETEX key milliseconds value.
void setex_command(CommandContext& ctx) {
  set_generic(ctx, kFlagEx, ctx.args[3], ctx.args[2], SetReplies::kOkOrNull);
}

void psetex_command(CommandContext& ctx) {
  set_generic(ctx, kFlagPx, ctx.args[3], ctx.args[2], SetReplies::kOkOrNull);
}

void mset_generic(CommandContext& ctx, bool nx) {
  if (ctx.argc() % 2 == 0) {
    return ctx.reply.error(
        fmt::format("ERR wrong number of arguments for '{}' command", ctx.spec.name));
  }
  if (nx) {
    for (size_t i = 1; i < ctx.argc(); i += 2) {
      if (ctx.lookup_write(ctx.args[i])) return ctx.reply.integer(0);
    }
  }
  for (size_t i = 1; i < ctx.argc(); i += 2) {
    // As Redis's setKey, look first: a key found expired is deleted (and that propagated).
    ctx.lookup_write(ctx.args[i]);
    store(ctx, ctx.args[i], Value::from_string(ctx.args[i + 1]), false);
    ctx.notify(kNotifyString, "set", ctx.args[i]);
  }
  ctx.dirty((ctx.argc() - 1) / 2);
  nx ? ctx.reply.integer(1) : ctx.reply.ok();
}

void mset_command(CommandContext& ctx) { mset_generic(ctx, false); }
void msetnx_command(CommandContext& ctx) { mset_generic(ctx, true); }

// --- In-place edits ---

void append_command(CommandContext& ctx) {
  std::string_view key = ctx.args[1];
  std::string_view suffix = ctx.args[2];
  Entry* entry = ctx.lookup_write(key);
  if (!entry) {
    store(ctx, key, Value::from_string(suffix), false);
    ctx.notify(kNotifyString, "append", key);
    ctx.dirty();
    return ctx.reply.integer(static_cast<int64_t>(suffix.size()));
  }
  if (!entry->value.is_string()) return ctx.reply.error(kWrongTypeError);
  if (!check_string_length(ctx, static_cast<int64_t>(entry->value.string_length()),
                           static_cast<int64_t>(suffix.size()))) {
    return;
  }
  // Even an empty suffix turns the value raw, as Redis's dbUnshareStringValue does.
  std::string& s = entry->value.mutable_raw_string();
  s.append(suffix);
  ctx.notify(kNotifyString, "append", key);
  ctx.dirty();
  ctx.signal_modified_key(key);
  ctx.reply.integer(static_cast<int64_t>(s.size()));
}

void setrange_command(CommandContext& ctx) {
  std::string_view key = ctx.args[1];
  std::string_view patch = ctx.args[3];
  auto offset = int_arg(ctx.args[2], ctx.reply);
  if (!offset) return;
  if (*offset < 0) return ctx.reply.error("ERR offset is out of range");
  int64_t patch_len = static_cast<int64_t>(patch.size());

  Entry* entry = ctx.lookup_write(key);
  if (!entry) {
    // Setting nothing on a missing key creates nothing.
    if (patch.empty()) return ctx.reply.integer(0);
    if (!check_string_length(ctx, *offset, patch_len)) return;
    std::string s(static_cast<size_t>(*offset), '\0');
    s.append(patch);
    int64_t length = static_cast<int64_t>(s.size());
    store(ctx, key, Value::raw_string(std::move(s)), false);
    ctx.notify(kNotifyString, "setrange", key);
    ctx.dirty();
    return ctx.reply.integer(length);
  }
  if (!entry->value.is_string()) return ctx.reply.error(kWrongTypeError);
  if (patch.empty()) return ctx.reply.integer(static_cast<int64_t>(entry->value.string_length()));
  if (!check_string_length(ctx, *offset, patch_len)) return;
  std::string& s = entry->value.mutable_raw_string();
  size_t end = static_cast<size_t>(*offset) + patch.size();
  if (s.size() < end) s.resize(end, '\0');
  std::memcpy(s.data() + *offset, patch.data(), patch.size());
  ctx.notify(kNotifyString, "setrange", key);
  ctx.dirty();
  ctx.signal_modified_key(key);
  ctx.reply.integer(static_cast<int64_t>(s.size()));
}

// --- Reads of parts ---

void getrange_command(CommandContext& ctx) {
  auto start = int_arg(ctx.args[2], ctx.reply);
  if (!start) return;
  auto end = int_arg(ctx.args[3], ctx.reply);
  if (!end) return;
  Entry* entry = ctx.lookup_read(ctx.args[1]);
  if (!entry) return ctx.reply.bulk("");
  if (!entry->value.is_string()) return ctx.reply.error(kWrongTypeError);

  std::string scratch;
  std::string_view s = entry->value.string_view(scratch);
  int64_t len = static_cast<int64_t>(s.size());
  int64_t from = *start, to = *end;
  if (from < 0 && to < 0 && from > to) return ctx.reply.bulk("");
  if (from < 0) from = std::max<int64_t>(len + from, 0);
  if (to < 0) to = std::max<int64_t>(len + to, 0);
  if (to >= len) to = len - 1;
  if (len == 0 || from > to) return ctx.reply.bulk("");
  ctx.reply.bulk(s.substr(static_cast<size_t>(from), static_cast<size_t>(to - from + 1)));
}

void strlen_command(CommandContext& ctx) {
  Entry* entry = ctx.lookup_read(ctx.args[1]);
  if (!entry) return ctx.reply.integer(0);
  if (!entry->value.is_string()) return ctx.reply.error(kWrongTypeError);
  ctx.reply.integer(static_cast<int64_t>(entry->value.string_length()));
}

// --- Counters ---

void incr_decr(CommandContext& ctx, int64_t increment) {
  std::string_view key = ctx.args[1];
  Entry* entry = ctx.lookup_write(key);
  int64_t value = 0;
  if (entry) {
    if (!entry->value.is_string()) return ctx.reply.error(kWrongTypeError);
    if (entry->value.is_int()) {
      value = entry->value.int_value();
    } else {
      std::string scratch;
      if (!parse_int64(entry->value.string_view(scratch), value)) {
        return ctx.reply.error(kNotIntegerError);
      }
    }
  }
  int64_t result;
  if (__builtin_add_overflow(value, increment, &result)) return ctx.reply.error(kOverflowError);
  store(ctx, key, Value::from_int(result), true);
  ctx.notify(kNotifyString, "incrby", key);
  ctx.dirty();
  ctx.reply.integer(result);
}

void incr_command(CommandContext& ctx) { incr_decr(ctx, 1); }
void decr_command(CommandContext& ctx) { incr_decr(ctx, -1); }

void incrby_command(CommandContext& ctx) {
  auto increment = int_arg(ctx.args[2], ctx.reply);
  if (increment) incr_decr(ctx, *increment);
}

void decrby_command(CommandContext& ctx) {
  auto decrement = int_arg(ctx.args[2], ctx.reply);
  if (!decrement) return;
  // Negating LLONG_MIN overflows before any addition happens.
  if (*decrement == INT64_MIN) return ctx.reply.error("ERR decrement would overflow");
  incr_decr(ctx, -*decrement);
}

void incrbyfloat_command(CommandContext& ctx) {
  std::string_view key = ctx.args[1];
  Entry* entry = ctx.lookup_write(key);
  long double value = 0;
  if (entry) {
    if (!entry->value.is_string()) return ctx.reply.error(kWrongTypeError);
    if (entry->value.is_int()) {
      value = static_cast<long double>(entry->value.int_value());
    } else {
      std::string scratch;
      if (!parse_long_double(entry->value.string_view(scratch), value)) {
        return ctx.reply.error(kNotFloatError);
      }
    }
  }
  long double increment;
  if (!parse_long_double(ctx.args[2], increment)) return ctx.reply.error(kNotFloatError);
  value += increment;
  if (std::isnan(value) || std::isinf(value)) {
    return ctx.reply.error("ERR increment would produce NaN or Infinity");
  }
  std::string formatted = format_long_double(value, LongDoubleStyle::kHuman);
  ctx.reply.bulk(formatted);
  // Replicas store the result rather than redo a float sum that may round differently.
  ctx.propagate_as({"SET", std::string(key), formatted, "KEEPTTL"});
  store(ctx, key, Value::plain_string(std::move(formatted)), true);
  ctx.notify(kNotifyString, "incrbyfloat", key);
  ctx.dirty();
}

// --- LCS ---

struct LcsOptions {
  bool len = false;
  bool idx = false;
  bool with_match_len = false;
  int64_t min_match_len = 0;
};

std::optional<LcsOptions> parse_lcs_options(CommandContext& ctx) {
  LcsOptions out;
  for (size_t j = 3; j < ctx.argc(); ++j) {
    std::string_view opt = ctx.args[j];
    bool has_next = j + 1 < ctx.argc();
    if (iequals(opt, "IDX")) {
      out.idx = true;
    } else if (iequals(opt, "LEN")) {
      out.len = true;
    } else if (iequals(opt, "WITHMATCHLEN")) {
      out.with_match_len = true;
    } else if (iequals(opt, "MINMATCHLEN") && has_next) {
      auto min = int_arg(ctx.args[++j], ctx.reply);
      if (!min) return std::nullopt;
      out.min_match_len = std::max<int64_t>(*min, 0);
    } else {
      ctx.reply.error(kSyntaxError);
      return std::nullopt;
    }
  }
  if (out.idx && out.len) {
    ctx.reply.error("ERR If you want both the length and indexes, please just use IDX.");
    return std::nullopt;
  }
  return out;
}

// Walks the dynamic-programming table back from its corner exactly as Redis does, so the LCS
// string and the match ranges (emitted last-to-first) are the very ones Redis picks among the
// equally long candidates.
void lcs_reply(CommandContext& ctx, std::string_view a, std::string_view b,
               const LcsOptions& opts) {
  uint32_t alen = static_cast<uint32_t>(a.size());
  uint32_t blen = static_cast<uint32_t>(b.size());
  uint64_t cells = (uint64_t{alen} + 1) * (uint64_t{blen} + 1);
  std::unique_ptr<uint32_t[]> dp(new (std::nothrow) uint32_t[cells]);
  if (!dp) {
    return ctx.reply.error("ERR Insufficient memory, failed allocating transient memory for LCS");
  }
  auto at = [&](uint32_t i, uint32_t j) -> uint32_t& { return dp[j + uint64_t{i} * (blen + 1)]; };
  for (uint32_t i = 0; i <= alen; ++i) {
    for (uint32_t j = 0; j <= blen; ++j) {
      if (i == 0 || j == 0) {
        at(i, j) = 0;
      } else if (a[i - 1] == b[j - 1]) {
        at(i, j) = at(i - 1, j - 1) + 1;
      } else {
        at(i, j) = std::max(at(i - 1, j), at(i, j - 1));
      }
    }
  }

  uint32_t total = at(alen, blen);
  if (opts.len) return ctx.reply.integer(total);

  std::string result(total, '\0');
  uint32_t idx = total;
  size_t mark = 0;
  int64_t ranges = 0;
  if (opts.idx) {
    ctx.reply.map(2);
    ctx.reply.bulk("matches");
    mark = ctx.reply.begin_deferred();
  }
  // arange_start == alen means "no range open".
  uint32_t arange_start = alen, arange_end = 0, brange_start = 0, brange_end = 0;
  uint32_t i = alen, j = blen;
  while (i > 0 && j > 0) {
    bool emit = false;
    if (a[i - 1] == b[j - 1]) {
      result[idx - 1] = a[i - 1];
      if (arange_start == alen) {
        arange_start = arange_end = i - 1;
        brange_start = brange_end = j - 1;
      } else if (arange_start == i && brange_start == j) {
        --arange_start;
        --brange_start;
      } else {
        emit = true;
      }
      if (arange_start == 0 || brange_start == 0) emit = true;
      --idx;
      --i;
      --j;
    } else {
      if (at(i - 1, j) > at(i, j - 1)) {
        --i;
      } else {
        --j;
      }
      if (arange_start != alen) emit = true;
    }
    if (!emit) continue;
    int64_t match_len = int64_t{arange_end} - arange_start + 1;
    if (opts.idx && (opts.min_match_len == 0 || match_len >= opts.min_match_len)) {
      ctx.reply.array(opts.with_match_len ? 3 : 2);
      ctx.reply.array(2);
      ctx.reply.integer(arange_start);
      ctx.reply.integer(arange_end);
      ctx.reply.array(2);
      ctx.reply.integer(brange_start);
      ctx.reply.integer(brange_end);
      if (opts.with_match_len) ctx.reply.integer(match_len);
      ++ranges;
    }
    arange_start = alen;
  }

  if (!opts.idx) return ctx.reply.bulk(result);
  ctx.reply.end_deferred_array(mark, ranges);
  ctx.reply.bulk("len");
  ctx.reply.integer(total);
}

void lcs_command(CommandContext& ctx) {
  Entry* a = ctx.lookup_read(ctx.args[1]);
  Entry* b = ctx.lookup_read(ctx.args[2]);
  if ((a && !a->value.is_string()) || (b && !b->value.is_string())) {
    return ctx.reply.error("ERR The specified keys must contain string values");
  }
  // Copies: the table walk must not depend on the entries staying put.
  std::string a_str = a ? a->value.string_value() : std::string();
  std::string b_str = b ? b->value.string_value() : std::string();
  auto opts = parse_lcs_options(ctx);
  if (!opts) return;
  if (a_str.size() >= UINT32_MAX - 1 || b_str.size() >= UINT32_MAX - 1) {
    return ctx.reply.error("ERR String too long for LCS");
  }
  lcs_reply(ctx, a_str, b_str, *opts);
}

}  // namespace

void register_string_commands(CommandTable& table) {
  constexpr uint32_t kReadFast = kCmdReadonly | kCmdFast;
  constexpr uint32_t kWriteFast = kCmdWrite | kCmdDenyOom | kCmdFast;
  constexpr uint32_t kWriteSlow = kCmdWrite | kCmdDenyOom;
  constexpr std::string_view kAppendComplexity =
      "O(1). The amortized time complexity is O(1) assuming the appended value is small and the "
      "already present value is of any size, since the dynamic string library used by Redis will "
      "double the free space available on every reallocation.";
  constexpr std::string_view kRangeComplexity =
      "O(N) where N is the length of the returned string. The complexity is ultimately "
      "determined by the returned length, but because creating a substring from an existing "
      "string is very cheap, it can be considered O(1) for small strings.";
  constexpr std::string_view kSetrangeComplexity =
      "O(1), not counting the time taken to copy the new string in place. Usually, this string "
      "is very small so the amortized complexity is O(1). Otherwise, complexity is O(M) with M "
      "being the length of the value argument.";
  auto single_key = [](CommandSpec spec) {
    spec.first_key = 1;
    spec.last_key = 1;
    spec.key_step = 1;
    spec.group = "string";
    return spec;
  };

  table.add(single_key({.name = "get",
                        .arity = 2,
                        .flags = kReadFast,
                        .handler = get_command,
                        .summary = "Get the value of a key",
                        .acl_categories = "@read @string @fast"}));
  table.add(
      single_key({.name = "set",
                  .arity = -3,
                  .flags = kWriteSlow,
                  .handler = set_command,
                  .summary = "Set the string value of a key",
                  .acl_categories = "@write @string @slow",
                  .key_specs = {{.flags = "RW access update variable_flags",
                                 .notes = "RW and ACCESS due to the optional `GET` argument"}}}));
  table.add(single_key({.name = "setnx",
                        .arity = 3,
                        .flags = kWriteFast,
                        .handler = setnx_command,
                        .summary = "Set the value of a key, only if the key does not exist",
                        .acl_categories = "@write @string @fast",
                        .key_specs = {{.flags = "OW insert"}}}));
  table.add(single_key({.name = "setex",
                        .arity = 4,
                        .flags = kWriteSlow,
                        .handler = setex_command,
                        .summary = "Set the value and expiration of a key",
                        .since = "2.0.0",
                        .acl_categories = "@write @string @slow",
                        .key_specs = {{.flags = "OW update"}}}));
  table.add(single_key({.name = "psetex",
                        .arity = 4,
                        .flags = kWriteSlow,
                        .handler = psetex_command,
                        .summary = "Set the value and expiration in milliseconds of a key",
                        .since = "2.6.0",
                        .acl_categories = "@write @string @slow",
                        .key_specs = {{.flags = "OW update"}}}));
  table.add(single_key({.name = "getset",
                        .arity = 3,
                        .flags = kWriteFast,
                        .handler = getset_command,
                        .summary = "Set the string value of a key and return its old value",
                        .acl_categories = "@write @string @fast"}));
  table.add(single_key({.name = "getdel",
                        .arity = 2,
                        .flags = kCmdWrite | kCmdFast,
                        .handler = getdel_command,
                        .summary = "Get the value of a key and delete the key",
                        .since = "6.2.0",
                        .acl_categories = "@write @string @fast",
                        .key_specs = {{.flags = "RW access delete"}}}));
  table.add(single_key({.name = "getex",
                        .arity = -2,
                        .flags = kCmdWrite | kCmdFast,
                        .handler = getex_command,
                        .summary = "Get the value of a key and optionally set its expiration",
                        .since = "6.2.0",
                        .acl_categories = "@write @string @fast",
                        .key_specs = {{.flags = "RW access update",
                                       .notes = "RW and UPDATE because it changes the TTL"}}}));
  table.add({.name = "mget",
             .arity = -2,
             .flags = kReadFast,
             .first_key = 1,
             .last_key = -1,
             .key_step = 1,
             .handler = mget_command,
             .group = "string",
             .summary = "Get the values of all the given keys",
             .complexity = "O(N) where N is the number of keys to retrieve.",
             .acl_categories = "@read @string @fast"});
  table.add({.name = "mset",
             .arity = -3,
             .flags = kWriteSlow,
             .first_key = 1,
             .last_key = -1,
             .key_step = 2,
             .handler = mset_command,
             .group = "string",
             .summary = "Set multiple keys to multiple values",
             .since = "1.0.1",
             .complexity = "O(N) where N is the number of keys to set.",
             .acl_categories = "@write @string @slow",
             .key_specs = {{.flags = "OW update", .last_key = -1, .key_step = 2}}});
  table.add({.name = "msetnx",
             .arity = -3,
             .flags = kWriteSlow,
             .first_key = 1,
             .last_key = -1,
             .key_step = 2,
             .handler = msetnx_command,
             .group = "string",
             .summary = "Set multiple keys to multiple values, only if none of the keys exist",
             .since = "1.0.1",
             .complexity = "O(N) where N is the number of keys to set.",
             .acl_categories = "@write @string @slow",
             .key_specs = {{.flags = "OW insert", .last_key = -1, .key_step = 2}}});
  table.add(single_key({.name = "append",
                        .arity = 3,
                        .flags = kWriteFast,
                        .handler = append_command,
                        .summary = "Append a value to a key",
                        .since = "2.0.0",
                        .complexity = kAppendComplexity,
                        .acl_categories = "@write @string @fast",
                        .key_specs = {{.flags = "RW insert"}}}));
  table.add(single_key({.name = "strlen",
                        .arity = 2,
                        .flags = kReadFast,
                        .handler = strlen_command,
                        .summary = "Get the length of the value stored in a key",
                        .since = "2.2.0",
                        .acl_categories = "@read @string @fast",
                        .key_specs = {{.flags = "RO"}}}));
  table.add(single_key({.name = "getrange",
                        .arity = 4,
                        .flags = kCmdReadonly,
                        .handler = getrange_command,
                        .summary = "Get a substring of the string stored at a key",
                        .since = "2.4.0",
                        .complexity = kRangeComplexity,
                        .acl_categories = "@read @string @slow"}));
  table.add(single_key({.name = "substr",
                        .arity = 4,
                        .flags = kCmdReadonly,
                        .handler = getrange_command,
                        .summary = "Get a substring of the string stored at a key",
                        .since = "1.0.0",
                        .complexity = kRangeComplexity,
                        .acl_categories = "@read @string @slow"}));
  table.add(
      single_key({.name = "setrange",
                  .arity = 4,
                  .flags = kWriteSlow,
                  .handler = setrange_command,
                  .summary = "Overwrite part of a string at key starting at the specified offset",
                  .since = "2.2.0",
                  .complexity = kSetrangeComplexity,
                  .acl_categories = "@write @string @slow",
                  .key_specs = {{.flags = "RW update"}}}));
  table.add(single_key({.name = "incr",
                        .arity = 2,
                        .flags = kWriteFast,
                        .handler = incr_command,
                        .summary = "Increment the integer value of a key by one",
                        .acl_categories = "@write @string @fast"}));
  table.add(single_key({.name = "decr",
                        .arity = 2,
                        .flags = kWriteFast,
                        .handler = decr_command,
                        .summary = "Decrement the integer value of a key by one",
                        .acl_categories = "@write @string @fast"}));
  table.add(single_key({.name = "incrby",
                        .arity = 3,
                        .flags = kWriteFast,
                        .handler = incrby_command,
                        .summary = "Increment the integer value of a key by the given amount",
                        .acl_categories = "@write @string @fast"}));
  table.add(single_key({.name = "decrby",
                        .arity = 3,
                        .flags = kWriteFast,
                        .handler = decrby_command,
                        .summary = "Decrement the integer value of a key by the given number",
                        .acl_categories = "@write @string @fast"}));
  table.add(single_key({.name = "incrbyfloat",
                        .arity = 3,
                        .flags = kWriteFast,
                        .handler = incrbyfloat_command,
                        .summary = "Increment the float value of a key by the given amount",
                        .since = "2.6.0",
                        .acl_categories = "@write @string @fast"}));
  table.add({.name = "lcs",
             .arity = -3,
             .flags = kCmdReadonly,
             .first_key = 1,
             .last_key = 2,
             .key_step = 1,
             .handler = lcs_command,
             .group = "string",
             .summary = "Find longest common substring",
             .since = "7.0.0",
             .complexity = "O(N*M) where N and M are the lengths of s1 and s2, respectively",
             .acl_categories = "@read @string @slow"});
}

}  // namespace tandem
