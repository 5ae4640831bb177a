// List commands, following Redis 7.0's t_list.c: pushes and pops (with COUNT), LMPOP, LRANGE,
// LINDEX, LSET, LINSERT, LREM, LTRIM, LPOS, LMOVE/RPOPLPUSH, and the blocking BLPOP, BRPOP,
// BLMPOP, BLMOVE and BRPOPLPUSH (through server/blocking.h).
//
// Invariants kept here, as Redis keeps them:
// - A list is never empty: the write that removes its last element deletes the key.
// - A new list takes list-max-listpack-size as its node fill when it is created.
// - Arguments are checked in Redis's order (options and numbers before the key's type, or
//   after, command by command), so each bad input gets the very error Redis gives it.
// - Read commands (LLEN, LRANGE, LINDEX, LPOS) count keyspace hits and misses; writes do not.
// - A blocking command that finds data replies as its non-blocking form does; a blocked one is
//   re-run from the start when one of its keys becomes ready (server/blocking.h).
#include <climits>
#include <optional>
#include <string>
#include <vector>

#include "fmt/format.h"
#include "server/args.h"
#include "server/blocking.h"
#include "server/command_context.h"
#include "server/errors.h"
#include "server/mpop_args.h"
#include "storage/list.h"
#include "storage/value.h"

