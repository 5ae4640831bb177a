// SORT and SORT_RO, following Redis 7.0's sort.c.
//
// The key to sort is a list, a set or a sorted set. Each element gets a sort key: itself, or the
// string (or hash field, "pattern->field") found by substituting the element for the first '*'
// of the BY pattern; a BY pattern without '*' means "do not sort" (nosort). Elements are compared
// numerically (the sort key parsed with strtod; a missing key counts as 0; ties fall back to
// comparing the elements as binary strings) or, with ALPHA, as strings (strcoll in the C locale
// for replies, binary with STORE; a missing BY key sorts first). LIMIT selects a window of the
// sorted result; GET patterns replace each element by looked-up values ("#" is the element).
// STORE writes the result as a list (replacing the destination whatever its type, deleting it
// when the result is empty) and replies its length.
//
// Order without sorting (nosort): lists and sorted sets keep their own order (reversed by DESC);
// a set keeps its iteration order, except that with STORE it is sorted ALPHA so the stored
// result does not depend on the hash table, as Redis does.
//
// Lookups of the sorted key and of BY/GET keys are reads (they count keyspace hits and misses).
#include <algorithm>
#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "server/args.h"
#include "server/command_context.h"
#include "server/errors.h"
#include "storage/hash.h"
#include "storage/list.h"
#include "storage/set.h"
#include "storage/sorted_set.h"
#include "storage/value.h"

