// Set commands, following Redis 7.0's t_set.c: SADD, SREM, SISMEMBER, SMISMEMBER, SCARD,
// SMEMBERS, SPOP, SRANDMEMBER, SMOVE, SINTER/SINTERCARD/SINTERSTORE, SUNION/SUNIONSTORE,
// SDIFF/SDIFFSTORE and SSCAN.
//
// Invariants kept here, as Redis keeps them:
// - No empty set is ever stored: a command that empties a set deletes the key, and a *STORE
//   with an empty result deletes the destination (whatever its type).
// - A new set takes the encoding its first member calls for (Set::create_for); results built by
//   SINTER/SUNION/SDIFF*STORE start as intsets and convert as members are added, so the stored
//   encoding is the one Redis would report.
// - Reads (SISMEMBER, SMEMBERS, SRANDMEMBER, the source keys of the set operations, ...) count a
//   keyspace hit or miss; writes look keys up without statistics.
// - Replies that Redis sends as sets (SMEMBERS, SINTER, SUNION, SDIFF, SPOP with a count) are
//   RESP3 sets; SRANDMEMBER with a count and SMISMEMBER are arrays.
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <memory>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <unordered_set>
#include <vector>

#include "fmt/format.h"
#include "server/args.h"
#include "server/command_context.h"
#include "server/errors.h"
#include "server/glob.h"
#include "server/scan_options.h"
#include "storage/random.h"
#include "storage/set.h"
#include "storage/value.h"