namespace tandem {
namespace {

using Entry = Database::Entry;

enum class End { kHead, kTail };

Value new_list(CommandContext& ctx) {
  return Value::make<List>(ctx.server.config().list_max_listpack_size);
}

void reply_element(Reply& reply, const List::Element& e) {
  if (e.is_int) {
    reply.bulk(fmt::format_int(e.integer).str());
  } else {
    reply.bulk(e.str);
  }
}

// Redis's getRangeLongFromObjectOrReply: not an integer -> `msg` (or the generic error), outside
// [min, max] -> `msg` (or "value is out of range, value must between min and max").
std::optional<int64_t> range_arg(CommandContext& ctx, std::string_view arg, int64_t min,
                                 int64_t max, std::string_view msg = {}) {
  int64_t v;
  if (!parse_int64(arg, v)) {
    ctx.reply.error(msg.empty() ? kNotIntegerError : fmt::format("ERR {}", msg));
    return std::nullopt;
  }
  if (v < min || v > max) {
    ctx.reply.error(
        msg.empty()
            ? fmt::format("ERR value is out of range, value must between {} and {}", min, max)
            : fmt::format("ERR {}", msg));
    return std::nullopt;
  }
  return v;
}

// Redis's getPositiveLongFromObjectOrReply.
std::optional<int64_t> positive_arg(CommandContext& ctx, std::string_view arg,
                                    std::string_view msg =
                                        "value is out of range, must be "
                                        "positive") {
  return range_arg(ctx, arg, 0, INT64_MAX, msg);
}

// Redis's getListPositionFromObjectOrReply.
std::optional<End> end_arg(CommandContext& ctx, std::string_view arg) {
  if (iequals(arg, "left")) return End::kHead;
  if (iequals(arg, "right")) return End::kTail;
  ctx.reply.error(kSyntaxError);
  return std::nullopt;
}

std::string pop(List& list, End end) {
  return *(end == End::kHead ? list.pop_front() : list.pop_back());
}

void push(List& list, End end, std::string_view value) {
  if (end == End::kHead) {
    list.push_front(value);
  } else {
    list.push_back(value);
  }
}

// Deletes the key when its list became empty (Redis never keeps an empty list).
void delete_if_empty(CommandContext& ctx, std::string_view key, const List& list) {
  if (list.size() > 0) return;
  ctx.db().erase(key);
  ctx.notify(kNotifyGeneric, "del", key);
}

// The keyspace event of a push or pop at `end`.
std::string_view push_event(End end) { return end == End::kHead ? "lpush" : "rpush"; }
std::string_view pop_event(End end) { return end == End::kHead ? "lpop" : "rpop"; }

// --- Pushes ---

void push_generic(CommandContext& ctx, End end, bool only_if_exists) {
  std::string_view key = ctx.args[1];
  Entry* entry = ctx.lookup_write(key);
  if (entry && !entry->value.as<List>()) return ctx.reply.error(kWrongTypeError);
  size_t pushed = ctx.argc() - 2;
  size_t length;
  if (!entry) {
    if (only_if_exists) return ctx.reply.integer(0);
    Value value = new_list(ctx);
    List& list = value.mutable_as<List>();
    for (size_t i = 2; i < ctx.argc(); ++i) push(list, end, ctx.args[i]);
    length = list.size();
    ctx.db().set(key, std::move(value));  // signals the key ready for blocked clients
  } else {
    List& list = entry->value.mutable_as<List>();
    for (size_t i = 2; i < ctx.argc(); ++i) push(list, end, ctx.args[i]);
    length = list.size();
  }
  ctx.dirty(pushed);
  ctx.signal_modified_key(key);
  ctx.notify(kNotifyList, push_event(end), key);
  ctx.reply.integer(static_cast<int64_t>(length));
}

void lpush_command(CommandContext& ctx) { push_generic(ctx, End::kHead, false); }
void rpush_command(CommandContext& ctx) { push_generic(ctx, End::kTail, false); }
void lpushx_command(CommandContext& ctx) { push_generic(ctx, End::kHead, true); }
void rpushx_command(CommandContext& ctx) { push_generic(ctx, End::kTail, true); }

// --- Pops ---

// Pops up to `count` elements into an array reply (Redis's listPopRangeAndReplyWithKey without
// the key) and deletes the key if it empties.
void pop_range_reply(CommandContext& ctx, std::string_view key, Entry* entry, End end,
                     int64_t count) {
  List& list = entry->value.mutable_as<List>();
  size_t n = std::min<size_t>(static_cast<size_t>(count), list.size());
  ctx.reply.array(static_cast<int64_t>(n));
  for (size_t i = 0; i < n; ++i) ctx.reply.bulk(pop(list, end));
  ctx.dirty(n);
  ctx.signal_modified_key(key);
  ctx.notify(kNotifyList, pop_event(end), key);
  delete_if_empty(ctx, key, list);
}

void pop_generic(CommandContext& ctx, End end) {
  if (ctx.argc() > 3) {
    return ctx.reply.error(
        fmt::format("ERR wrong number of arguments for '{}' command", ctx.spec.name));
  }
  std::optional<int64_t> count;
  if (ctx.argc() == 3) {
    count = positive_arg(ctx, ctx.args[2]);
    if (!count) return;
  }
  std::string_view key = ctx.args[1];
  Entry* entry = ctx.lookup_write(key);
  if (!entry) return count ? ctx.reply.null_array() : ctx.reply.null();
  if (!entry->value.as<List>()) return ctx.reply.error(kWrongTypeError);
  if (count && *count == 0) return ctx.reply.array(0);
  if (!count) {
    List& list = entry->value.mutable_as<List>();
    ctx.reply.bulk(pop(list, end));
    ctx.dirty();
    ctx.signal_modified_key(key);
    ctx.notify(kNotifyList, pop_event(end), key);
    delete_if_empty(ctx, key, list);
    return;
  }
  pop_range_reply(ctx, key, entry, end, *count);
}

void lpop_command(CommandContext& ctx) { pop_generic(ctx, End::kHead); }
void rpop_command(CommandContext& ctx) { pop_generic(ctx, End::kTail); }

// The first key of `keys` holding a non-empty list; sets `wrong_type` (and replies WRONGTYPE)
// when a key before it holds another type, as Redis's pop loops stop there.
Entry* first_nonempty(CommandContext& ctx, std::span<const std::string_view> keys, size_t& index,
                      bool& wrong_type) {
  wrong_type = false;
  for (index = 0; index < keys.size(); ++index) {
    Entry* entry = ctx.lookup_write(keys[index]);
    if (!entry) continue;
    const List* list = entry->value.as<List>();
    if (!list) {
      wrong_type = true;
      ctx.reply.error(kWrongTypeError);
      return nullptr;
    }
    if (list->size() > 0) return entry;
  }
  return nullptr;
}

// Pops from the first non-empty list of `keys` as LMPOP answers ([key, [elements]]); false when
// every key is missing (nothing replied), true when it replied (elements or WRONGTYPE).
bool mpop_from_first(CommandContext& ctx, const MpopArgs& args) {
  size_t index;
  bool wrong_type;
  Entry* entry = first_nonempty(ctx, args.keys, index, wrong_type);
  if (wrong_type) return true;
  if (!entry) return false;
  std::string_view key = args.keys[index];
  const End end = args.second_direction ? End::kTail : End::kHead;
  // Replicas pop from the key that had elements, exactly as many as there were.
  size_t popped =
      std::min<size_t>(static_cast<size_t>(args.count), entry->value.as<List>()->size());
  ctx.propagate_as(
      {end == End::kHead ? "LPOP" : "RPOP", std::string(key), std::to_string(popped)});
  ctx.reply.array(2);
  ctx.reply.bulk(key);
  pop_range_reply(ctx, key, entry, end, args.count);
  return true;
}

void lmpop_command(CommandContext& ctx) {
  auto args = parse_mpop(ctx.args, 1, "left", "right", ctx.reply);
  if (!args) return;
  if (!mpop_from_first(ctx, *args)) ctx.reply.null_array();
}

// --- Blocking pops ---

void blocking_pop(CommandContext& ctx, End end) {
  auto deadline = parse_block_timeout(ctx, ctx.args.back());
  if (!deadline) return;
  std::span<const std::string_view> keys = ctx.args.subspan(1, ctx.argc() - 2);
  size_t index;
  bool wrong_type;
  Entry* entry = first_nonempty(ctx, keys, index, wrong_type);
  if (wrong_type) return;
  if (entry) {
    List& list = entry->value.mutable_as<List>();
    ctx.propagate_as({end == End::kHead ? "LPOP" : "RPOP", std::string(keys[index])});
    ctx.reply.array(2);
    ctx.reply.bulk(keys[index]);
    ctx.reply.bulk(pop(list, end));
    ctx.dirty();
    ctx.signal_modified_key(keys[index]);
    ctx.notify(kNotifyList, pop_event(end), keys[index]);
    delete_if_empty(ctx, keys[index], list);
    return;
  }
  if (!ctx.server.blocking().block(ctx, keys, *deadline, ValueType::kList)) {
    ctx.reply.null_array();
  }
}

void blpop_command(CommandContext& ctx) { blocking_pop(ctx, End::kHead); }
void brpop_command(CommandContext& ctx) { blocking_pop(ctx, End::kTail); }

void blmpop_command(CommandContext& ctx) {
  auto args = parse_mpop(ctx.args, 2, "left", "right", ctx.reply);
  if (!args) return;
  auto deadline = parse_block_timeout(ctx, ctx.args[1]);
  if (!deadline) return;
  if (mpop_from_first(ctx, *args)) return;
  if (!ctx.server.blocking().block(ctx, args->keys, *deadline, ValueType::kList)) {
    ctx.reply.null_array();
  }
}

// --- LMOVE family ---

// Redis's lmoveGenericCommand: the source exists and is a list here.
void lmove_generic(CommandContext& ctx, End from, End to) {
  std::string_view source = ctx.args[1];
  std::string_view destination = ctx.args[2];
  Entry* src = ctx.lookup_write(source);
  if (!src) return ctx.reply.null();
  if (!src->value.as<List>()) return ctx.reply.error(kWrongTypeError);
  Entry* dst = ctx.lookup_write(destination);
  if (dst && !dst->value.as<List>()) return ctx.reply.error(kWrongTypeError);
  std::string value = pop(src->value.mutable_as<List>(), from);
  if (dst) {
    push(dst->value.mutable_as<List>(), to, value);  // the same list when source == destination
  } else {
    Value created = new_list(ctx);
    push(created.mutable_as<List>(), to, value);
    ctx.db().set(destination, std::move(created));  // entries never move: `src` stays valid
  }
  ctx.signal_modified_key(source);
  ctx.signal_modified_key(destination);
  // Redis's order: the push, then the pop, then the source's deletion.
  ctx.notify(kNotifyList, push_event(to), destination);
  ctx.notify(kNotifyList, pop_event(from), source);
  delete_if_empty(ctx, source, *src->value.as<List>());
  ctx.dirty();
  ctx.reply.bulk(value);
}

void lmove_command(CommandContext& ctx) {
  auto from = end_arg(ctx, ctx.args[3]);
  if (!from) return;
  auto to = end_arg(ctx, ctx.args[4]);
  if (!to) return;
  lmove_generic(ctx, *from, *to);
}

void rpoplpush_command(CommandContext& ctx) { lmove_generic(ctx, End::kTail, End::kHead); }

// Redis's blmoveGenericCommand.
void blmove_generic(CommandContext& ctx, End from, End to, int64_t deadline) {
  Entry* src = ctx.lookup_write(ctx.args[1]);
  if (src && !src->value.as<List>()) return ctx.reply.error(kWrongTypeError);
  if (src) {
    // Replicas get the non-blocking form: the same arguments without the timeout.
    std::vector<std::string> args(ctx.args.begin(), ctx.args.end() - 1);
    args[0] = ctx.spec.name == "blmove" ? "LMOVE" : "RPOPLPUSH";
    if (args.size() == 5 && ctx.server.blocking().serving()) {
      args[3] = from == End::kHead ? "left" : "right";
      args[4] = to == End::kHead ? "left" : "right";
    }
    ctx.propagate_as(std::move(args));
    return lmove_generic(ctx, from, to);
  }
  std::string_view keys[] = {ctx.args[1]};
  // Inside EXEC Redis answers a null bulk here, not the null array of a timeout.
  if (!ctx.server.blocking().block(ctx, keys, deadline, ValueType::kList)) ctx.reply.null();
}

void blmove_command(CommandContext& ctx) {
  auto from = end_arg(ctx, ctx.args[3]);
  if (!from) return;
  auto to = end_arg(ctx, ctx.args[4]);
  if (!to) return;
  auto deadline = parse_block_timeout(ctx, ctx.args[5]);
  if (!deadline) return;
  blmove_generic(ctx, *from, *to, *deadline);
}

void brpoplpush_command(CommandContext& ctx) {
  auto deadline = parse_block_timeout(ctx, ctx.args[3]);
  if (!deadline) return;
  blmove_generic(ctx, End::kTail, End::kHead, *deadline);
}

// --- Reads ---

// The list at `key` for a read command: nullptr with `missing` set when there is none, nullptr
// after replying WRONGTYPE when it holds another type.
const List* read_list(CommandContext& ctx, std::string_view key, bool& missing) {
  Entry* entry = ctx.lookup_read(key);
  missing = !entry;
  if (!entry) return nullptr;
  const List* list = entry->value.as<List>();
  if (!list) ctx.reply.error(kWrongTypeError);
  return list;
}

void llen_command(CommandContext& ctx) {
  bool missing;
  const List* list = read_list(ctx, ctx.args[1], missing);
  if (missing) return ctx.reply.integer(0);
  if (list) ctx.reply.integer(static_cast<int64_t>(list->size()));
}

void lrange_command(CommandContext& ctx) {
  auto start = int_arg(ctx.args[2], ctx.reply);
  if (!start) return;
  auto end = int_arg(ctx.args[3], ctx.reply);
  if (!end) return;
  bool missing;
  const List* list = read_list(ctx, ctx.args[1], missing);
  if (missing) return ctx.reply.array(0);
  if (!list) return;
  int64_t length = static_cast<int64_t>(list->size());
  int64_t from = *start < 0 ? *start + length : *start;
  int64_t to = *end < 0 ? *end + length : *end;
  if (from < 0) from = 0;
  if (from > to || from >= length) return ctx.reply.array(0);
  if (to >= length) to = length - 1;
  int64_t n = to - from + 1;
  ctx.reply.array(n);
  list->for_each(static_cast<size_t>(from), false, [&](const List::Element& e) {
    reply_element(ctx.reply, e);
    return --n > 0;
  });
}

void lindex_command(CommandContext& ctx) {
  bool missing;
  const List* list = read_list(ctx, ctx.args[1], missing);
  if (missing) return ctx.reply.null();
  if (!list) return;
  auto index = int_arg(ctx.args[2], ctx.reply);
  if (!index) return;
  auto value = list->at(*index);
  if (!value) return ctx.reply.null();
  ctx.reply.bulk(*value);
}

void lpos_command(CommandContext& ctx) {
  std::string_view element = ctx.args[2];
  int64_t rank = 1, count = -1, maxlen = 0;
  for (size_t j = 3; j < ctx.argc(); ++j) {
    std::string_view opt = ctx.args[j];
    bool more = j + 1 < ctx.argc();
    if (iequals(opt, "rank") && more) {
      auto r = int_arg(ctx.args[++j], ctx.reply);
      if (!r) return;
      // Redis 7.0 negates LONG_MIN without a range check: it then matches from the first hit.
      if (*r == INT64_MIN) *r = -1;
      if (*r == 0) {
        return ctx.reply.error(
            "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... "
            "or use negative to start from the end of the list");
      }
      rank = *r;
    } else if (iequals(opt, "count") && more) {
      auto c = positive_arg(ctx, ctx.args[++j], "COUNT can't be negative");
      if (!c) return;
      count = *c;
    } else if (iequals(opt, "maxlen") && more) {
      auto m = positive_arg(ctx, ctx.args[++j], "MAXLEN can't be negative");
      if (!m) return;
      maxlen = *m;
    } else {
      return ctx.reply.error(kSyntaxError);
    }
  }
  bool reverse = rank < 0;
  if (reverse) rank = -rank;
  bool missing;
  const List* list = read_list(ctx, ctx.args[1], missing);
  if (missing) return count != -1 ? ctx.reply.array(0) : ctx.reply.null();
  if (!list) return;
  int64_t length = static_cast<int64_t>(list->size());
  size_t mark = ctx.reply.begin_deferred();
  int64_t index = 0, matches = 0, found = -1, emitted = 0;
  list->for_each(0, reverse, [&](const List::Element& e) {
    if (maxlen != 0 && index >= maxlen) return false;
    if (e.equals(element)) {
      ++matches;
      int64_t position = reverse ? length - index - 1 : index;
      if (matches >= rank) {
        if (count == -1) {
          found = position;
          return false;
        }
        ++emitted;
        ctx.reply.integer(position);
        if (count != 0 && matches - rank + 1 >= count) return false;
      }
    }
    ++index;
    return true;
  });
  if (count != -1) return ctx.reply.end_deferred_array(mark, emitted);
  if (found == -1) return ctx.reply.null();
  ctx.reply.integer(found);
}

// --- Edits ---

void lset_command(CommandContext& ctx) {
  std::string_view key = ctx.args[1];
  Entry* entry = ctx.lookup_write(key);
  if (!entry) return ctx.reply.error(kNoSuchKeyError);
  if (!entry->value.as<List>()) return ctx.reply.error(kWrongTypeError);
  auto index = int_arg(ctx.args[2], ctx.reply);
  if (!index) return;
  const List* list = entry->value.as<List>();
  int64_t length = static_cast<int64_t>(list->size());
  if (*index >= length || *index < -length) return ctx.reply.error(kOutOfRangeError);
  entry->value.mutable_as<List>().set(*index, ctx.args[3]);
  ctx.notify(kNotifyList, "lset", key);
  ctx.dirty();
  ctx.signal_modified_key(key);
  ctx.reply.ok();
}

void linsert_command(CommandContext& ctx) {
  bool after;
  if (iequals(ctx.args[2], "after")) {
    after = true;
  } else if (iequals(ctx.args[2], "before")) {
    after = false;
  } else {
    return ctx.reply.error(kSyntaxError);
  }
  Entry* entry = ctx.lookup_write(ctx.args[1]);
  if (!entry) return ctx.reply.integer(0);
  const List* list = entry->value.as<List>();
  if (!list) return ctx.reply.error(kWrongTypeError);
  // Look for the pivot before copying a shared list for writing.
  bool present = false;
  list->for_each(0, false, [&](const List::Element& e) {
    present = e.equals(ctx.args[3]);
    return !present;
  });
  if (!present) return ctx.reply.integer(-1);
  List& writable = entry->value.mutable_as<List>();
  writable.insert(ctx.args[3], ctx.args[4], after);
  ctx.notify(kNotifyList, "linsert", ctx.args[1]);
  ctx.dirty();
  ctx.signal_modified_key(ctx.args[1]);
  ctx.reply.integer(static_cast<int64_t>(writable.size()));
}

void lrem_command(CommandContext& ctx) {
  auto count = int_arg(ctx.args[2], ctx.reply);
  if (!count) return;
  std::string_view key = ctx.args[1];
  Entry* entry = ctx.lookup_write(key);
  if (!entry) return ctx.reply.integer(0);
  if (!entry->value.as<List>()) return ctx.reply.error(kWrongTypeError);
  List& list = entry->value.mutable_as<List>();
  size_t removed = list.remove(ctx.args[3], *count);
  ctx.dirty(removed);
  if (removed) {
    ctx.signal_modified_key(key);
    ctx.notify(kNotifyList, "lrem", key);
  }
  delete_if_empty(ctx, key, list);
  ctx.reply.integer(static_cast<int64_t>(removed));
}

void ltrim_command(CommandContext& ctx) {
  auto start = int_arg(ctx.args[2], ctx.reply);
  if (!start) return;
  auto end = int_arg(ctx.args[3], ctx.reply);
  if (!end) return;
  std::string_view key = ctx.args[1];
  Entry* entry = ctx.lookup_write(key);
  if (!entry) return ctx.reply.ok();
  const List* current = entry->value.as<List>();
  if (!current) return ctx.reply.error(kWrongTypeError);
  int64_t length = static_cast<int64_t>(current->size());
  int64_t from = *start < 0 ? *start + length : *start;
  int64_t to = *end < 0 ? *end + length : *end;
  if (from < 0) from = 0;
  int64_t ltrim, rtrim;
  if (from > to || from >= length) {
    ltrim = length;
    rtrim = 0;
  } else {
    if (to >= length) to = length - 1;
    ltrim = from;
    rtrim = length - to - 1;
  }
  if (ltrim + rtrim > 0) {
    List& list = entry->value.mutable_as<List>();
    list.erase_range(0, static_cast<size_t>(ltrim));
    if (rtrim > 0) list.erase_range(list.size() - static_cast<size_t>(rtrim), rtrim);
    ctx.dirty(static_cast<uint64_t>(ltrim + rtrim));
  }
  ctx.signal_modified_key(key);  // even when nothing was trimmed, as Redis
  ctx.notify(kNotifyList, "ltrim", key);
  delete_if_empty(ctx, key, *entry->value.as<List>());
  ctx.reply.ok();
}

}  // namespace

void register_list_commands(CommandTable& table) {
  constexpr uint32_t kWriteFast = kCmdWrite | kCmdDenyOom | kCmdFast;
  constexpr std::string_view kPushComplexity =
      "O(1) for each element added, so O(N) to add N elements when the command is called with "
      "multiple arguments.";
  constexpr std::string_view kMpopComplexity =
      "O(N+M) where N is the number of provided keys and M is the number of elements returned.";
  constexpr std::string_view kMoveSummary =
      "Pop an element from a list, push it to another list and return it; or block until one is "
      "available";
  const std::vector<KeySpec> kMoveKeys = {{.flags = "RW access delete"},
                                          {.flags = "RW insert", .begin_index = 2}};
  auto single_key = [](CommandSpec spec) {
    spec.first_key = 1;
    spec.last_key = 1;
    spec.key_step = 1;
    spec.group = "list";
    return spec;
  };

  table.add(single_key({.name = "lpush",
                        .arity = -3,
                        .flags = kWriteFast,
                        .handler = lpush_command,
                        .summary = "Prepend one or multiple elements to a list",
                        .complexity = kPushComplexity,
                        .acl_categories = "@write @list @fast",
                        .key_specs = {{.flags = "RW insert"}},
                        .args = "key element [element ...]"}));
  table.add(single_key({.name = "rpush",
                        .arity = -3,
                        .flags = kWriteFast,
                        .handler = rpush_command,
                        .summary = "Append one or multiple elements to a list",
                        .complexity = kPushComplexity,
                        .acl_categories = "@write @list @fast",
                        .key_specs = {{.flags = "RW insert"}},
                        .args = "key element [element ...]"}));
  table.add(single_key({.name = "lpushx",
                        .arity = -3,
                        .flags = kWriteFast,
                        .handler = lpushx_command,
                        .summary = "Prepend an element to a list, only if the list exists",
                        .since = "2.2.0",
                        .complexity = kPushComplexity,
                        .acl_categories = "@write @list @fast",
                        .key_specs = {{.flags = "RW insert"}},
                        .args = "key element [element ...]"}));
  table.add(single_key({.name = "rpushx",
                        .arity = -3,
                        .flags = kWriteFast,
                        .handler = rpushx_command,
                        .summary = "Append an element to a list, only if the list exists",
                        .since = "2.2.0",
                        .complexity = kPushComplexity,
                        .acl_categories = "@write @list @fast",
                        .key_specs = {{.flags = "RW insert"}},
                        .args = "key element [element ...]"}));
  table.add(single_key({.name = "lpop",
                        .arity = -2,
                        .flags = kCmdWrite | kCmdFast,
                        .handler = lpop_command,
                        .summary = "Remove and get the first elements in a list",
                        .complexity = "O(N) where N is the number of elements returned",
                        .acl_categories = "@write @list @fast",
                        .key_specs = {{.flags = "RW access delete"}},
                        .args = "key [count]"}));
  table.add(single_key({.name = "rpop",
                        .arity = -2,
                        .flags = kCmdWrite | kCmdFast,
                        .handler = rpop_command,
                        .summary = "Remove and get the last elements in a list",
                        .complexity = "O(N) where N is the number of elements returned",
                        .acl_categories = "@write @list @fast",
                        .key_specs = {{.flags = "RW access delete"}},
                        .args = "key [count]"}));
  table.add({.name = "lmpop",
             .arity = -4,
             .flags = kCmdWrite | kCmdMovableKeys,
             .handler = lmpop_command,
             .group = "list",
             .summary = "Pop elements from a list",
             .since = "7.0.0",
             .complexity = kMpopComplexity,
             .acl_categories = "@write @list @slow",
             .key_specs = {{.flags = "RW access delete", .keynum_index = 0}},
             .args = "numkeys key [key ...] LEFT|RIGHT [COUNT count]"});
  table.add(single_key({.name = "llen",
                        .arity = 2,
                        .flags = kCmdReadonly | kCmdFast,
                        .handler = llen_command,
                        .summary = "Get the length of a list",
                        .acl_categories = "@read @list @fast",
                        .key_specs = {{.flags = "RO"}},
                        .args = "key"}));
  table.add(single_key(
      {.name = "lrange",
       .arity = 4,
       .flags = kCmdReadonly,
       .handler = lrange_command,
       .summary = "Get a range of elements from a list",
       .complexity = "O(S+N) where S is the distance of start offset from HEAD for small lists, "
                     "from nearest end (HEAD or TAIL) for large lists; and N is the number of "
                     "elements in the specified range.",
       .acl_categories = "@read @list @slow",
       .args = "key start stop"}));
  table.add(single_key(
      {.name = "lindex",
       .arity = 3,
       .flags = kCmdReadonly,
       .handler = lindex_command,
       .summary = "Get an element from a list by its index",
       .complexity = "O(N) where N is the number of elements to traverse to get to the element "
                     "at index. This makes asking for the first or the last element of the list "
                     "O(1).",
       .acl_categories = "@read @list @slow",
       .args = "key index"}));
  table.add(single_key(
      {.name = "lset",
       .arity = 4,
       .flags = kCmdWrite | kCmdDenyOom,
       .handler = lset_command,
       .summary = "Set the value of an element in a list by its index",
       .complexity = "O(N) where N is the length of the list. Setting either the first or the "
                     "last element of the list is O(1).",
       .acl_categories = "@write @list @slow",
       .key_specs = {{.flags = "RW update"}},
       .args = "key index element"}));
  table.add(single_key(
      {.name = "linsert",
       .arity = 5,
       .flags = kCmdWrite | kCmdDenyOom,
       .handler = linsert_command,
       .summary = "Insert an element before or after another element in a list",
       .since = "2.2.0",
       .complexity = "O(N) where N is the number of elements to traverse before seeing the value "
                     "pivot. This means that inserting somewhere on the left end on the list "
                     "(head) can be considered O(1) and inserting somewhere on the right end "
                     "(tail) is O(N).",
       .acl_categories = "@write @list @slow",
       .key_specs = {{.flags = "RW insert"}},
       .args = "key BEFORE|AFTER pivot element"}));
  table.add(single_key(
      {.name = "lrem",
       .arity = 4,
       .flags = kCmdWrite,
       .handler = lrem_command,
       .summary = "Remove elements from a list",
       .complexity =
           "O(N+M) where N is the length of the list and M is the number of elements removed.",
       .acl_categories = "@write @list @slow",
       .key_specs = {{.flags = "RW delete"}},
       .args = "key count element"}));
  table.add(single_key(
      {.name = "ltrim",
       .arity = 4,
       .flags = kCmdWrite,
       .handler = ltrim_command,
       .summary = "Trim a list to the specified range",
       .complexity = "O(N) where N is the number of elements to be removed by the operation.",
       .acl_categories = "@write @list @slow",
       .key_specs = {{.flags = "RW delete"}},
       .args = "key start stop"}));
  table.add(single_key(
      {.name = "lpos",
       .arity = -3,
       .flags = kCmdReadonly,
       .handler = lpos_command,
       .summary = "Return the index of matching elements on a list",
       .since = "6.0.6",
       .complexity = "O(N) where N is the number of elements in the list, for the average case. "
                     "When searching for elements near the head or the tail of the list, or when "
                     "the MAXLEN option is provided, the command may run in constant time.",
       .acl_categories = "@read @list @slow",
       .args = "key element [RANK rank] [COUNT num-matches] [MAXLEN len]"}));
  table.add({.name = "lmove",
             .arity = 5,
             .flags = kCmdWrite | kCmdDenyOom,
             .first_key = 1,
             .last_key = 2,
             .key_step = 1,
             .handler = lmove_command,
             .group = "list",
             .summary = "Pop an element from a list, push it to another list and return it",
             .since = "6.2.0",
             .acl_categories = "@write @list @slow",
             .key_specs = kMoveKeys,
             .args = "source destination LEFT|RIGHT LEFT|RIGHT"});
  table.add(
      {.name = "rpoplpush",
       .arity = 3,
       .flags = kCmdWrite | kCmdDenyOom,
       .first_key = 1,
       .last_key = 2,
       .key_step = 1,
       .handler = rpoplpush_command,
       .group = "list",
       .summary = "Remove the last element in a list, prepend it to another list and return it",
       .since = "1.2.0",
       .acl_categories = "@write @list @slow",
       .key_specs = kMoveKeys,
       .args = "source destination"});
  // Blocking forms.
  constexpr uint32_t kBlockingPop = kCmdWrite | kCmdNoscript | kCmdBlocking;
  table.add({.name = "blpop",
             .arity = -3,
             .flags = kBlockingPop,
             .first_key = 1,
             .last_key = -2,
             .key_step = 1,
             .handler = blpop_command,
             .group = "list",
             .summary = "Remove and get the first element in a list, or block until one is "
                        "available",
             .since = "2.0.0",
             .complexity = "O(N) where N is the number of provided keys.",
             .acl_categories = "@write @list @slow @blocking",
             .key_specs = {{.flags = "RW access delete", .last_key = -2}},
             .args = "key [key ...] timeout"});
  table.add({.name = "brpop",
             .arity = -3,
             .flags = kBlockingPop,
             .first_key = 1,
             .last_key = -2,
             .key_step = 1,
             .handler = brpop_command,
             .group = "list",
             .summary = "Remove and get the last element in a list, or block until one is "
                        "available",
             .since = "2.0.0",
             .complexity = "O(N) where N is the number of provided keys.",
             .acl_categories = "@write @list @slow @blocking",
             .key_specs = {{.flags = "RW access delete", .last_key = -2}},
             .args = "key [key ...] timeout"});
  table.add({.name = "blmpop",
             .arity = -5,
             .flags = kCmdWrite | kCmdBlocking | kCmdMovableKeys,
             .handler = blmpop_command,
             .group = "list",
             .summary = "Pop elements from a list, or block until one is available",
             .since = "7.0.0",
             .complexity = kMpopComplexity,
             .acl_categories = "@write @list @slow @blocking",
             .key_specs = {{.flags = "RW access delete", .begin_index = 2, .keynum_index = 0}},
             .args = "timeout numkeys key [key ...] LEFT|RIGHT [COUNT count]"});
  table.add({.name = "blmove",
             .arity = 6,
             .flags = kCmdWrite | kCmdDenyOom | kCmdNoscript | kCmdBlocking,
             .first_key = 1,
             .last_key = 2,
             .key_step = 1,
             .handler = blmove_command,
             .group = "list",
             .summary = kMoveSummary,
             .since = "6.2.0",
             .acl_categories = "@write @list @slow @blocking",
             .key_specs = kMoveKeys,
             .args = "source destination LEFT|RIGHT LEFT|RIGHT timeout"});
  table.add({.name = "brpoplpush",
             .arity = 4,
             .flags = kCmdWrite | kCmdDenyOom | kCmdNoscript | kCmdBlocking,
             .first_key = 1,
             .last_key = 2,
             .key_step = 1,
             .handler = brpoplpush_command,
             .group = "list",
             .summary = kMoveSummary,
             .since = "2.2.0",
             .acl_categories = "@write @list @slow @blocking",
             .key_specs = kMoveKeys,
             .args = "source destination timeout"});
}

}  // namespace tandem