namespace tandem {

namespace {

using Entry = Database::Entry;

struct SortItem {
  std::string obj;
  double score = 0;
  std::optional<std::string> cmp;  // the ALPHA sort key from BY (nullopt: missing)
};

// Redis's lookupKeyByPattern: "#" is the element itself; otherwise the first '*' is replaced by
// the element and the result names a string key, or with "->field" a hash field. nullopt when
// the pattern has no '*', or the key or field is missing or of another type.
std::optional<std::string> lookup_by_pattern(CommandContext& ctx, std::string_view pattern,
                                             std::string_view element) {
  if (pattern == "#") return std::string(element);
  const size_t star = pattern.find('*');
  if (star == std::string_view::npos) return std::nullopt;
  std::string_view field;
  size_t key_end = pattern.size();
  const size_t arrow = pattern.find("->", star + 1);
  if (arrow != std::string_view::npos && arrow + 2 < pattern.size()) {
    field = pattern.substr(arrow + 2);
    key_end = arrow;
  }
  std::string key;
  key.reserve(key_end + element.size());
  key.append(pattern.substr(0, star));
  key.append(element);
  key.append(pattern.substr(star + 1, key_end - star - 1));
  Entry* e = ctx.lookup_read(key);
  if (!e) return std::nullopt;
  if (!field.empty()) {
    const Hash* h = e->value.as<Hash>();
    if (!h) return std::nullopt;
    std::string scratch;
    auto value = h->get(field, scratch);
    if (!value) return std::nullopt;
    return std::string(*value);
  }
  if (!e->value.is_string()) return std::nullopt;
  return e->value.string_value();
}

// strcoll in the C locale (Redis's collateStringObjects): strcmp up to the first NUL.
int collate(const std::string& a, const std::string& b) {
  return std::strcmp(a.c_str(), b.c_str());
}

// Redis's compareStringObjects: binary, shorter first on a common prefix.
int binary_compare(std::string_view a, std::string_view b) {
  int c = a.compare(b);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

struct SortOptions {
  bool desc = false;
  bool alpha = false;
  bool dontsort = false;
  int64_t limit_start = 0;
  int64_t limit_count = -1;
  std::optional<std::string_view> by;
  std::optional<std::string_view> store;
  std::vector<std::string_view> gets;
};

std::optional<SortOptions> parse_options(CommandContext& ctx, bool readonly) {
  SortOptions o;
  for (size_t j = 2; j < ctx.argc(); ++j) {
    std::string_view opt = ctx.args[j];
    const size_t left = ctx.argc() - j - 1;
    if (iequals(opt, "asc")) {
      o.desc = false;
    } else if (iequals(opt, "desc")) {
      o.desc = true;
    } else if (iequals(opt, "alpha")) {
      o.alpha = true;
    } else if (iequals(opt, "limit") && left >= 2) {
      auto start = int_arg(ctx.args[j + 1], ctx.reply);
      if (!start) return std::nullopt;
      auto count = int_arg(ctx.args[j + 2], ctx.reply);
      if (!count) return std::nullopt;
      o.limit_start = *start;
      o.limit_count = *count;
      j += 2;
    } else if (!readonly && iequals(opt, "store") && left >= 1) {
      o.store = ctx.args[++j];
    } else if (iequals(opt, "by") && left >= 1) {
      o.by = ctx.args[++j];
      // No '*': nothing to look up, so nothing to sort by.
      o.dontsort = o.by->find('*') == std::string_view::npos;
    } else if (iequals(opt, "get") && left >= 1) {
      o.gets.push_back(ctx.args[++j]);
    } else {
      ctx.reply.error(kSyntaxError);
      return std::nullopt;
    }
  }
  return o;
}

void sort_generic(CommandContext& ctx, bool readonly) {
  auto parsed = parse_options(ctx, readonly);
  if (!parsed) return;
  SortOptions& o = *parsed;

  Entry* entry = ctx.lookup_read(ctx.args[1]);
  const Collection* coll = entry ? entry->value.collection() : nullptr;
  if (entry && (!coll || coll->type() == ValueType::kHash)) {
    return ctx.reply.error(kWrongTypeError);
  }
  const ValueType type = coll ? coll->type() : ValueType::kList;

  // Redis 7.0 converts a listpack sorted set to a skiplist before sorting it (sort.c's
  // zsetConvert), even for SORT_RO; OBJECT ENCODING shows it afterwards.
  if (type == ValueType::kZSet &&
      static_cast<const SortedSet*>(coll)->encoding() == SortedSet::Encoding::kListpack) {
    entry->value.mutable_as<SortedSet>().convert_to_skiplist();
    coll = entry->value.collection();
  }

  // A set has no order of its own: sorting it ALPHA keeps a stored result deterministic.
  if (o.dontsort && type == ValueType::kSet && o.store) {
    o.dontsort = false;
    o.alpha = true;
    o.by.reset();
  }

  int64_t vectorlen = coll ? static_cast<int64_t>(coll->size()) : 0;
  int64_t start = o.limit_start < 0 ? 0 : o.limit_start;
  int64_t end;
  if (o.limit_count < 0) {
    end = vectorlen - 1;
  } else if (__builtin_add_overflow(start, o.limit_count - 1, &end)) {
    end = INT64_MAX;
  }
  if (start >= vectorlen) {
    start = vectorlen - 1;
    end = vectorlen - 2;
  }
  if (end >= vectorlen) end = vectorlen - 1;

  // Lists and sorted sets not to be sorted load just the window asked for.
  const bool ordered = type == ValueType::kList || type == ValueType::kZSet;
  if (ordered && o.dontsort && (start != 0 || end != vectorlen - 1)) {
    vectorlen = end - start + 1;
  }

  std::vector<SortItem> vector;
  vector.reserve(std::max<int64_t>(vectorlen, 0));
  auto add = [&](std::string_view element) {
    vector.push_back(SortItem{.obj = std::string(element), .score = 0, .cmp = std::nullopt});
  };
  if (!coll) {
    // A missing key sorts as an empty list.
  } else if (type == ValueType::kSet) {
    static_cast<const Set*>(coll)->for_each(add);
  } else if (type == ValueType::kList) {
    const List& list = *static_cast<const List*>(coll);
    if (o.dontsort) {
      if (end >= start) {
        list.for_each(static_cast<size_t>(start), o.desc, [&](const List::Element& e) {
          add(element_string(e));
          return static_cast<int64_t>(vector.size()) < vectorlen;
        });
        end -= start;
        start = 0;
      }
    } else {
      list.for_each(0, false, [&](const List::Element& e) {
        add(element_string(e));
        return true;
      });
    }
  } else if (type == ValueType::kZSet) {
    const SortedSet& zset = *static_cast<const SortedSet*>(coll);
    if (o.dontsort) {
      if (vectorlen > 0) {
        zset.range_by_rank(static_cast<size_t>(start), static_cast<size_t>(start + vectorlen - 1),
                           o.desc, [&](std::string_view member, double) { add(member); });
      }
      end -= start;
      start = 0;
    } else {
      zset.for_each([&](std::string_view member, double) { add(member); });
    }
  }

  bool conversion_error = false;
  if (!o.dontsort) {
    for (SortItem& item : vector) {
      std::optional<std::string> byval;
      if (o.by) {
        byval = lookup_by_pattern(ctx, *o.by, item.obj);
        if (!byval) continue;
      }
      const std::string& key = o.by ? *byval : item.obj;
      if (o.alpha) {
        if (o.by) item.cmp = std::move(*byval);
      } else {
        // strtod over the C string, as Redis: leading spaces, hex and "inf" parse; trailing
        // bytes, overflow and NaN are errors.
        char* eptr = nullptr;
        errno = 0;
        item.score = std::strtod(key.c_str(), &eptr);
        if (*eptr != '\0' || errno == ERANGE || std::isnan(item.score)) conversion_error = true;
      }
    }
    const bool by_pattern = o.by.has_value();
    const bool storing = o.store.has_value();
    auto compare = [&](const SortItem& a, const SortItem& b) {
      int cmp;
      if (!o.alpha) {
        if (a.score > b.score) {
          cmp = 1;
        } else if (a.score < b.score) {
          cmp = -1;
        } else {
          cmp = binary_compare(a.obj, b.obj);
        }
      } else if (by_pattern) {
        if (!a.cmp || !b.cmp) {
          cmp = a.cmp.has_value() == b.cmp.has_value() ? 0 : (!a.cmp ? -1 : 1);
        } else {
          cmp = storing ? binary_compare(*a.cmp, *b.cmp) : collate(*a.cmp, *b.cmp);
        }
      } else {
        cmp = storing ? binary_compare(a.obj, b.obj) : collate(a.obj, b.obj);
      }
      return (o.desc ? -cmp : cmp) < 0;
    };
    std::stable_sort(vector.begin(), vector.end(), compare);
  }

  const int64_t window = end - start + 1;
  const int64_t getop = static_cast<int64_t>(o.gets.size());
  const int64_t outputlen = getop ? getop * window : window;
  if (conversion_error)
    return ctx.reply.error("ERR One or more scores can't be converted into double");

  if (!o.store) {
    ctx.reply.array(outputlen);
    for (int64_t j = start; j <= end; ++j) {
      const std::string& obj = vector[j].obj;
      if (o.gets.empty()) ctx.reply.bulk(obj);
      for (std::string_view pattern : o.gets) {
        auto val = lookup_by_pattern(ctx, pattern, obj);
        if (val) {
          ctx.reply.bulk(*val);
        } else {
          ctx.reply.null();
        }
      }
    }
    return;
  }

  auto result = std::make_shared<List>(ctx.server.config().list_max_listpack_size);
  for (int64_t j = start; j <= end; ++j) {
    const std::string& obj = vector[j].obj;
    if (o.gets.empty()) result->push_back(obj);
    for (std::string_view pattern : o.gets) {
      auto val = lookup_by_pattern(ctx, pattern, obj);
      result->push_back(val ? std::string_view(*val) : std::string_view());
    }
  }
  if (outputlen > 0) {
    Value v = Value::of(std::move(result));
    v.touch(ctx.db().new_access_field(ctx.now_ms));
    ctx.db().set(*o.store, std::move(v));
    ctx.notify(kNotifyList, "sortstore", *o.store);
    ctx.dirty(outputlen);
  } else if (ctx.db().erase(*o.store)) {
    ctx.notify(kNotifyGeneric, "del", *o.store);
    ctx.dirty();
  }
  ctx.reply.integer(outputlen);
}

void sort_command(CommandContext& ctx) { sort_generic(ctx, false); }
void sort_ro_command(CommandContext& ctx) { sort_generic(ctx, true); }

}  // namespace

void register_sort_commands(CommandTable& table) {
  // The keys BY and GET patterns name, and STORE's destination, which no key spec can locate:
  // COMMAND GETKEYS finds STORE through SORT's getkeys function (server/command_keys.cpp).
  const KeySpec kPatternKeys{
      .flags = "RO access",
      .notes =
          "For the optional BY/GET keyword. It is marked 'unknown' because the key names "
          "derive from the content of the key we sort",
      .unknown = true};
  const KeySpec kStoreKey{
      .flags = "OW update",
      .notes =
          "For the optional STORE keyword. It is marked 'unknown' because the keyword can "
          "appear anywhere in the argument array",
      .unknown = true};
  constexpr std::string_view kComplexity =
      "O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the "
      "number of returned elements. When the elements are not sorted, complexity is O(N).";
  table.add({.name = "sort",
             .arity = -2,
             .flags = kCmdWrite | kCmdDenyOom | kCmdMovableKeys,
             .first_key = 1,
             .last_key = 1,
             .key_step = 1,
             .handler = sort_command,
             .group = "generic",
             .summary = "Sort the elements in a list, set or sorted set",
             .complexity = kComplexity,
             .acl_categories = "@write @set @sortedset @list @slow @dangerous",
             // The BY/GET and STORE key specs are of Redis's "unknown" kind, which COMMAND INFO
             // here cannot express yet; only the sorted key is listed.
             .key_specs = {KeySpec{.flags = "RO access"}, kPatternKeys, kStoreKey},
             .args = "key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]] "
                     "[ASC|DESC] [ALPHA] [STORE destination]"});
  table.add(
      {.name = "sort_ro",
       .arity = -2,
       .flags = kCmdReadonly | kCmdMovableKeys,
       .first_key = 1,
       .last_key = 1,
       .key_step = 1,
       .handler = sort_ro_command,
       .group = "generic",
       .summary = "Sort the elements in a list, set or sorted set. Read-only variant of SORT.",
       .since = "7.0.0",
       .complexity = kComplexity,
       .acl_categories = "@read @set @sortedset @list @slow @dangerous",
       .key_specs = {KeySpec{.flags = "RO access"}, kPatternKeys},
       .args = "key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]] "
               "[ASC|DESC] [ALPHA]"});
}

}  // namespace tandem