namespace tandem {
namespace {

using Entry = Database::Entry;

constexpr std::string_view kPositiveError = "ERR value is out of range, must be positive";
// A reply this big means the client asked for more than it can ever read (SRANDMEMBER with a
// huge negative count): stop and close it, as Redis does when the output buffer limit hits.
constexpr size_t kReplyHardCap = size_t{1} << 30;

size_t intset_limit(CommandContext& ctx) { return ctx.server.config().set_max_intset_entries; }

// The set under `key` for reading, nullptr if missing; `wrong` is set (and WRONGTYPE replied)
// when the key holds another type.
const Set* read_set(CommandContext& ctx, std::string_view key, bool& wrong) {
  wrong = false;
  Entry* e = ctx.lookup_read(key);
  if (!e) return nullptr;
  const Set* s = e->value.as<Set>();
  if (!s) {
    wrong = true;
    ctx.reply.error(kWrongTypeError);
  }
  return s;
}

void reply_members(CommandContext& ctx, const Set& s) {
  ctx.reply.set(static_cast<int64_t>(s.size()));
  s.for_each([&](std::string_view m) { ctx.reply.bulk(m); });
}

void store_set(CommandContext& ctx, std::string_view key, std::shared_ptr<Set> set) {
  Value v = Value::of(std::move(set));
  v.touch(ctx.db().new_access_field(ctx.now_ms));
  ctx.db().set(key, std::move(v));
}

// --- single-key commands ---

// Deletes the key when its set became empty (Redis never keeps an empty set).
void delete_if_empty(CommandContext& ctx, std::string_view key, const Set& set) {
  if (set.size() > 0) return;
  ctx.db().erase(key);
  ctx.notify(kNotifyGeneric, "del", key);
}

void sadd_command(CommandContext& ctx) {
  std::string_view key = ctx.args[1];
  Entry* e = ctx.db().find(key, ctx.now_ms);
  if (e && !e->value.as<Set>()) return ctx.reply.error(kWrongTypeError);
  if (!e) e = ctx.db().set(key, Value::of(Set::create_for(ctx.args[2])));
  Set& s = e->value.mutable_as<Set>();
  const size_t limit = intset_limit(ctx);
  int64_t added = 0;
  for (size_t i = 2; i < ctx.argc(); ++i) added += s.add(ctx.args[i], limit);
  ctx.dirty(added);
  if (added) {
    ctx.signal_modified_key(key);
    ctx.notify(kNotifySet, "sadd", key);
  }
  ctx.reply.integer(added);
}

void srem_command(CommandContext& ctx) {
  std::string_view key = ctx.args[1];
  Entry* e = ctx.db().find(key, ctx.now_ms);
  if (!e) return ctx.reply.integer(0);
  if (!e->value.as<Set>()) return ctx.reply.error(kWrongTypeError);
  Set& s = e->value.mutable_as<Set>();
  int64_t removed = 0;
  for (size_t i = 2; i < ctx.argc() && s.size() > 0; ++i) removed += s.remove(ctx.args[i]);
  if (removed) ctx.notify(kNotifySet, "srem", key);
  delete_if_empty(ctx, key, s);
  ctx.dirty(removed);
  if (removed) ctx.signal_modified_key(key);
  ctx.reply.integer(removed);
}

void sismember_command(CommandContext& ctx) {
  bool wrong;
  const Set* s = read_set(ctx, ctx.args[1], wrong);
  if (wrong) return;
  ctx.reply.integer(s && s->contains(ctx.args[2]) ? 1 : 0);
}

void smismember_command(CommandContext& ctx) {
  bool wrong;
  const Set* s = read_set(ctx, ctx.args[1], wrong);
  if (wrong) return;
  ctx.reply.array(static_cast<int64_t>(ctx.argc() - 2));
  for (size_t i = 2; i < ctx.argc(); ++i) ctx.reply.integer(s && s->contains(ctx.args[i]) ? 1 : 0);
}

void scard_command(CommandContext& ctx) {
  bool wrong;
  const Set* s = read_set(ctx, ctx.args[1], wrong);
  if (wrong) return;
  ctx.reply.integer(s ? static_cast<int64_t>(s->size()) : 0);
}

void smove_command(CommandContext& ctx) {
  std::string_view src_key = ctx.args[1], dst_key = ctx.args[2], member = ctx.args[3];
  Database& db = ctx.db();
  Entry* src = db.find(src_key, ctx.now_ms);
  Entry* dst = db.find(dst_key, ctx.now_ms);
  if (!src) return ctx.reply.integer(0);
  if (!src->value.as<Set>() || (dst && !dst->value.as<Set>())) {
    return ctx.reply.error(kWrongTypeError);
  }
  // The same key: a no-op that only tells whether the member is there.
  if (src_key == dst_key) return ctx.reply.integer(src->value.as<Set>()->contains(member));
  if (!src->value.mutable_as<Set>().remove(member)) return ctx.reply.integer(0);
  ctx.notify(kNotifySet, "srem", src_key);
  // Entries never move, so `dst` stays valid across this erase.
  delete_if_empty(ctx, src_key, *src->value.as<Set>());
  if (!dst) dst = db.set(dst_key, Value::of(Set::create_for(member)));
  ctx.signal_modified_key(src_key);
  if (dst->value.mutable_as<Set>().add(member, intset_limit(ctx))) {
    ctx.signal_modified_key(dst_key);
    ctx.notify(kNotifySet, "sadd", dst_key);
  }
  ctx.dirty();
  ctx.reply.integer(1);
}

// --- SPOP / SRANDMEMBER ---

void spop_with_count(CommandContext& ctx) {
  std::string_view key = ctx.args[1];
  auto n = int_arg(ctx.args[2], ctx.reply, kPositiveError);
  if (!n) return;
  if (*n < 0) return ctx.reply.error(kPositiveError);
  const uint64_t count = static_cast<uint64_t>(*n);
  Entry* e = ctx.db().find(key, ctx.now_ms);
  if (!e) return ctx.reply.set(0);
  if (!e->value.as<Set>()) return ctx.reply.error(kWrongTypeError);
  if (count == 0) return ctx.reply.set(0);
  const Set& current = *e->value.as<Set>();
  const uint64_t size = current.size();

  // Everything asked for: reply the whole set and delete the key.
  if (count >= size) {
    reply_members(ctx, current);
    ctx.notify(kNotifySet, "spop", key);
    ctx.db().erase(key);
    ctx.notify(kNotifyGeneric, "del", key);
    ctx.propagate_as({"DEL", std::string(key)});
    ctx.dirty();
    return;
  }

  // Replicas remove the very members popped here: one SREM each, as Redis 7.0 sends them.
  auto propagate_srem = [&](std::string_view member) {
    ctx.also_propagate({"SREM", std::string(key), std::string(member)});
  };
  ctx.prevent_propagation();

  Set& s = e->value.mutable_as<Set>();
  ctx.reply.set(static_cast<int64_t>(count));
  if (count * 5 > size) {
    // Most of the set goes: keep a random remainder in a new set (of the old set's encoding, as
    // Redis builds it) and reply what is left behind in the old one.
    const uint64_t remaining = size - count;
    auto kept = std::make_shared<Set>(s.encoding());
    const size_t limit = intset_limit(ctx);
    for (uint64_t i = 0; i < remaining; ++i) kept->add(s.pop_random(), limit);
    s.for_each([&](std::string_view m) {
      ctx.reply.bulk(m);
      propagate_srem(m);
    });
    s = std::move(*kept);
  } else {
    for (uint64_t i = 0; i < count; ++i) {
      auto member = s.pop_random();
      ctx.reply.bulk(member);
      propagate_srem(member);
    }
  }
  ctx.dirty(count);
  ctx.signal_modified_key(key);
  ctx.notify(kNotifySet, "spop", key);
}

void spop_command(CommandContext& ctx) {
  if (ctx.argc() == 3) return spop_with_count(ctx);
  if (ctx.argc() > 3) return ctx.reply.error(kSyntaxError);
  std::string_view key = ctx.args[1];
  Entry* e = ctx.db().find(key, ctx.now_ms);
  if (!e) return ctx.reply.null();
  if (!e->value.as<Set>()) return ctx.reply.error(kWrongTypeError);
  Set& s = e->value.mutable_as<Set>();
  auto member = s.pop_random();
  ctx.reply.bulk(member);
  ctx.propagate_as({"SREM", std::string(key), std::string(member)});
  ctx.notify(kNotifySet, "spop", key);
  delete_if_empty(ctx, key, s);
  ctx.dirty();
  ctx.signal_modified_key(key);
}

void srandmember_with_count(CommandContext& ctx) {
  auto n = int_arg(ctx.args[2], ctx.reply);
  if (!n) return;
  if (*n == LLONG_MIN) {
    return ctx.reply.error(
        "ERR value is out of range, value must between -9223372036854775807 and "
        "9223372036854775807");
  }
  const bool distinct = *n >= 0;
  const uint64_t count = distinct ? *n : -*n;
  Entry* e = ctx.lookup_read(ctx.args[1]);
  if (!e) return ctx.reply.array(0);
  const Set* s = e->value.as<Set>();
  if (!s) return ctx.reply.error(kWrongTypeError);
  if (count == 0) return ctx.reply.array(0);
  const uint64_t size = s->size();

  // Repeats allowed (or just one): draw independently each time.
  if (!distinct || count == 1) {
    ctx.reply.array(static_cast<int64_t>(count));
    for (uint64_t i = 0; i < count; ++i) {
      ctx.reply.bulk(s->random_member());
      if ((i & 1023) == 0 && ctx.reply.buffer().size() > kReplyHardCap) {
        ctx.client.close_after_reply = true;
        break;
      }
    }
    return;
  }
  if (count >= size) {
    ctx.reply.array(static_cast<int64_t>(size));
    return s->for_each([&](std::string_view m) { ctx.reply.bulk(m); });
  }
  std::vector<std::string> picked;
  if (count * 3 > size) {
    // Most of the set: a partial shuffle of all members.
    std::vector<std::string> all;
    all.reserve(size);
    s->for_each([&](std::string_view m) { all.emplace_back(m); });
    for (uint64_t i = 0; i < count; ++i) {
      std::swap(all[i], all[std::uniform_int_distribution<size_t>(i, size - 1)(random_engine())]);
    }
    all.resize(count);
    picked = std::move(all);
  } else {
    // Few of many: draw until `count` distinct members came up.
    std::unordered_set<std::string> seen;
    while (seen.size() < count) {
      std::string m = s->random_member();
      if (seen.insert(m).second) picked.push_back(std::move(m));
    }
  }
  ctx.reply.array(static_cast<int64_t>(count));
  for (const std::string& m : picked) ctx.reply.bulk(m);
}

void srandmember_command(CommandContext& ctx) {
  if (ctx.argc() == 3) return srandmember_with_count(ctx);
  if (ctx.argc() > 3) return ctx.reply.error(kSyntaxError);
  bool wrong;
  const Set* s = read_set(ctx, ctx.args[1], wrong);
  if (wrong) return;
  if (!s) return ctx.reply.null();
  ctx.reply.bulk(s->random_member());
}

// --- set algebra ---

// Looks every key up for reading (missing keys are nullptr). False after a WRONGTYPE reply.
bool read_sets(CommandContext& ctx, std::span<const std::string_view> keys,
               std::vector<const Set*>& sets) {
  sets.clear();
  for (std::string_view key : keys) {
    bool wrong;
    sets.push_back(read_set(ctx, key, wrong));
    if (wrong) return false;
  }
  return true;
}

// Finishes a *STORE: stores a non-empty result (dropping whatever the destination held, TTL
// included), deletes the destination otherwise, and replies the result's size.
void store_result(CommandContext& ctx, std::string_view dst, std::shared_ptr<Set> result) {
  const int64_t size = static_cast<int64_t>(result->size());
  if (size > 0) {
    store_set(ctx, dst, std::move(result));
    ctx.notify(kNotifySet, ctx.spec.name, dst);  // "sinterstore", "sunionstore", "sdiffstore"
    ctx.dirty();
  } else if (ctx.db().erase(dst)) {
    ctx.notify(kNotifyGeneric, "del", dst);
    ctx.dirty();
  }
  ctx.reply.integer(size);
}

// Redis's sinterGenericCommand. `dst` for SINTERSTORE; `card_only` for SINTERCARD (limit 0:
// none).
void sinter_generic(CommandContext& ctx, std::span<const std::string_view> keys,
                    std::optional<std::string_view> dst, bool card_only, uint64_t limit) {
  std::vector<const Set*> sets;
  if (!read_sets(ctx, keys, sets)) return;
  // An intersection with an empty (missing) set is empty.
  if (std::find(sets.begin(), sets.end(), nullptr) != sets.end()) {
    if (dst) {
      if (ctx.db().erase(*dst)) {
        ctx.notify(kNotifyGeneric, "del", *dst);
        ctx.dirty();
      }
      return ctx.reply.integer(0);
    }
    return card_only ? ctx.reply.integer(0) : ctx.reply.set(0);
  }
  std::stable_sort(sets.begin(), sets.end(),
                   [](const Set* a, const Set* b) { return a->size() < b->size(); });
  if (!dst && !card_only && sets.size() == 1) return reply_members(ctx, *sets[0]);

  auto result = dst ? std::make_shared<Set>() : nullptr;
  const size_t max_intset = intset_limit(ctx);
  std::vector<std::string> members;
  uint64_t cardinality = 0;
  bool done = false;
  sets[0]->for_each([&](std::string_view m) {
    if (done) return;
    for (size_t j = 1; j < sets.size(); ++j) {
      if (sets[j] != sets[0] && !sets[j]->contains(m)) return;
    }
    ++cardinality;
    if (card_only) {
      if (limit && cardinality >= limit) done = true;
    } else if (result) {
      result->add(m, max_intset);
    } else {
      members.emplace_back(m);
    }
  });
  if (card_only) return ctx.reply.integer(static_cast<int64_t>(cardinality));
  if (result) return store_result(ctx, *dst, std::move(result));
  ctx.reply.set(static_cast<int64_t>(members.size()));
  for (const std::string& m : members) ctx.reply.bulk(m);
}

enum class SetOp { kUnion, kDiff };

// Redis's sunionDiffGenericCommand, with its two SDIFF algorithms (they differ in the stored
// result's encoding when the intermediate result grows past the intset limit).
void sunion_diff_generic(CommandContext& ctx, std::span<const std::string_view> keys,
                         std::optional<std::string_view> dst, SetOp op) {
  std::vector<const Set*> sets;
  if (!read_sets(ctx, keys, sets)) return;
  bool same_set = false;
  for (size_t j = 1; j < sets.size(); ++j) {
    if (sets[j] && sets[j] == sets[0]) same_set = true;
  }
  int algo = 1;
  if (op == SetOp::kDiff && sets[0] && !same_set) {
    uint64_t one = 0, two = 0;
    for (const Set* s : sets) {
      if (!s) continue;
      one += sets[0]->size();
      two += s->size();
    }
    algo = one / 2 <= two ? 1 : 2;
  }

  auto result = std::make_shared<Set>();
  const size_t max_intset = intset_limit(ctx);
  if (op == SetOp::kUnion) {
    for (const Set* s : sets) {
      if (s) s->for_each([&](std::string_view m) { result->add(m, max_intset); });
    }
  } else if (sets[0] && !same_set && algo == 1) {
    sets[0]->for_each([&](std::string_view m) {
      for (size_t j = 1; j < sets.size(); ++j) {
        if (sets[j] && sets[j]->contains(m)) return;
      }
      result->add(m, max_intset);
    });
  } else if (sets[0] && !same_set) {
    for (size_t j = 0; j < sets.size(); ++j) {
      if (!sets[j]) continue;
      sets[j]->for_each([&](std::string_view m) {
        if (j == 0) {
          result->add(m, max_intset);
        } else {
          result->remove(m);
        }
      });
      if (result->size() == 0) break;
    }
  }
  if (dst) return store_result(ctx, *dst, std::move(result));
  reply_members(ctx, *result);
}

void sinter_command(CommandContext& ctx) {
  sinter_generic(ctx, ctx.args.subspan(1), std::nullopt, false, 0);
}
void sinterstore_command(CommandContext& ctx) {
  sinter_generic(ctx, ctx.args.subspan(2), ctx.args[1], false, 0);
}
void sunion_command(CommandContext& ctx) {
  sunion_diff_generic(ctx, ctx.args.subspan(1), std::nullopt, SetOp::kUnion);
}
void sunionstore_command(CommandContext& ctx) {
  sunion_diff_generic(ctx, ctx.args.subspan(2), ctx.args[1], SetOp::kUnion);
}
void sdiff_command(CommandContext& ctx) {
  sunion_diff_generic(ctx, ctx.args.subspan(1), std::nullopt, SetOp::kDiff);
}
void sdiffstore_command(CommandContext& ctx) {
  sunion_diff_generic(ctx, ctx.args.subspan(2), ctx.args[1], SetOp::kDiff);
}

void sintercard_command(CommandContext& ctx) {
  constexpr std::string_view kNumkeysError = "ERR numkeys should be greater than 0";
  auto numkeys = int_arg(ctx.args[1], ctx.reply, kNumkeysError);
  if (!numkeys) return;
  if (*numkeys < 1) return ctx.reply.error(kNumkeysError);
  if (*numkeys > static_cast<int64_t>(ctx.argc()) - 2) {
    return ctx.reply.error("ERR Number of keys can't be greater than number of args");
  }
  int64_t limit = 0;
  for (size_t j = 2 + *numkeys; j < ctx.argc(); ++j) {
    if (iequals(ctx.args[j], "LIMIT") && j + 1 < ctx.argc()) {
      constexpr std::string_view kLimitError = "ERR LIMIT can't be negative";
      auto l = int_arg(ctx.args[++j], ctx.reply, kLimitError);
      if (!l) return;
      if (*l < 0) return ctx.reply.error(kLimitError);
      limit = *l;
    } else {
      return ctx.reply.error(kSyntaxError);
    }
  }
  sinter_generic(ctx, ctx.args.subspan(2, *numkeys), std::nullopt, true,
                 static_cast<uint64_t>(limit));
}

// --- SSCAN ---

void sscan_command(CommandContext& ctx) {
  auto cursor = parse_scan_cursor(ctx.args[2], ctx.reply);
  if (!cursor) return;
  bool wrong;
  const Set* s = read_set(ctx, ctx.args[1], wrong);
  if (wrong) return;
  if (!s) {
    ctx.reply.array(2);
    ctx.reply.bulk("0");
    return ctx.reply.array(0);
  }
  auto options = parse_scan_options(ctx.args.subspan(3), /*allow_type=*/false, ctx.reply);
  if (!options) return;

  std::vector<std::string> found;
  uint64_t next = 0;
  if (s->encoding() == Set::Encoding::kIntset) {
    // A compact encoding is returned whole, with cursor 0, as Redis does.
    s->for_each([&](std::string_view m) { found.emplace_back(m); });
  } else {
    int64_t budget = options->bucket_budget();
    next = *cursor;
    do {
      next = s->scan(next, [&](std::string_view m) { found.emplace_back(m); });
    } while (next != 0 && budget-- > 0 && static_cast<int64_t>(found.size()) < options->count);
  }
  ctx.reply.array(2);
  ctx.reply.bulk(fmt::format("{}", next));
  std::erase_if(found, [&](const std::string& m) { return !options->matches(m); });
  ctx.reply.array(static_cast<int64_t>(found.size()));
  for (const std::string& m : found) ctx.reply.bulk(m);
}

}  // namespace

void register_set_commands(CommandTable& table) {
  constexpr uint32_t kReadFast = kCmdReadonly | kCmdFast;
  constexpr std::string_view kInterComplexity =
      "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of "
      "sets.";
  constexpr std::string_view kUnionComplexity =
      "O(N) where N is the total number of elements in all given sets.";
  auto single = [](CommandSpec spec, std::string_view key_flags) {
    spec.first_key = 1;
    spec.last_key = 1;
    spec.key_step = 1;
    spec.group = "set";
    spec.key_specs = {KeySpec{.flags = key_flags}};
    return spec;
  };
  auto multi = [](CommandSpec spec) {
    spec.first_key = 1;
    spec.last_key = -1;
    spec.key_step = 1;
    spec.group = "set";
    spec.key_specs = {KeySpec{.flags = "RO access", .last_key = -1}};
    return spec;
  };
  auto store = [](CommandSpec spec, std::string_view dst_flags) {
    spec.first_key = 1;
    spec.last_key = -1;
    spec.key_step = 1;
    spec.group = "set";
    spec.key_specs = {KeySpec{.flags = dst_flags},
                      KeySpec{.flags = "RO access", .begin_index = 2, .last_key = -1}};
    return spec;
  };

  table.add(single({.name = "sadd",
                    .arity = -3,
                    .flags = kCmdWrite | kCmdDenyOom | kCmdFast,
                    .handler = sadd_command,
                    .summary = "Add one or more members to a set",
                    .complexity = "O(1) for each element added, so O(N) to add N elements when "
                                  "the command is called with multiple arguments.",
                    .acl_categories = "@write @set @fast",
                    .args = "key member [member ...]"},
                   "RW insert"));
  table.add(single({.name = "srem",
                    .arity = -3,
                    .flags = kCmdWrite | kCmdFast,
                    .handler = srem_command,
                    .summary = "Remove one or more members from a set",
                    .complexity = "O(N) where N is the number of members to be removed.",
                    .acl_categories = "@write @set @fast",
                    .args = "key member [member ...]"},
                   "RW delete"));
  table.add(single({.name = "sismember",
                    .arity = 3,
                    .flags = kReadFast,
                    .handler = sismember_command,
                    .summary = "Determine if a given value is a member of a set",
                    .acl_categories = "@read @set @fast",
                    .args = "key member"},
                   "RO"));
  table.add(
      single({.name = "smismember",
              .arity = -3,
              .flags = kReadFast,
              .handler = smismember_command,
              .summary = "Returns the membership associated with the given elements for a set",
              .since = "6.2.0",
              .complexity = "O(N) where N is the number of elements being checked for "
                            "membership",
              .acl_categories = "@read @set @fast",
              .args = "key member [member ...]"},
             "RO access"));
  table.add(single({.name = "scard",
                    .arity = 2,
                    .flags = kReadFast,
                    .handler = scard_command,
                    .summary = "Get the number of members in a set",
                    .acl_categories = "@read @set @fast",
                    .args = "key"},
                   "RO"));
  table.add(single({.name = "smembers",
                    .arity = 2,
                    .flags = kCmdReadonly,
                    .handler = sinter_command,
                    .summary = "Get all the members in a set",
                    .complexity = "O(N) where N is the set cardinality.",
                    .acl_categories = "@read @set @slow",
                    .tips = "nondeterministic_output_order",
                    .args = "key"},
                   "RO access"));
  table.add(single({.name = "spop",
                    .arity = -2,
                    .flags = kCmdWrite | kCmdFast,
                    .handler = spop_command,
                    .summary = "Remove and return one or multiple random members from a set",
                    .complexity = "Without the count argument O(1), otherwise O(N) where N is the "
                                  "value of the passed count.",
                    .acl_categories = "@write @set @fast",
                    .tips = "nondeterministic_output",
                    .args = "key [count]"},
                   "RW access delete"));
  table.add(single({.name = "srandmember",
                    .arity = -2,
                    .flags = kCmdReadonly,
                    .handler = srandmember_command,
                    .summary = "Get one or multiple random members from a set",
                    .complexity = "Without the count argument O(1), otherwise O(N) where N is the "
                                  "absolute value of the passed count.",
                    .acl_categories = "@read @set @slow",
                    .tips = "nondeterministic_output",
                    .args = "key [count]"},
                   "RO access"));
  table.add({.name = "smove",
             .arity = 4,
             .flags = kCmdWrite | kCmdFast,
             .first_key = 1,
             .last_key = 2,
             .key_step = 1,
             .handler = smove_command,
             .group = "set",
             .summary = "Move a member from one set to another",
             .acl_categories = "@write @set @fast",
             .key_specs = {KeySpec{.flags = "RW access delete"},
                           KeySpec{.flags = "RW insert", .begin_index = 2}},
             .args = "source destination member"});
  table.add(multi({.name = "sinter",
                   .arity = -2,
                   .flags = kCmdReadonly,
                   .handler = sinter_command,
                   .summary = "Intersect multiple sets",
                   .complexity = kInterComplexity,
                   .acl_categories = "@read @set @slow",
                   .tips = "nondeterministic_output_order",
                   .args = "key [key ...]"}));
  // Keys follow numkeys (a "keynum" key spec, which COMMAND INFO here cannot express yet).
  table.add({.name = "sintercard",
             .arity = -3,
             .flags = kCmdReadonly | kCmdMovableKeys,
             .handler = sintercard_command,
             .group = "set",
             .summary = "Intersect multiple sets and return the cardinality of the result",
             .since = "7.0.0",
             .complexity = kInterComplexity,
             .acl_categories = "@read @set @slow",
             .key_specs = {{.flags = "RO access", .keynum_index = 0}},
             .args = "numkeys key [key ...] [LIMIT limit]"});
  table.add(multi({.name = "sunion",
                   .arity = -2,
                   .flags = kCmdReadonly,
                   .handler = sunion_command,
                   .summary = "Add multiple sets",
                   .complexity = kUnionComplexity,
                   .acl_categories = "@read @set @slow",
                   .tips = "nondeterministic_output_order",
                   .args = "key [key ...]"}));
  table.add(multi({.name = "sdiff",
                   .arity = -2,
                   .flags = kCmdReadonly,
                   .handler = sdiff_command,
                   .summary = "Subtract multiple sets",
                   .complexity = kUnionComplexity,
                   .acl_categories = "@read @set @slow",
                   .tips = "nondeterministic_output_order",
                   .args = "key [key ...]"}));
  table.add(store({.name = "sinterstore",
                   .arity = -3,
                   .flags = kCmdWrite | kCmdDenyOom,
                   .handler = sinterstore_command,
                   .summary = "Intersect multiple sets and store the resulting set in a key",
                   .complexity = kInterComplexity,
                   .acl_categories = "@write @set @slow",
                   .args = "destination key [key ...]"},
                  "RW update"));
  table.add(store({.name = "sunionstore",
                   .arity = -3,
                   .flags = kCmdWrite | kCmdDenyOom,
                   .handler = sunionstore_command,
                   .summary = "Add multiple sets and store the resulting set in a key",
                   .complexity = kUnionComplexity,
                   .acl_categories = "@write @set @slow",
                   .args = "destination key [key ...]"},
                  "OW update"));
  table.add(store({.name = "sdiffstore",
                   .arity = -3,
                   .flags = kCmdWrite | kCmdDenyOom,
                   .handler = sdiffstore_command,
                   .summary = "Subtract multiple sets and store the resulting set in a key",
                   .complexity = kUnionComplexity,
                   .acl_categories = "@write @set @slow",
                   .args = "destination key [key ...]"},
                  "OW update"));
  table.add(single({.name = "sscan",
                    .arity = -3,
                    .flags = kCmdReadonly,
                    .handler = sscan_command,
                    .summary = "Incrementally iterate Set elements",
                    .since = "2.8.0",
                    .complexity = "O(1) for every call. O(N) for a complete iteration, including "
                                  "enough command calls for the cursor to return back to 0. N is "
                                  "the number of elements inside the collection..",
                    .acl_categories = "@read @set @slow",
                    .tips = "nondeterministic_output",
                    .args = "key cursor [MATCH pattern] [COUNT count]"},
                   "RO access"));
}

}  // namespace tandem
