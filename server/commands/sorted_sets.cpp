// Sorted set commands, following Redis 7.0's t_zset.c: ZADD and ZINCRBY, ZREM, the counts and
// score/rank reads, the ZRANGE family (by rank, score and lex, stored or replied), the range
// removals, the pops and their blocking forms (BZPOPMIN, BZPOPMAX, BZMPOP through
// server/blocking.h), the set operations (ZUNION, ZINTER, ZDIFF, their STORE forms, ZINTERCARD;
// plain sets are accepted as inputs with every score 1), ZRANDMEMBER and ZSCAN.
//
// Invariants kept here, as Redis keeps them:
// - Arguments are validated before the key is looked up or anything is written, in Redis's
//   order, so each bad input gets the very error Redis gives it; a command either fails whole
//   or runs whole (ZADD parses every score before adding any).
// - Reads (ZSCORE, ZRANGE, ZRANGESTORE's source, the sources of ZUNION/ZUNIONSTORE & co) use
//   the counted lookup; writes (ZADD, ZREM, ZPOP*, ZREMRANGE*) do not, like lookupKeyWrite.
// - A sorted set emptied by a command is deleted; a store whose result is empty deletes the
//   destination instead of storing an empty set.
// - Scores are replied with Reply::double_value: "%.17g" bulk strings in RESP2 (inf, -inf),
//   RESP3 doubles. WITHSCORES replies are flat [member, score, ...] in RESP2 and an array of
//   [member, score] pairs in RESP3.
#include <algorithm>
#include <climits>
#include <cmath>
#include <numeric>
#include <optional>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "fmt/format.h"
#include "server/args.h"
#include "server/blocking.h"
#include "server/command_context.h"
#include "server/errors.h"
#include "server/glob.h"
#include "server/mpop_args.h"
#include "server/scan_options.h"
#include "storage/random.h"
#include "storage/set.h"
#include "storage/sorted_set.h"
#include "storage/value.h"

namespace tandem {
namespace {

using Entry = Database::Entry;

constexpr std::string_view kMinMaxNotFloat = "ERR min or max is not a float";
constexpr std::string_view kMinMaxNotLex = "ERR min or max not valid string range item";
constexpr std::string_view kNanError = "ERR resulting score is not a number (NaN)";

SortedSet::Limits zset_limits(CommandContext& ctx) {
  const Config& config = ctx.server.config();
  return {config.zset_max_listpack_entries, config.zset_max_listpack_value};
}

// Redis's getRangeLongFromObjectOrReply with a custom message for both failures.
std::optional<int64_t> ranged_arg(CommandContext& ctx, std::string_view arg, int64_t min,
                                  int64_t max, std::string_view message) {
  int64_t v;
  if (!parse_int64(arg, v) || v < min || v > max) {
    ctx.reply.error(message);
    return std::nullopt;
  }
  return v;
}

// Writes a member and, if asked, its score as one element of a range reply.
void reply_element(Reply& reply, std::string_view member, double score, bool withscores) {
  if (withscores && reply.resp3()) reply.array(2);
  reply.bulk(member);
  if (withscores) reply.double_value(score);
}

// The header of a range reply of `count` elements.
void reply_range_header(Reply& reply, size_t count, bool withscores) {
  reply.array(static_cast<int64_t>(withscores && !reply.resp3() ? count * 2 : count));
}

// Deletes `key` if its sorted set became empty.
void delete_if_empty(CommandContext& ctx, std::string_view key, const SortedSet& zset) {
  if (zset.size() > 0) return;
  ctx.db().erase(key);
  ctx.notify(kNotifyGeneric, "del", key);
}

// --- ZADD / ZINCRBY ---

void zadd_generic(CommandContext& ctx, int flags) {
  std::string_view key = ctx.args[1];
  bool ch = false;
  size_t scoreidx = 2;
  for (; scoreidx < ctx.argc(); ++scoreidx) {
    std::string_view opt = ctx.args[scoreidx];
    if (iequals(opt, "nx")) {
      flags |= SortedSet::kNx;
    } else if (iequals(opt, "xx")) {
      flags |= SortedSet::kXx;
    } else if (iequals(opt, "ch")) {
      ch = true;
    } else if (iequals(opt, "incr")) {
      flags |= SortedSet::kIncr;
    } else if (iequals(opt, "gt")) {
      flags |= SortedSet::kGt;
    } else if (iequals(opt, "lt")) {
      flags |= SortedSet::kLt;
    } else {
      break;
    }
  }
  size_t elements = ctx.argc() - scoreidx;
  if (elements % 2 != 0 || elements == 0) return ctx.reply.error(kSyntaxError);
  elements /= 2;
  const bool nx = flags & SortedSet::kNx, xx = flags & SortedSet::kXx;
  const bool gt = flags & SortedSet::kGt, lt = flags & SortedSet::kLt;
  const bool incr = flags & SortedSet::kIncr;
  if (nx && xx) return ctx.reply.error("ERR XX and NX options at the same time are not compatible");
  if ((gt && nx) || (lt && nx) || (gt && lt)) {
    return ctx.reply.error("ERR GT, LT, and/or NX options at the same time are not compatible");
  }
  if (incr && elements > 1) {
    return ctx.reply.error("ERR INCR option supports a single increment-element pair");
  }
  std::vector<double> scores(elements);
  for (size_t j = 0; j < elements; ++j) {
    auto score = double_arg(ctx.args[scoreidx + j * 2], ctx.reply);
    if (!score) return;
    scores[j] = *score;
  }

  Entry* entry = ctx.lookup_write(key);
  if (entry && !entry->value.as<SortedSet>()) return ctx.reply.error(kWrongTypeError);
  int64_t added = 0, updated = 0, processed = 0;
  double score = 0;
  if (!entry && !xx) {
    SortedSet::Limits lim = zset_limits(ctx);
    entry = ctx.db().set(key, Value::make<SortedSet>(
                                  SortedSet::encoding_for_new(ctx.args[scoreidx + 1].size(), lim)));
  }
  if (entry) {
    SortedSet& zset = entry->value.mutable_as<SortedSet>();
    SortedSet::Limits lim = zset_limits(ctx);
    for (size_t j = 0; j < elements; ++j) {
      double new_score = scores[j];
      auto result = zset.add(ctx.args[scoreidx + 1 + j * 2], scores[j], flags, lim, &new_score);
      if (result == SortedSet::AddResult::kNaN) {
        ctx.dirty(added + updated);
        if (added + updated) {
          ctx.signal_modified_key(key);
          ctx.notify(kNotifyZset, incr ? "zincr" : "zadd", key);
        }
        delete_if_empty(ctx, key, zset);
        return ctx.reply.error(kNanError);
      }
      if (result == SortedSet::AddResult::kAdded) ++added;
      if (result == SortedSet::AddResult::kUpdated) ++updated;
      if (result != SortedSet::AddResult::kNop) ++processed;
      score = new_score;
    }
    ctx.dirty(added + updated);
    if (added + updated) {
      ctx.signal_modified_key(key);
      ctx.notify(kNotifyZset, incr ? "zincr" : "zadd", key);
    }
    delete_if_empty(ctx, key, zset);
  }
  if (incr) {
    if (processed) return ctx.reply.double_value(score);
    return ctx.reply.null();
  }
  ctx.reply.integer(ch ? added + updated : added);
}

void zadd_command(CommandContext& ctx) { zadd_generic(ctx, 0); }
void zincrby_command(CommandContext& ctx) { zadd_generic(ctx, SortedSet::kIncr); }

void zrem_command(CommandContext& ctx) {
  std::string_view key = ctx.args[1];
  Entry* entry = ctx.lookup_write(key);
  if (!entry) return ctx.reply.integer(0);
  if (!entry->value.as<SortedSet>()) return ctx.reply.error(kWrongTypeError);
  SortedSet& zset = entry->value.mutable_as<SortedSet>();
  int64_t deleted = 0;
  for (size_t j = 2; j < ctx.argc(); ++j) {
    if (zset.remove(ctx.args[j])) ++deleted;
    if (zset.size() == 0) break;
  }
  if (deleted) {
    ctx.dirty(deleted);
    ctx.signal_modified_key(key);
    ctx.notify(kNotifyZset, "zrem", key);
  }
  delete_if_empty(ctx, key, zset);
  ctx.reply.integer(deleted);
}

// --- reads of one key ---

// The sorted set at `key` for reading: nullptr with `*missing` when absent; nullptr and a
// WRONGTYPE reply when another type.
const SortedSet* read_zset(CommandContext& ctx, std::string_view key, bool& wrong_type) {
  wrong_type = false;
  Entry* entry = ctx.lookup_read(key);
  if (!entry) return nullptr;
  const SortedSet* zset = entry->value.as<SortedSet>();
  if (!zset) {
    wrong_type = true;
    ctx.reply.error(kWrongTypeError);
  }
  return zset;
}

void zcard_command(CommandContext& ctx) {
  bool wrong;
  const SortedSet* zset = read_zset(ctx, ctx.args[1], wrong);
  if (wrong) return;
  ctx.reply.integer(zset ? static_cast<int64_t>(zset->size()) : 0);
}

void zcount_command(CommandContext& ctx) {
  ScoreRange range;
  if (!parse_score_range(ctx.args[2], ctx.args[3], range)) return ctx.reply.error(kMinMaxNotFloat);
  bool wrong;
  const SortedSet* zset = read_zset(ctx, ctx.args[1], wrong);
  if (wrong) return;
  if (!zset) return ctx.reply.integer(0);
  auto [first, last] = zset->score_span(range);
  ctx.reply.integer(static_cast<int64_t>(last - first));
}

void zlexcount_command(CommandContext& ctx) {
  LexRange range;
  if (!parse_lex_range(ctx.args[2], ctx.args[3], range)) return ctx.reply.error(kMinMaxNotLex);
  bool wrong;
  const SortedSet* zset = read_zset(ctx, ctx.args[1], wrong);
  if (wrong) return;
  if (!zset) return ctx.reply.integer(0);
  auto [first, last] = zset->lex_span(range);
  ctx.reply.integer(static_cast<int64_t>(last - first));
}

void zscore_command(CommandContext& ctx) {
  bool wrong;
  const SortedSet* zset = read_zset(ctx, ctx.args[1], wrong);
  if (wrong) return;
  std::optional<double> score = zset ? zset->score(ctx.args[2]) : std::nullopt;
  if (!score) return ctx.reply.null();
  ctx.reply.double_value(*score);
}

void zmscore_command(CommandContext& ctx) {
  bool wrong;
  const SortedSet* zset = read_zset(ctx, ctx.args[1], wrong);
  if (wrong) return;
  ctx.reply.array(static_cast<int64_t>(ctx.argc() - 2));
  for (size_t j = 2; j < ctx.argc(); ++j) {
    std::optional<double> score = zset ? zset->score(ctx.args[j]) : std::nullopt;
    score ? ctx.reply.double_value(*score) : ctx.reply.null();
  }
}

void zrank_generic(CommandContext& ctx, bool reverse) {
  bool wrong;
  const SortedSet* zset = read_zset(ctx, ctx.args[1], wrong);
  if (wrong) return;
  std::optional<size_t> rank = zset ? zset->rank(ctx.args[2], reverse) : std::nullopt;
  if (!rank) return ctx.reply.null();
  ctx.reply.integer(static_cast<int64_t>(*rank));
}

void zrank_command(CommandContext& ctx) { zrank_generic(ctx, false); }
void zrevrank_command(CommandContext& ctx) { zrank_generic(ctx, true); }

// --- the ZRANGE family ---

enum class RangeType { kAuto, kRank, kScore, kLex };
enum class Direction { kAuto, kForward, kReverse };

// A span of ranks to visit: [start, end] counted from the low end, or from the high end when
// reversed. empty: nothing to visit.
struct RankSpan {
  bool empty = true;
  size_t start = 0;
  size_t end = 0;
  bool reverse = false;
  size_t count() const { return empty ? 0 : end - start + 1; }
};

// Redis's rank sanitation (genericZrangebyrankCommand, ZREMRANGEBYRANK).
RankSpan rank_span(int64_t start, int64_t end, size_t size, bool reverse) {
  int64_t len = static_cast<int64_t>(size);
  if (start < 0) start += len;
  if (end < 0) end += len;
  if (start < 0) start = 0;
  RankSpan span;
  span.reverse = reverse;
  if (start > end || start >= len) return span;
  if (end >= len) end = len - 1;
  span.empty = false;
  span.start = static_cast<size_t>(start);
  span.end = static_cast<size_t>(end);
  return span;
}

// Turns a span of forward ranks [first, last) matched by a score or lex range, with LIMIT's
// offset and count, into the ranks to visit (as Redis skips `offset` matching elements from the
// start of the walk, and an offset below zero skips everything).
RankSpan limited_span(std::pair<size_t, size_t> matched, size_t size, int64_t offset, int64_t limit,
                      bool reverse) {
  RankSpan span;
  span.reverse = reverse;
  auto [first, last] = matched;
  if (first >= last || offset < 0) return span;
  size_t begin = reverse ? size - last : first;
  size_t stop = reverse ? size - first : last;  // exclusive
  if (static_cast<uint64_t>(offset) >= stop - begin) return span;
  begin += static_cast<size_t>(offset);
  if (limit >= 0 && static_cast<uint64_t>(limit) < stop - begin) {
    stop = begin + static_cast<size_t>(limit);
  }
  if (begin >= stop) return span;
  span.empty = false;
  span.start = begin;
  span.end = stop - 1;
  return span;
}

void visit_span(const SortedSet& zset, const RankSpan& span, const SortedSet::Visit& visit) {
  if (!span.empty) zset.range_by_rank(span.start, span.end, span.reverse, visit);
}

// Stores a range result at `dst` (Redis's zrangeResultFinalizeStore): the count, or 0 and the
// destination deleted when the result is empty.
void finish_store(CommandContext& ctx, std::string_view dst, std::shared_ptr<SortedSet> result) {
  size_t count = result ? result->size() : 0;
  if (count > 0) {
    ctx.db().set(dst, Value::of(std::move(result)));
    ctx.notify(kNotifyZset, ctx.spec.name, dst);  // "zrangestore", "zunionstore", ...
    ctx.dirty();
  } else if (ctx.db().erase(dst)) {
    ctx.notify(kNotifyGeneric, "del", dst);
    ctx.dirty();
  }
  ctx.reply.integer(static_cast<int64_t>(count));
}

void zrange_generic(CommandContext& ctx, size_t argc_start, bool store, RangeType type,
                    Direction direction) {
  std::string_view key = ctx.args[argc_start];
  size_t minidx = argc_start + 1, maxidx = argc_start + 2;
  bool withscores = false;
  int64_t offset = 0, limit = -1;
  for (size_t j = argc_start + 3; j < ctx.argc(); ++j) {
    size_t left = ctx.argc() - j - 1;
    std::string_view opt = ctx.args[j];
    if (!store && iequals(opt, "withscores")) {
      withscores = true;
    } else if (iequals(opt, "limit") && left >= 2) {
      auto o = int_arg(ctx.args[j + 1], ctx.reply);
      if (!o) return;
      auto l = int_arg(ctx.args[j + 2], ctx.reply);
      if (!l) return;
      offset = *o;
      limit = *l;
      j += 2;
    } else if (direction == Direction::kAuto && iequals(opt, "rev")) {
      direction = Direction::kReverse;
    } else if (type == RangeType::kAuto && iequals(opt, "bylex")) {
      type = RangeType::kLex;
    } else if (type == RangeType::kAuto && iequals(opt, "byscore")) {
      type = RangeType::kScore;
    } else {
      return ctx.reply.error(kSyntaxError);
    }
  }
  if (direction == Direction::kAuto) direction = Direction::kForward;
  if (type == RangeType::kAuto) type = RangeType::kRank;
  if (limit != -1 && type == RangeType::kRank) {
    return ctx.reply.error(
        "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
  }
  if (withscores && type == RangeType::kLex) {
    return ctx.reply.error("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
  }
  const bool reverse = direction == Direction::kReverse;
  if (reverse && type != RangeType::kRank) std::swap(minidx, maxidx);

  int64_t start = 0, end = 0;
  ScoreRange score_range;
  LexRange lex_range;
  switch (type) {
    case RangeType::kAuto:
    case RangeType::kRank: {
      auto s = int_arg(ctx.args[minidx], ctx.reply);
      if (!s) return;
      auto e = int_arg(ctx.args[maxidx], ctx.reply);
      if (!e) return;
      start = *s;
      end = *e;
      break;
    }
    case RangeType::kScore:
      if (!parse_score_range(ctx.args[minidx], ctx.args[maxidx], score_range)) {
        return ctx.reply.error(kMinMaxNotFloat);
      }
      break;
    case RangeType::kLex:
      if (!parse_lex_range(ctx.args[minidx], ctx.args[maxidx], lex_range)) {
        return ctx.reply.error(kMinMaxNotLex);
      }
      break;
  }

  Entry* entry = ctx.lookup_read(key);
  if (!entry) {
    if (store) return finish_store(ctx, ctx.args[1], nullptr);
    return ctx.reply.array(0);
  }
  const SortedSet* zset = entry->value.as<SortedSet>();
  if (!zset) return ctx.reply.error(kWrongTypeError);

  RankSpan span;
  size_t size = zset->size();
  switch (type) {
    case RangeType::kAuto:
    case RangeType::kRank:
      span = rank_span(start, end, size, reverse);
      break;
    case RangeType::kScore:
      span = limited_span(zset->score_span(score_range), size, offset, limit, reverse);
      break;
    case RangeType::kLex:
      span = limited_span(zset->lex_span(lex_range), size, offset, limit, reverse);
      break;
  }

  if (store) {
    // Redis's zrangeResultBeginStore: a skiplist when a rank range is known to be large,
    // otherwise a listpack that converts as it grows.
    SortedSet::Limits lim = zset_limits(ctx);
    bool big = type == RangeType::kRank && span.count() > lim.max_listpack_entries;
    auto result = std::make_shared<SortedSet>(big ? SortedSet::Encoding::kSkiplist
                                                  : SortedSet::Encoding::kListpack);
    visit_span(*zset, span,
               [&](std::string_view member, double score) { result->add(member, score, 0, lim); });
    return finish_store(ctx, ctx.args[1], std::move(result));
  }
  bool scores = withscores;
  reply_range_header(ctx.reply, span.count(), scores);
  visit_span(*zset, span, [&](std::string_view member, double score) {
    reply_element(ctx.reply, member, score, scores);
  });
}

void zrange_command(CommandContext& ctx) {
  zrange_generic(ctx, 1, false, RangeType::kAuto, Direction::kAuto);
}
void zrangestore_command(CommandContext& ctx) {
  zrange_generic(ctx, 2, true, RangeType::kAuto, Direction::kAuto);
}
void zrevrange_command(CommandContext& ctx) {
  zrange_generic(ctx, 1, false, RangeType::kRank, Direction::kReverse);
}
void zrangebyscore_command(CommandContext& ctx) {
  zrange_generic(ctx, 1, false, RangeType::kScore, Direction::kForward);
}
void zrevrangebyscore_command(CommandContext& ctx) {
  zrange_generic(ctx, 1, false, RangeType::kScore, Direction::kReverse);
}
void zrangebylex_command(CommandContext& ctx) {
  zrange_generic(ctx, 1, false, RangeType::kLex, Direction::kForward);
}
void zrevrangebylex_command(CommandContext& ctx) {
  zrange_generic(ctx, 1, false, RangeType::kLex, Direction::kReverse);
}

// --- ZREMRANGEBY* ---

void zremrange_generic(CommandContext& ctx, RangeType type) {
  std::string_view key = ctx.args[1];
  int64_t start = 0, end = 0;
  ScoreRange score_range;
  LexRange lex_range;
  if (type == RangeType::kRank) {
    auto s = int_arg(ctx.args[2], ctx.reply);
    if (!s) return;
    auto e = int_arg(ctx.args[3], ctx.reply);
    if (!e) return;
    start = *s;
    end = *e;
  } else if (type == RangeType::kScore) {
    if (!parse_score_range(ctx.args[2], ctx.args[3], score_range)) {
      return ctx.reply.error(kMinMaxNotFloat);
    }
  } else if (!parse_lex_range(ctx.args[2], ctx.args[3], lex_range)) {
    return ctx.reply.error(kMinMaxNotLex);
  }
  Entry* entry = ctx.lookup_write(key);
  if (!entry) return ctx.reply.integer(0);
  if (!entry->value.as<SortedSet>()) return ctx.reply.error(kWrongTypeError);
  const SortedSet& view = *entry->value.as<SortedSet>();
  size_t first = 0, last = 0;  // forward ranks [first, last)
  if (type == RangeType::kRank) {
    RankSpan span = rank_span(start, end, view.size(), false);
    if (!span.empty) first = span.start, last = span.end + 1;
  } else if (type == RangeType::kScore) {
    std::tie(first, last) = view.score_span(score_range);
  } else {
    std::tie(first, last) = view.lex_span(lex_range);
  }
  if (first >= last) return ctx.reply.integer(0);
  SortedSet& zset = entry->value.mutable_as<SortedSet>();
  size_t deleted = zset.erase_rank_range(first, last - 1);
  ctx.signal_modified_key(key);
  ctx.notify(kNotifyZset, ctx.spec.name, key);  // "zremrangebyrank", "zremrangebyscore", ...
  delete_if_empty(ctx, key, zset);
  ctx.dirty(deleted);
  ctx.reply.integer(static_cast<int64_t>(deleted));
}

void zremrangebyrank_command(CommandContext& ctx) { zremrange_generic(ctx, RangeType::kRank); }
void zremrangebyscore_command(CommandContext& ctx) { zremrange_generic(ctx, RangeType::kScore); }
void zremrangebylex_command(CommandContext& ctx) { zremrange_generic(ctx, RangeType::kLex); }

// --- pops ---

enum class PopShape {
  kFlat,       // ZPOPMIN/MAX: [m, s, m, s...]
  kNested,     // ZPOPMIN/MAX with COUNT in RESP3: [[m, s], ...]
  kKeyFlat,    // BZPOPMIN/MAX: [key, m, s]
  kKeyNested,  // ZMPOP/BZMPOP: [key, [[m, s], ...]]
};

// Pops up to `count` elements from the sorted set at `key` (which exists) and replies in
// `shape` (Redis's genericZpopCommand after it found its key).
void pop_and_reply(CommandContext& ctx, Entry* entry, std::string_view key, bool max, int64_t count,
                   PopShape shape) {
  SortedSet& zset = entry->value.mutable_as<SortedSet>();
  size_t size = zset.size();
  size_t n = std::min<uint64_t>(static_cast<uint64_t>(count), size);
  bool nested = shape == PopShape::kNested || shape == PopShape::kKeyNested;
  switch (shape) {
    case PopShape::kFlat:
      ctx.reply.array(static_cast<int64_t>(n * 2));
      break;
    case PopShape::kNested:
      ctx.reply.array(static_cast<int64_t>(n));
      break;
    case PopShape::kKeyFlat:
      ctx.reply.array(static_cast<int64_t>(n * 2 + 1));
      ctx.reply.bulk(key);
      break;
    case PopShape::kKeyNested:
      ctx.reply.array(2);
      ctx.reply.bulk(key);
      ctx.reply.array(static_cast<int64_t>(n));
      break;
  }
  zset.range_by_rank(0, n - 1, max, [&](std::string_view member, double score) {
    if (nested) ctx.reply.array(2);
    ctx.reply.bulk(member);
    ctx.reply.double_value(score);
  });
  if (max) {
    zset.erase_rank_range(size - n, size - 1);
  } else {
    zset.erase_rank_range(0, n - 1);
  }
  ctx.dirty(n);
  ctx.signal_modified_key(key);
  ctx.notify(kNotifyZset, max ? "zpopmax" : "zpopmin", key);
  // `key` may view the entry's own key: erase last.
  if (zset.size() == 0) {
    std::string owned(key);
    ctx.db().erase(owned);
    ctx.notify(kNotifyGeneric, "del", owned);
  }
}

// The first of `keys` holding a sorted set for a pop, nullptr if none; a WRONGTYPE reply (and
// `*failed`) at the first key of another type, as Redis checks them in order.
Entry* first_pop_candidate(CommandContext& ctx, std::span<const std::string_view> keys,
                           std::string_view& found_key, bool& failed) {
  failed = false;
  for (std::string_view key : keys) {
    Entry* entry = ctx.lookup_write(key);
    if (!entry) continue;
    if (!entry->value.as<SortedSet>()) {
      failed = true;
      ctx.reply.error(kWrongTypeError);
      return nullptr;
    }
    found_key = key;
    return entry;
  }
  return nullptr;
}

void zpop_generic(CommandContext& ctx, bool max) {
  if (ctx.argc() > 3) return ctx.reply.error(kSyntaxError);
  int64_t count = -1;
  if (ctx.argc() == 3) {
    auto v =
        ranged_arg(ctx, ctx.args[2], 0, INT64_MAX, "ERR value is out of range, must be positive");
    if (!v) return;
    count = *v;
  }
  bool nested = ctx.reply.resp3() && count != -1;
  std::string_view key;
  bool failed;
  Entry* entry = first_pop_candidate(ctx, ctx.args.subspan(1, 1), key, failed);
  if (failed) return;
  if (!entry || count == 0) return ctx.reply.array(0);
  pop_and_reply(ctx, entry, key, max, count == -1 ? 1 : count,
                nested ? PopShape::kNested : PopShape::kFlat);
}

void zpopmin_command(CommandContext& ctx) { zpop_generic(ctx, false); }
void zpopmax_command(CommandContext& ctx) { zpop_generic(ctx, true); }

// Pops from the first of the keys holding a sorted set; false (nothing replied) if none does.
// `failed` when a WRONGTYPE was replied.
bool mpop_from_first(CommandContext& ctx, const MpopArgs& args, bool& failed) {
  std::string_view key;
  Entry* entry = first_pop_candidate(ctx, args.keys, key, failed);
  if (failed || !entry) return false;
  // Replicas pop from the key that had members, exactly as many as there were.
  size_t popped =
      std::min<uint64_t>(static_cast<uint64_t>(args.count), entry->value.as<SortedSet>()->size());
  ctx.propagate_as({args.second_direction ? "ZPOPMAX" : "ZPOPMIN", std::string(key), std::to_string(popped)});
  pop_and_reply(ctx, entry, key, args.second_direction, args.count, PopShape::kKeyNested);
  return true;
}

void zmpop_command(CommandContext& ctx) {
  auto args = parse_mpop(ctx.args, 1, "min", "max", ctx.reply);
  if (!args) return;
  bool failed;
  if (mpop_from_first(ctx, *args, failed) || failed) return;
  ctx.reply.null_array();
}

// --- blocking pops (server/blocking.h) ---

// BZPOPMIN / BZPOPMAX key [key ...] timeout: Redis's blockingGenericZpopCommand. The timeout
// is checked first; a re-run after a key became ready serves from the first non-empty key.
void bzpop_generic(CommandContext& ctx, bool max) {
  auto deadline = parse_block_timeout(ctx, ctx.args.back());
  if (!deadline) return;
  std::span<const std::string_view> keys = ctx.args.subspan(1, ctx.argc() - 2);
  std::string_view key;
  bool failed;
  Entry* entry = first_pop_candidate(ctx, keys, key, failed);
  if (failed) return;
  if (entry) {
    ctx.propagate_as({max ? "ZPOPMAX" : "ZPOPMIN", std::string(key)});
    return pop_and_reply(ctx, entry, key, max, 1, PopShape::kKeyFlat);
  }
  if (!ctx.server.blocking().block(ctx, keys, *deadline, ValueType::kZSet)) {
    ctx.reply.null_array();
  }
}

void bzpopmin_command(CommandContext& ctx) { bzpop_generic(ctx, false); }
void bzpopmax_command(CommandContext& ctx) { bzpop_generic(ctx, true); }

// BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count]: the arguments are checked before
// the timeout, as zmpopGenericCommand does.
void bzmpop_command(CommandContext& ctx) {
  auto args = parse_mpop(ctx.args, 2, "min", "max", ctx.reply);
  if (!args) return;
  auto deadline = parse_block_timeout(ctx, ctx.args[1]);
  if (!deadline) return;
  bool failed;
  if (mpop_from_first(ctx, *args, failed) || failed) return;
  if (!ctx.server.blocking().block(ctx, args->keys, *deadline, ValueType::kZSet)) {
    ctx.reply.null_array();
  }
}

// --- set operations ---

enum class ZsetOp { kUnion, kInter, kDiff };
enum class Aggregate { kSum, kMin, kMax };

// One input of a set operation: a sorted set, a plain set (every member scoring 1, as Redis's
// zuiNext gives them), or nothing for a missing key.
struct Source {
  const SortedSet* zset = nullptr;
  const Set* set = nullptr;
  double weight = 1.0;
  const Collection* collection() const { return zset ? static_cast<const Collection*>(zset) : set; }
  size_t size() const { return zset ? zset->size() : (set ? set->size() : 0); }
  std::optional<double> find(std::string_view member) const {
    if (zset) return zset->score(member);
    if (set && set->contains(member)) return 1.0;
    return std::nullopt;
  }
  void for_each(const SortedSet::Visit& visit) const {
    if (zset) zset->for_each(visit);
    if (set) set->for_each([&](std::string_view member) { visit(member, 1.0); });
  }
};

void aggregate_into(double& target, double value, Aggregate how) {
  switch (how) {
    case Aggregate::kSum:
      target += value;
      // inf + -inf is NaN: Redis's convention makes it 0.
      if (std::isnan(target)) target = 0.0;
      break;
    case Aggregate::kMin:
      target = value < target ? value : target;
      break;
    case Aggregate::kMax:
      target = value > target ? value : target;
      break;
  }
}

// Redis's zunionInterDiffGenericCommand. `dst` set for the STORE forms; `cardinality_only` for
// ZINTERCARD.
void zsetop_generic(CommandContext& ctx, std::optional<std::string_view> dst, size_t numkeys_index,
                    ZsetOp op, bool cardinality_only) {
  auto setnum = int_arg(ctx.args[numkeys_index], ctx.reply);
  if (!setnum) return;
  if (*setnum < 1) {
    return ctx.reply.error(
        fmt::format("ERR at least 1 input key is needed for '{}' command", ctx.spec.name));
  }
  if (*setnum > static_cast<int64_t>(ctx.argc() - (numkeys_index + 1))) {
    return ctx.reply.error(kSyntaxError);
  }
  size_t n = static_cast<size_t>(*setnum);
  std::vector<Source> src(n);
  size_t j = numkeys_index + 1;
  for (size_t i = 0; i < n; ++i, ++j) {
    // Counted even for the STORE forms, as Redis 7.0 does.
    Entry* entry = ctx.lookup_read(ctx.args[j]);
    if (!entry) continue;
    src[i].zset = entry->value.as<SortedSet>();
    src[i].set = entry->value.as<Set>();
    if (!src[i].zset && !src[i].set) return ctx.reply.error(kWrongTypeError);
  }
  Aggregate aggregate = Aggregate::kSum;
  bool withscores = false;
  int64_t limit = 0;
  while (j < ctx.argc()) {
    size_t remaining = ctx.argc() - j;
    std::string_view opt = ctx.args[j];
    if (op != ZsetOp::kDiff && !cardinality_only && remaining >= n + 1 && iequals(opt, "weights")) {
      ++j;
      for (size_t i = 0; i < n; ++i, ++j) {
        auto w = double_arg(ctx.args[j], ctx.reply, "ERR weight value is not a float");
        if (!w) return;
        src[i].weight = *w;
      }
    } else if (op != ZsetOp::kDiff && !cardinality_only && remaining >= 2 &&
               iequals(opt, "aggregate")) {
      std::string_view how = ctx.args[j + 1];
      if (iequals(how, "sum")) {
        aggregate = Aggregate::kSum;
      } else if (iequals(how, "min")) {
        aggregate = Aggregate::kMin;
      } else if (iequals(how, "max")) {
        aggregate = Aggregate::kMax;
      } else {
        return ctx.reply.error(kSyntaxError);
      }
      j += 2;
    } else if (!dst && !cardinality_only && iequals(opt, "withscores")) {
      withscores = true;
      ++j;
    } else if (cardinality_only && remaining >= 2 && iequals(opt, "limit")) {
      auto l = ranged_arg(ctx, ctx.args[j + 1], 0, INT64_MAX, "ERR LIMIT can't be negative");
      if (!l) return;
      limit = *l;
      j += 2;
    } else {
      return ctx.reply.error(kSyntaxError);
    }
  }
  if (op != ZsetOp::kDiff) {
    std::stable_sort(src.begin(), src.end(),
                     [](const Source& a, const Source& b) { return a.size() < b.size(); });
  }

  // The result, in a skiplist (as Redis builds it) converted at the end if small.
  auto result = std::make_shared<SortedSet>(SortedSet::Encoding::kSkiplist);
  SortedSet::Limits no_limits{0, 0};
  int64_t cardinality = 0;
  if (op == ZsetOp::kInter) {
    if (src[0].size() > 0) {
      bool done = false;
      src[0].for_each([&](std::string_view member, double value) {
        if (done) return;
        double score = src[0].weight * value;
        if (std::isnan(score)) score = 0;
        size_t k = 1;
        for (; k < n; ++k) {
          std::optional<double> other = src[k].collection() == src[0].collection()
                                            ? std::optional<double>(value)
                                            : src[k].find(member);
          if (!other) break;
          aggregate_into(score, *other * src[k].weight, aggregate);
        }
        if (k != n) return;
        if (cardinality_only) {
          ++cardinality;
          if (limit && cardinality >= limit) done = true;
        } else {
          result->add(member, score, 0, no_limits);
        }
      });
    }
  } else if (op == ZsetOp::kUnion) {
    // Accumulate member -> score in first-seen order, then sort into the result.
    std::unordered_map<std::string, double> acc;
    for (size_t i = 0; i < n; ++i) {
      src[i].for_each([&](std::string_view member, double value) {
        double score = src[i].weight * value;
        if (std::isnan(score)) score = 0;
        auto [it, inserted] = acc.try_emplace(std::string(member), score);
        if (!inserted) aggregate_into(it->second, score, aggregate);
      });
    }
    for (const auto& [member, score] : acc) result->add(member, score, 0, no_limits);
  } else {
    src[0].for_each([&](std::string_view member, double value) {
      for (size_t k = 1; k < n; ++k) {
        if (src[k].collection() == src[0].collection() || src[k].find(member)) return;
      }
      result->add(member, value, 0, no_limits);
    });
  }

  if (dst) {
    if (result->size() > 0) result->convert_to_listpack_if_fits(zset_limits(ctx));
    return finish_store(ctx, *dst, std::move(result));
  }
  if (cardinality_only) return ctx.reply.integer(cardinality);
  reply_range_header(ctx.reply, result->size(), withscores);
  result->for_each([&](std::string_view member, double score) {
    reply_element(ctx.reply, member, score, withscores);
  });
}

void zunion_command(CommandContext& ctx) {
  zsetop_generic(ctx, std::nullopt, 1, ZsetOp::kUnion, false);
}
void zinter_command(CommandContext& ctx) {
  zsetop_generic(ctx, std::nullopt, 1, ZsetOp::kInter, false);
}
void zdiff_command(CommandContext& ctx) {
  zsetop_generic(ctx, std::nullopt, 1, ZsetOp::kDiff, false);
}
void zunionstore_command(CommandContext& ctx) {
  zsetop_generic(ctx, ctx.args[1], 2, ZsetOp::kUnion, false);
}
void zinterstore_command(CommandContext& ctx) {
  zsetop_generic(ctx, ctx.args[1], 2, ZsetOp::kInter, false);
}
void zdiffstore_command(CommandContext& ctx) {
  zsetop_generic(ctx, ctx.args[1], 2, ZsetOp::kDiff, false);
}
void zintercard_command(CommandContext& ctx) {
  zsetop_generic(ctx, std::nullopt, 1, ZsetOp::kInter, true);
}

// --- ZRANDMEMBER ---

void reply_at_rank(CommandContext& ctx, const SortedSet& zset, size_t rank, bool withscores) {
  zset.range_by_rank(rank, rank, false, [&](std::string_view member, double score) {
    reply_element(ctx.reply, member, score, withscores);
  });
}

void zrandmember_with_count(CommandContext& ctx, int64_t l, bool withscores) {
  bool wrong;
  const SortedSet* zset = read_zset(ctx, ctx.args[1], wrong);
  if (wrong) return;
  if (!zset) return ctx.reply.array(0);
  size_t size = zset->size();
  bool unique = l >= 0;
  uint64_t count = unique ? static_cast<uint64_t>(l) : static_cast<uint64_t>(-l);
  if (count == 0) return ctx.reply.array(0);
  std::uniform_int_distribution<size_t> pick(0, size - 1);

  // Repetitions allowed (or a single element): independent draws, in random order.
  if (!unique || count == 1) {
    reply_range_header(ctx.reply, count, withscores);
    for (uint64_t i = 0; i < count; ++i) reply_at_rank(ctx, *zset, pick(random_engine()), withscores);
    return;
  }
  // At least the whole set: all of it, from the highest element down (Redis replies with the
  // whole range reversed here).
  if (count >= size) {
    reply_range_header(ctx.reply, size, withscores);
    zset->range_by_rank(0, size - 1, true, [&](std::string_view member, double score) {
      reply_element(ctx.reply, member, score, withscores);
    });
    return;
  }
  // Distinct elements: a partial shuffle of the ranks.
  std::vector<size_t> ranks(size);
  std::iota(ranks.begin(), ranks.end(), 0);
  for (size_t i = 0; i < count; ++i) {
    std::uniform_int_distribution<size_t> rest(i, size - 1);
    std::swap(ranks[i], ranks[rest(random_engine())]);
  }
  reply_range_header(ctx.reply, count, withscores);
  for (size_t i = 0; i < count; ++i) reply_at_rank(ctx, *zset, ranks[i], withscores);
}

void zrandmember_command(CommandContext& ctx) {
  if (ctx.argc() >= 3) {
    int64_t l;
    if (!parse_int64(ctx.args[2], l)) return ctx.reply.error(kNotIntegerError);
    if (l < -INT64_MAX) {
      return ctx.reply.error(
          "ERR value is out of range, value must between -9223372036854775807 and "
          "9223372036854775807");
    }
    bool withscores = false;
    if (ctx.argc() > 4 || (ctx.argc() == 4 && !iequals(ctx.args[3], "withscores"))) {
      return ctx.reply.error(kSyntaxError);
    }
    if (ctx.argc() == 4) {
      withscores = true;
      if (l < -INT64_MAX / 2 || l > INT64_MAX / 2) {
        return ctx.reply.error("ERR value is out of range");
      }
    }
    return zrandmember_with_count(ctx, l, withscores);
  }
  bool wrong;
  const SortedSet* zset = read_zset(ctx, ctx.args[1], wrong);
  if (wrong) return;
  if (!zset) return ctx.reply.null();
  std::uniform_int_distribution<size_t> pick(0, zset->size() - 1);
  reply_at_rank(ctx, *zset, pick(random_engine()), false);
}

// --- ZSCAN ---

void zscan_command(CommandContext& ctx) {
  auto cursor = parse_scan_cursor(ctx.args[2], ctx.reply);
  if (!cursor) return;
  bool wrong;
  const SortedSet* zset = read_zset(ctx, ctx.args[1], wrong);
  if (wrong) return;
  if (!zset) {
    ctx.reply.array(2);
    ctx.reply.bulk("0");
    return ctx.reply.array(0);
  }
  auto options = parse_scan_options(ctx.args.subspan(3), /*allow_type=*/false, ctx.reply);
  if (!options) return;
  std::vector<std::pair<std::string, std::string>> found;
  uint64_t next =
      zset->scan(*cursor, static_cast<size_t>(options->count),
                 [&](std::string_view member, double score, std::string_view text) {
                   if (!options->matches(member)) return;
                   found.emplace_back(std::string(member),
                                      text.empty() ? format_double(score) : std::string(text));
                 });
  ctx.reply.array(2);
  ctx.reply.bulk(fmt::format("{}", next));
  ctx.reply.array(static_cast<int64_t>(found.size() * 2));
  for (const auto& [member, score] : found) {
    ctx.reply.bulk(member);
    ctx.reply.bulk(score);
  }
}

}  // namespace

void register_sorted_set_commands(CommandTable& table) {
  table.add(
      {.name = "zadd",
       .arity = -4,
       .flags = kCmdWrite | kCmdDenyOom | kCmdFast,
       .first_key = 1,
       .last_key = 1,
       .key_step = 1,
       .handler = zadd_command,
       .group = "sorted-set",
       .summary =
           "Add one or more members to a sorted set, or update its score if it already exists",
       .since = "1.2.0",
       .complexity =
           "O(log(N)) for each item added, where N is the number of elements in the sorted set.",
       .acl_categories = "@write @sortedset @fast",
       .key_specs =
           {{.flags = "RW update", .begin_index = 1, .last_key = 0, .key_step = 1, .limit = 0}},
       .args = "key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...]"});
  table.add({.name = "zincrby",
             .arity = 4,
             .flags = kCmdWrite | kCmdDenyOom | kCmdFast,
             .first_key = 1,
             .last_key = 1,
             .key_step = 1,
             .handler = zincrby_command,
             .group = "sorted-set",
             .summary = "Increment the score of a member in a sorted set",
             .since = "1.2.0",
             .complexity = "O(log(N)) where N is the number of elements in the sorted set.",
             .acl_categories = "@write @sortedset @fast",
             .key_specs = {{.flags = "RW access update",
                            .begin_index = 1,
                            .last_key = 0,
                            .key_step = 1,
                            .limit = 0}},
             .args = "key increment member"});
  table.add(
      {.name = "zrem",
       .arity = -3,
       .flags = kCmdWrite | kCmdFast,
       .first_key = 1,
       .last_key = 1,
       .key_step = 1,
       .handler = zrem_command,
       .group = "sorted-set",
       .summary = "Remove one or more members from a sorted set",
       .since = "1.2.0",
       .complexity = "O(M*log(N)) with N being the number of elements in the sorted set and M the "
                     "number of elements to be removed.",
       .acl_categories = "@write @sortedset @fast",
       .key_specs =
           {{.flags = "RW delete", .begin_index = 1, .last_key = 0, .key_step = 1, .limit = 0}},
       .args = "key member [member ...]"});
  table.add(
      {.name = "zcard",
       .arity = 2,
       .flags = kCmdReadonly | kCmdFast,
       .first_key = 1,
       .last_key = 1,
       .key_step = 1,
       .handler = zcard_command,
       .group = "sorted-set",
       .summary = "Get the number of members in a sorted set",
       .since = "1.2.0",
       .complexity = "O(1)",
       .acl_categories = "@read @sortedset @fast",
       .key_specs = {{.flags = "RO", .begin_index = 1, .last_key = 0, .key_step = 1, .limit = 0}},
       .args = "key"});
  table.add(
      {.name = "zcount",
       .arity = 4,
       .flags = kCmdReadonly | kCmdFast,
       .first_key = 1,
       .last_key = 1,
       .key_step = 1,
       .handler = zcount_command,
       .group = "sorted-set",
       .summary = "Count the members in a sorted set with scores within the given values",
       .since = "2.0.0",
       .complexity = "O(log(N)) with N being the number of elements in the sorted set.",
       .acl_categories = "@read @sortedset @fast",
       .key_specs =
           {{.flags = "RO access", .begin_index = 1, .last_key = 0, .key_step = 1, .limit = 0}},
       .args = "key min max"});
  table.add(
      {.name = "zlexcount",
       .arity = 4,
       .flags = kCmdReadonly | kCmdFast,
       .first_key = 1,
       .last_key = 1,
       .key_step = 1,
       .handler = zlexcount_command,
       .group = "sorted-set",
       .summary =
           "Count the number of members in a sorted set between a given lexicographical range",
       .since = "2.8.9",
       .complexity = "O(log(N)) with N being the number of elements in the sorted set.",
       .acl_categories = "@read @sortedset @fast",
       .key_specs =
           {{.flags = "RO access", .begin_index = 1, .last_key = 0, .key_step = 1, .limit = 0}},
       .args = "key min max"});
  table.add(
      {.name = "zscore",
       .arity = 3,
       .flags = kCmdReadonly | kCmdFast,
       .first_key = 1,
       .last_key = 1,
       .key_step = 1,
       .handler = zscore_command,
       .group = "sorted-set",
       .summary = "Get the score associated with the given member in a sorted set",
       .since = "1.2.0",
       .complexity = "O(1)",
       .acl_categories = "@read @sortedset @fast",
       .key_specs =
           {{.flags = "RO access", .begin_index = 1, .last_key = 0, .key_step = 1, .limit = 0}},
       .args = "key member"});
  table.add(
      {.name = "zmscore",
       .arity = -3,
       .flags = kCmdReadonly | kCmdFast,
       .first_key = 1,
       .last_key = 1,
       .key_step = 1,
       .handler = zmscore_command,
       .group = "sorted-set",
       .summary = "Get the score associated with the given members in a sorted set",
       .since = "6.2.0",
       .complexity = "O(N) where N is the number of members being requested.",
       .acl_categories = "@read @sortedset @fast",
       .key_specs =
           {{.flags = "RO access", .begin_index = 1, .last_key = 0, .key_step = 1, .limit = 0}},
       .args = "key member [member ...]"});
  table.add(
      {.name = "zrank",
       .arity = 3,
       .flags = kCmdReadonly | kCmdFast,
       .first_key = 1,
       .last_key = 1,
       .key_step = 1,
       .handler = zrank_command,
       .group = "sorted-set",
       .summary = "Determine the index of a member in a sorted set",
       .since = "2.0.0",
       .complexity = "O(log(N))",
       .acl_categories = "@read @sortedset @fast",
       .key_specs =
           {{.flags = "RO access", .begin_index = 1, .last_key = 0, .key_step = 1, .limit = 0}},
       .args = "key member"});
  table.add(
      {.name = "zrevrank",
       .arity = 3,
       .flags = kCmdReadonly | kCmdFast,
       .first_key = 1,
       .last_key = 1,
       .key_step = 1,
       .handler = zrevrank_command,
       .group = "sorted-set",
       .summary =
           "Determine the index of a member in a sorted set, with scores ordered from high to low",
       .since = "2.0.0",
       .complexity = "O(log(N))",
       .acl_categories = "@read @sortedset @fast",
       .key_specs =
           {{.flags = "RO access", .begin_index = 1, .last_key = 0, .key_step = 1, .limit = 0}},
       .args = "key member"});
  table.add(
      {.name = "zrange",
       .arity = -4,
       .flags = kCmdReadonly,
       .first_key = 1,
       .last_key = 1,
       .key_step = 1,
       .handler = zrange_command,
       .group = "sorted-set",
       .summary = "Return a range of members in a sorted set",
       .since = "1.2.0",
       .complexity = "O(log(N)+M) with N being the number of elements in the sorted set and M the "
                     "number of elements returned.",
       .acl_categories = "@read @sortedset @slow",
       .key_specs =
           {{.flags = "RO access", .begin_index = 1, .last_key = 0, .key_step = 1, .limit = 0}},
       .args = "key start stop [BYSCORE|BYLEX] [REV] [LIMIT offset count] [WITHSCORES]"});
  table.add(
      {.name = "zrangestore",
       .arity = -5,
       .flags = kCmdWrite | kCmdDenyOom,
       .first_key = 1,
       .last_key = 2,
       .key_step = 1,
       .handler = zrangestore_command,
       .group = "sorted-set",
       .summary = "Store a range of members from sorted set into another key",
       .since = "6.2.0",
       .complexity = "O(log(N)+M) with N being the number of elements in the sorted set and M the "
                     "number of elements stored into the destination key.",
       .acl_categories = "@write @sortedset @slow",
       .key_specs =
           {{.flags = "OW update", .begin_index = 1, .last_key = 0, .key_step = 1, .limit = 0},
            {.flags = "RO access", .begin_index = 2, .last_key = 0, .key_step = 1, .limit = 0}},
       .args = "dst src min max [BYSCORE|BYLEX] [REV] [LIMIT offset count]"});
  table.add(
      {.name = "zrevrange",
       .arity = -4,
       .flags = kCmdReadonly,
       .first_key = 1,
       .last_key = 1,
       .key_step = 1,
       .handler = zrevrange_command,
       .group = "sorted-set",
       .summary = "Return a range of members in a sorted set, by index, with scores ordered from "
                  "high to low",
       .since = "1.2.0",
       .complexity = "O(log(N)+M) with N being the number of elements in the sorted set and M the "
                     "number of elements returned.",
       .acl_categories = "@read @sortedset @slow",
       .key_specs =
           {{.flags = "RO access", .begin_index = 1, .last_key = 0, .key_step = 1, .limit = 0}},
       .args = "key start stop [WITHSCORES]"});
  table.add(
      {.name = "zrangebyscore",
       .arity = -4,
       .flags = kCmdReadonly,
       .first_key = 1,
       .last_key = 1,
       .key_step = 1,
       .handler = zrangebyscore_command,
       .group = "sorted-set",
       .summary = "Return a range of members in a sorted set, by score",
       .since = "1.0.5",
       .complexity = "O(log(N)+M) with N being the number of elements in the sorted set and M the "
                     "number of elements being returned. If M is constant (e.g. always asking for "
                     "the first 10 elements with LIMIT), you can consider it O(log(N)).",
       .acl_categories = "@read @sortedset @slow",
       .key_specs =
           {{.flags = "RO access", .begin_index = 1, .last_key = 0, .key_step = 1, .limit = 0}},
       .args = "key min max [WITHSCORES] [LIMIT offset count]"});
  table.add(
      {.name = "zrevrangebyscore",
       .arity = -4,
       .flags = kCmdReadonly,
       .first_key = 1,
       .last_key = 1,
       .key_step = 1,
       .handler = zrevrangebyscore_command,
       .group = "sorted-set",
       .summary = "Return a range of members in a sorted set, by score, with scores ordered from "
                  "high to low",
       .since = "2.2.0",
       .complexity = "O(log(N)+M) with N being the number of elements in the sorted set and M the "
                     "number of elements being returned. If M is constant (e.g. always asking for "
                     "the first 10 elements with LIMIT), you can consider it O(log(N)).",
       .acl_categories = "@read @sortedset @slow",
       .key_specs =
           {{.flags = "RO access", .begin_index = 1, .last_key = 0, .key_step = 1, .limit = 0}},
       .args = "key max min [WITHSCORES] [LIMIT offset count]"});
  table.add(
      {.name = "zrangebylex",
       .arity = -4,
       .flags = kCmdReadonly,
       .first_key = 1,
       .last_key = 1,
       .key_step = 1,
       .handler = zrangebylex_command,
       .group = "sorted-set",
       .summary = "Return a range of members in a sorted set, by lexicographical range",
       .since = "2.8.9",
       .complexity = "O(log(N)+M) with N being the number of elements in the sorted set and M the "
                     "number of elements being returned. If M is constant (e.g. always asking for "
                     "the first 10 elements with LIMIT), you can consider it O(log(N)).",
       .acl_categories = "@read @sortedset @slow",
       .key_specs =
           {{.flags = "RO access", .begin_index = 1, .last_key = 0, .key_step = 1, .limit = 0}},
       .args = "key min max [LIMIT offset count]"});
  table.add(
      {.name = "zrevrangebylex",
       .arity = -4,
       .flags = kCmdReadonly,
       .first_key = 1,
       .last_key = 1,
       .key_step = 1,
       .handler = zrevrangebylex_command,
       .group = "sorted-set",
       .summary = "Return a range of members in a sorted set, by lexicographical range, ordered "
                  "from higher to lower strings.",
       .since = "2.8.9",
       .complexity = "O(log(N)+M) with N being the number of elements in the sorted set and M the "
                     "number of elements being returned. If M is constant (e.g. always asking for "
                     "the first 10 elements with LIMIT), you can consider it O(log(N)).",
       .acl_categories = "@read @sortedset @slow",
       .key_specs =
           {{.flags = "RO access", .begin_index = 1, .last_key = 0, .key_step = 1, .limit = 0}},
       .args = "key max min [LIMIT offset count]"});
  table.add(
      {.name = "zremrangebyrank",
       .arity = 4,
       .flags = kCmdWrite,
       .first_key = 1,
       .last_key = 1,
       .key_step = 1,
       .handler = zremrangebyrank_command,
       .group = "sorted-set",
       .summary = "Remove all members in a sorted set within the given indexes",
       .since = "2.0.0",
       .complexity = "O(log(N)+M) with N being the number of elements in the sorted set and M the "
                     "number of elements removed by the operation.",
       .acl_categories = "@write @sortedset @slow",
       .key_specs =
           {{.flags = "RW delete", .begin_index = 1, .last_key = 0, .key_step = 1, .limit = 0}},
       .args = "key start stop"});
  table.add(
      {.name = "zremrangebyscore",
       .arity = 4,
       .flags = kCmdWrite,
       .first_key = 1,
       .last_key = 1,
       .key_step = 1,
       .handler = zremrangebyscore_command,
       .group = "sorted-set",
       .summary = "Remove all members in a sorted set within the given scores",
       .since = "1.2.0",
       .complexity = "O(log(N)+M) with N being the number of elements in the sorted set and M the "
                     "number of elements removed by the operation.",
       .acl_categories = "@write @sortedset @slow",
       .key_specs =
           {{.flags = "RW delete", .begin_index = 1, .last_key = 0, .key_step = 1, .limit = 0}},
       .args = "key min max"});
  table.add(
      {.name = "zremrangebylex",
       .arity = 4,
       .flags = kCmdWrite,
       .first_key = 1,
       .last_key = 1,
       .key_step = 1,
       .handler = zremrangebylex_command,
       .group = "sorted-set",
       .summary = "Remove all members in a sorted set between the given lexicographical range",
       .since = "2.8.9",
       .complexity = "O(log(N)+M) with N being the number of elements in the sorted set and M the "
                     "number of elements removed by the operation.",
       .acl_categories = "@write @sortedset @slow",
       .key_specs =
           {{.flags = "RW delete", .begin_index = 1, .last_key = 0, .key_step = 1, .limit = 0}},
       .args = "key min max"});
  table.add({.name = "zpopmin",
             .arity = -2,
             .flags = kCmdWrite | kCmdFast,
             .first_key = 1,
             .last_key = 1,
             .key_step = 1,
             .handler = zpopmin_command,
             .group = "sorted-set",
             .summary = "Remove and return members with the lowest scores in a sorted set",
             .since = "5.0.0",
             .complexity = "O(log(N)*M) with N being the number of elements in the sorted set, and "
                           "M being the number of elements popped.",
             .acl_categories = "@write @sortedset @fast",
             .key_specs = {{.flags = "RW access delete",
                            .begin_index = 1,
                            .last_key = 0,
                            .key_step = 1,
                            .limit = 0}},
             .args = "key [count]"});
  table.add({.name = "zpopmax",
             .arity = -2,
             .flags = kCmdWrite | kCmdFast,
             .first_key = 1,
             .last_key = 1,
             .key_step = 1,
             .handler = zpopmax_command,
             .group = "sorted-set",
             .summary = "Remove and return members with the highest scores in a sorted set",
             .since = "5.0.0",
             .complexity = "O(log(N)*M) with N being the number of elements in the sorted set, and "
                           "M being the number of elements popped.",
             .acl_categories = "@write @sortedset @fast",
             .key_specs = {{.flags = "RW access delete",
                            .begin_index = 1,
                            .last_key = 0,
                            .key_step = 1,
                            .limit = 0}},
             .args = "key [count]"});
  table.add(
      {.name = "zmpop",
       .arity = -4,
       .flags = kCmdWrite | kCmdMovableKeys,
       .first_key = 0,
       .last_key = 0,
       .key_step = 0,
       .handler = zmpop_command,
       .group = "sorted-set",
       .summary = "Remove and return members with scores in a sorted set",
       .since = "7.0.0",
       .complexity =
           "O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of "
           "elements in the sorted set, and M being the number of elements popped.",
       .acl_categories = "@write @sortedset @slow",
       .key_specs =
           {{.flags = "RW access delete", .begin_index = 1, .keynum_index = 0, .first_key = 1}},
       .args = "numkeys key [key ...] MIN|MAX [COUNT count]"});
  table.add(
      {.name = "zunion",
       .arity = -3,
       .flags = kCmdReadonly | kCmdMovableKeys,
       .first_key = 0,
       .last_key = 0,
       .key_step = 0,
       .handler = zunion_command,
       .group = "sorted-set",
       .summary = "Add multiple sorted sets",
       .since = "6.2.0",
       .complexity = "O(N)+O(M*log(M)) with N being the sum of the sizes of the input sorted "
                     "sets, and M being the number of elements in the resulting sorted set.",
       .acl_categories = "@read @sortedset @slow",
       .key_specs = {{.flags = "RO access", .begin_index = 1, .keynum_index = 0, .first_key = 1}},
       .args = "numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM|MIN|MAX] "
               "[WITHSCORES]"});
  table.add(
      {.name = "zinter",
       .arity = -3,
       .flags = kCmdReadonly | kCmdMovableKeys,
       .first_key = 0,
       .last_key = 0,
       .key_step = 0,
       .handler = zinter_command,
       .group = "sorted-set",
       .summary = "Intersect multiple sorted sets",
       .since = "6.2.0",
       .complexity = "O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted "
                     "set, K being the number of input sorted sets and M being the number of "
                     "elements in the resulting sorted set.",
       .acl_categories = "@read @sortedset @slow",
       .key_specs = {{.flags = "RO access", .begin_index = 1, .keynum_index = 0, .first_key = 1}},
       .args = "numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM|MIN|MAX] "
               "[WITHSCORES]"});
  table.add(
      {.name = "zdiff",
       .arity = -3,
       .flags = kCmdReadonly | kCmdMovableKeys,
       .first_key = 0,
       .last_key = 0,
       .key_step = 0,
       .handler = zdiff_command,
       .group = "sorted-set",
       .summary = "Subtract multiple sorted sets",
       .since = "6.2.0",
       .complexity =
           "O(L + (N-K)log(N)) worst case where L is the total number of elements in all the "
           "sets, N is the size of the first set, and K is the size of the result set.",
       .acl_categories = "@read @sortedset @slow",
       .key_specs = {{.flags = "RO access", .begin_index = 1, .keynum_index = 0, .first_key = 1}},
       .args = "numkeys key [key ...] [WITHSCORES]"});
  table.add(
      {.name = "zunionstore",
       .arity = -4,
       .flags = kCmdWrite | kCmdDenyOom | kCmdMovableKeys,
       .first_key = 1,
       .last_key = 1,
       .key_step = 1,
       .handler = zunionstore_command,
       .group = "sorted-set",
       .summary = "Add multiple sorted sets and store the resulting sorted set in a new key",
       .since = "2.0.0",
       .complexity = "O(N)+O(M log(M)) with N being the sum of the sizes of the input sorted sets, "
                     "and M being the number of elements in the resulting sorted set.",
       .acl_categories = "@write @sortedset @slow",
       .key_specs = {{.flags = "OW update", .begin_index = 1},
                     {.flags = "RO access", .begin_index = 2, .keynum_index = 0, .first_key = 1}},
       .args = "destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE "
               "SUM|MIN|MAX]"});
  table.add(
      {.name = "zinterstore",
       .arity = -4,
       .flags = kCmdWrite | kCmdDenyOom | kCmdMovableKeys,
       .first_key = 1,
       .last_key = 1,
       .key_step = 1,
       .handler = zinterstore_command,
       .group = "sorted-set",
       .summary = "Intersect multiple sorted sets and store the resulting sorted set in a new key",
       .since = "2.0.0",
       .complexity = "O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K "
                     "being the number of input sorted sets and M being the number of elements in "
                     "the resulting sorted set.",
       .acl_categories = "@write @sortedset @slow",
       .key_specs = {{.flags = "OW update", .begin_index = 1},
                     {.flags = "RO access", .begin_index = 2, .keynum_index = 0, .first_key = 1}},
       .args = "destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE "
               "SUM|MIN|MAX]"});
  table.add(
      {.name = "zdiffstore",
       .arity = -4,
       .flags = kCmdWrite | kCmdDenyOom | kCmdMovableKeys,
       .first_key = 1,
       .last_key = 1,
       .key_step = 1,
       .handler = zdiffstore_command,
       .group = "sorted-set",
       .summary = "Subtract multiple sorted sets and store the resulting sorted set in a new key",
       .since = "6.2.0",
       .complexity =
           "O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, "
           "N is the size of the first set, and K is the size of the result set.",
       .acl_categories = "@write @sortedset @slow",
       .key_specs = {{.flags = "OW update", .begin_index = 1},
                     {.flags = "RO access", .begin_index = 2, .keynum_index = 0, .first_key = 1}},
       .args = "destination numkeys key [key ...]"});
  table.add(
      {.name = "zintercard",
       .arity = -3,
       .flags = kCmdReadonly | kCmdMovableKeys,
       .first_key = 0,
       .last_key = 0,
       .key_step = 0,
       .handler = zintercard_command,
       .group = "sorted-set",
       .summary = "Intersect multiple sorted sets and return the cardinality of the result",
       .since = "7.0.0",
       .complexity = "O(N*K) worst case with N being the smallest input sorted set, K being "
                     "the number of input sorted sets.",
       .acl_categories = "@read @sortedset @slow",
       .key_specs = {{.flags = "RO access", .begin_index = 1, .keynum_index = 0, .first_key = 1}},
       .args = "numkeys key [key ...] [LIMIT limit]"});
  table.add(
      {.name = "zrandmember",
       .arity = -2,
       .flags = kCmdReadonly,
       .first_key = 1,
       .last_key = 1,
       .key_step = 1,
       .handler = zrandmember_command,
       .group = "sorted-set",
       .summary = "Get one or multiple random elements from a sorted set",
       .since = "6.2.0",
       .complexity = "O(N) where N is the number of elements returned",
       .acl_categories = "@read @sortedset @slow",
       .tips = "nondeterministic_output",
       .key_specs =
           {{.flags = "RO access", .begin_index = 1, .last_key = 0, .key_step = 1, .limit = 0}},
       .args = "key [count [WITHSCORES]]"});
  table.add(
      {.name = "zscan",
       .arity = -3,
       .flags = kCmdReadonly,
       .first_key = 1,
       .last_key = 1,
       .key_step = 1,
       .handler = zscan_command,
       .group = "sorted-set",
       .summary = "Incrementally iterate sorted sets elements and associated scores",
       .since = "2.8.0",
       .complexity =
           "O(1) for every call. O(N) for a complete iteration, including enough command calls for "
           "the cursor to return back to 0. N is the number of elements inside the collection..",
       .acl_categories = "@read @sortedset @slow",
       .tips = "nondeterministic_output",
       .key_specs =
           {{.flags = "RO access", .begin_index = 1, .last_key = 0, .key_step = 1, .limit = 0}},
       .args = "key cursor [MATCH pattern] [COUNT count]"});
  table.add({.name = "bzpopmin",
             .arity = -3,
             .flags = kCmdWrite | kCmdNoscript | kCmdBlocking | kCmdFast,
             .first_key = 1,
             .last_key = -2,
             .key_step = 1,
             .handler = bzpopmin_command,
             .group = "sorted-set",
             .summary = "Remove and return the member with the lowest score from one or more "
                        "sorted sets, or block until one is available",
             .since = "5.0.0",
             .complexity = "O(log(N)) with N being the number of elements in the sorted set.",
             .acl_categories = "@write @sortedset @fast @blocking",
             .key_specs = {{.flags = "RW access delete",
                            .begin_index = 1,
                            .last_key = -2,
                            .key_step = 1,
                            .limit = 0}},
             .args = "key [key ...] timeout"});
  table.add({.name = "bzpopmax",
             .arity = -3,
             .flags = kCmdWrite | kCmdNoscript | kCmdBlocking | kCmdFast,
             .first_key = 1,
             .last_key = -2,
             .key_step = 1,
             .handler = bzpopmax_command,
             .group = "sorted-set",
             .summary = "Remove and return the member with the highest score from one or more "
                        "sorted sets, or block until one is available",
             .since = "5.0.0",
             .complexity = "O(log(N)) with N being the number of elements in the sorted set.",
             .acl_categories = "@write @sortedset @fast @blocking",
             .key_specs = {{.flags = "RW access delete",
                            .begin_index = 1,
                            .last_key = -2,
                            .key_step = 1,
                            .limit = 0}},
             .args = "key [key ...] timeout"});
  table.add(
      {.name = "bzmpop",
       .arity = -5,
       .flags = kCmdWrite | kCmdBlocking | kCmdMovableKeys,
       .first_key = 0,
       .last_key = 0,
       .key_step = 0,
       .handler = bzmpop_command,
       .group = "sorted-set",
       .summary =
           "Remove and return members with scores in a sorted set or block until one is available",
       .since = "7.0.0",
       .complexity =
           "O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of "
           "elements in the sorted set, and M being the number of elements popped.",
       .acl_categories = "@write @sortedset @slow @blocking",
       .key_specs =
           {{.flags = "RW access delete", .begin_index = 2, .keynum_index = 0, .first_key = 1}},
       .args = "timeout numkeys key [key ...] MIN|MAX [COUNT count]"});
}

}  // namespace tandem
