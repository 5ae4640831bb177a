#include "storage/sorted_set.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "fmt/format.h"

namespace tandem {
namespace {

// Redis's zslParseRange item: strtod over the C string (stopping at a NUL), NaN rejected.
bool parse_score_bound(std::string_view arg, double& value, bool& exclusive) {
  exclusive = !arg.empty() && arg[0] == '(';
  if (exclusive) arg.remove_prefix(1);
  std::string copy(arg);
  char* end = nullptr;
  value = std::strtod(copy.c_str(), &end);
  return *end == '\0' && !std::isnan(value);
}

bool parse_lex_bound(std::string_view arg, LexBound& out) {
  if (arg == "+") {
    out.kind = LexBound::kPlusInf;
    return true;
  }
  if (arg == "-") {
    out.kind = LexBound::kMinusInf;
    return true;
  }
  if (arg.empty() || (arg[0] != '(' && arg[0] != '[')) return false;
  out.kind = LexBound::kValue;
  out.exclusive = arg[0] == '(';
  out.value.assign(arg.substr(1));
  return true;
}

// Compares a bound with a value: -1, 0, 1 (Redis's sdscmplex with its min/max sentinels).
int compare_bound(const LexBound& b, std::string_view v) {
  if (b.kind == LexBound::kMinusInf) return -1;
  if (b.kind == LexBound::kPlusInf) return 1;
  int c = std::string_view(b.value).compare(v);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

// A listpack element as a string view (integers formatted into `buf`).
std::string_view element_view(const Listpack::Element& e, char (&buf)[24]) {
  if (!e.is_int) return e.str;
  auto r = fmt::format_to_n(buf, sizeof(buf), "{}", e.integer);
  return std::string_view(buf, r.size);
}

double element_score(const Listpack::Element& e) {
  if (e.is_int) return static_cast<double>(e.integer);
  std::string copy(e.str);
  return std::strtod(copy.c_str(), nullptr);
}

}  // namespace

bool parse_score_range(std::string_view min, std::string_view max, ScoreRange& out) {
  return parse_score_bound(min, out.min, out.minex) && parse_score_bound(max, out.max, out.maxex);
}

bool LexRange::above_min(std::string_view v) const {
  int c = compare_bound(min, v);
  return min.exclusive ? c < 0 : c <= 0;
}

bool LexRange::below_max(std::string_view v) const {
  int c = compare_bound(max, v);
  return max.exclusive ? c > 0 : c >= 0;
}

bool LexRange::empty() const {
  // Redis's zslIsInLexRange first check: min > max, or equal with an exclusive end.
  int c;
  if (min.kind == LexBound::kValue && max.kind == LexBound::kValue) {
    int r = min.value.compare(max.value);
    c = r < 0 ? -1 : (r > 0 ? 1 : 0);
  } else if (min.kind == max.kind) {
    c = 0;
  } else {
    c = min.kind < max.kind ? -1 : 1;
  }
  return c > 0 || (c == 0 && (min.exclusive || max.exclusive));
}

bool parse_lex_range(std::string_view min, std::string_view max, LexRange& out) {
  return parse_lex_bound(min, out.min) && parse_lex_bound(max, out.max);
}

std::string score_to_string(double score) {
  if (std::isnan(score)) return "nan";
  if (std::isinf(score)) return score > 0 ? "inf" : "-inf";
  // Redis 7.0's d2string: a value that converts to a long long and back exactly, within
  // +-LLONG_MAX/2 (double2ll), prints as that integer (so -0 is "0"); anything else as %.17g.
  constexpr double kLimit = static_cast<double>(INT64_MAX / 2);
  if (score >= -kLimit && score <= kLimit) {
    auto ll = static_cast<int64_t>(score);
    if (static_cast<double>(ll) == score) return fmt::format("{}", ll);
  }
  char buf[64];
  int n = std::snprintf(buf, sizeof(buf), "%.17g", score);
  return std::string(buf, static_cast<size_t>(n));
}

SortedSet::SortedSet(Encoding encoding) {
  if (encoding == Encoding::kSkiplist) convert_to_skiplist();
}

SortedSet::~SortedSet() = default;

SortedSet::Skiplist::Skiplist() {
  // The dict may share its nodes with a clone for ever (COPY), so its rehash must not wait for
  // them (see "Shared copies" in storage/dict.h).
  dict.set_rehash_copies_shared(true);
}

SortedSet::Encoding SortedSet::encoding_for_new(size_t first_member_len, const Limits& limits) {
  return limits.max_listpack_entries == 0 || first_member_len > limits.max_listpack_value
             ? Encoding::kSkiplist
             : Encoding::kListpack;
}

const char* SortedSet::encoding_name() const {
  return encoding() == Encoding::kListpack ? "listpack" : "skiplist";
}

size_t SortedSet::size() const {
  return encoding() == Encoding::kListpack ? lp_.size() / 2 : sl_->tree.size();
}

size_t SortedSet::memory_usage() const {
  if (encoding() == Encoding::kListpack) return sizeof(*this) + lp_.bytes_size();
  size_t bytes = sizeof(*this) + sizeof(Skiplist) + sl_->tree.memory_usage() +
                 sl_->dict.bucket_count() * sizeof(void*);
  sl_->dict.for_each([&](const Dict<double>::Entry& e) { bytes += Dict<double>::entry_bytes(e); });
  return bytes;
}

std::shared_ptr<Collection> SortedSet::clone() const {
  auto copy = std::make_shared<SortedSet>(encoding());
  if (encoding() == Encoding::kListpack) {
    copy->lp_ = lp_;
  } else {
    // O(members / 64) for the dict's chunk directory, O(1) for the tree: each side then copies
    // what it writes while the other shares it.
    copy->sl_->dict = sl_->dict.shared_copy();
    copy->sl_->tree = sl_->tree.shared_copy();
  }
  return copy;
}

// --- listpack helpers ---

std::optional<size_t> SortedSet::listpack_find(std::string_view member, double* score) const {
  size_t index = 0;
  for (Listpack::Pos p = lp_.first(); p != Listpack::kEnd; p = lp_.next(lp_.next(p)), ++index) {
    if (lp_.get(p).equals(member)) {
      if (score) *score = element_score(lp_.get(lp_.next(p)));
      return index;
    }
  }
  return std::nullopt;
}

void SortedSet::listpack_insert(std::string_view member, double score) {
  std::string text = score_to_string(score);
  char buf[24];
  for (Listpack::Pos p = lp_.first(); p != Listpack::kEnd; p = lp_.next(lp_.next(p))) {
    Listpack::Element e = lp_.get(p);
    double s = element_score(lp_.get(lp_.next(p)));
    // Redis's zzlInsert: before the first element with a greater score, or an equal score and
    // a greater member.
    if (s > score || (s == score && element_view(e, buf) > member)) {
      Listpack::Pos at = lp_.insert_before(p, member);
      lp_.insert_after(at, text);
      return;
    }
  }
  lp_.push_back(member);
  lp_.push_back(text);
}

void SortedSet::listpack_erase_at(size_t index) {
  lp_.erase_range(static_cast<int64_t>(index * 2), 2);
}

void SortedSet::skiplist_insert(std::string_view member, double score) {
  sl_->tree.insert(score, member);  // first: it may throw, leaving both halves as they were
  sl_->dict.try_emplace(member, score);
}

// --- conversions ---

void SortedSet::convert_to_skiplist() {
  if (sl_) return;
  sl_ = std::make_unique<Skiplist>();
  Listpack old = std::move(lp_);
  lp_ = Listpack();
  char buf[24];
  for (Listpack::Pos p = old.first(); p != Listpack::kEnd; p = old.next(old.next(p))) {
    Listpack::Element e = old.get(p);
    skiplist_insert(element_view(e, buf), element_score(old.get(old.next(p))));
  }
}

void SortedSet::convert_to_listpack_if_fits(const Limits& limits) {
  if (encoding() != Encoding::kSkiplist || size() > limits.max_listpack_entries) return;
  bool fits = true;
  for_each([&](std::string_view member, double) {
    fits = fits && member.size() <= limits.max_listpack_value;
  });
  if (!fits) return;
  Listpack lp;
  for_each([&](std::string_view member, double score) {
    lp.push_back(member);
    lp.push_back(score_to_string(score));
  });
  sl_.reset();
  lp_ = std::move(lp);
}

// --- single elements ---

SortedSet::AddResult SortedSet::add(std::string_view member, double score, int flags,
                                    const Limits& limits, double* new_score) {
  const bool incr = flags & kIncr, nx = flags & kNx, xx = flags & kXx;
  const bool gt = flags & kGt, lt = flags & kLt;
  if (std::isnan(score)) return AddResult::kNaN;

  std::optional<double> current = this->score(member);
  if (current) {
    if (nx) return AddResult::kNop;
    double updated = score;
    if (incr) {
      updated = *current + score;
      if (std::isnan(updated)) return AddResult::kNaN;
    }
    if ((lt && updated >= *current) || (gt && updated <= *current)) return AddResult::kNop;
    if (new_score) *new_score = updated;
    if (updated == *current) return AddResult::kUnchanged;
    if (encoding() == Encoding::kListpack) {
      // Redis deletes and re-inserts (the position may change).
      listpack_erase_at(*listpack_find(member, nullptr));
      listpack_insert(member, updated);
    } else {
      sl_->tree.update_score(*current, member, updated);
      sl_->dict.find(member)->value = updated;
    }
    return AddResult::kUpdated;
  }
  if (xx) return AddResult::kNop;
  if (encoding() == Encoding::kListpack &&
      (size() + 1 > limits.max_listpack_entries || member.size() > limits.max_listpack_value)) {
    convert_to_skiplist();
  }
  if (encoding() == Encoding::kListpack) {
    listpack_insert(member, score);
  } else {
    skiplist_insert(member, score);
  }
  if (new_score) *new_score = score;
  return AddResult::kAdded;
}

bool SortedSet::remove(std::string_view member) {
  if (encoding() == Encoding::kListpack) {
    auto index = listpack_find(member, nullptr);
    if (!index) return false;
    listpack_erase_at(*index);
    return true;
  }
  const auto* entry = std::as_const(sl_->dict).find(member);
  if (!entry) return false;
  sl_->tree.erase(entry->value, member);
  sl_->dict.erase(member);
  return true;
}

std::optional<double> SortedSet::score(std::string_view member) const {
  if (encoding() == Encoding::kListpack) {
    double s;
    if (!listpack_find(member, &s)) return std::nullopt;
    return s;
  }
  const auto* entry = std::as_const(sl_->dict).find(member);
  if (!entry) return std::nullopt;
  return entry->value;
}

std::optional<size_t> SortedSet::rank(std::string_view member, bool reverse) const {
  size_t n = size();
  std::optional<size_t> r;
  if (encoding() == Encoding::kListpack) {
    r = listpack_find(member, nullptr);
  } else {
    const auto* entry = std::as_const(sl_->dict).find(member);
    if (entry) r = sl_->tree.rank_of(entry->value, member);
  }
  if (r && reverse) r = n - 1 - *r;
  return r;
}

// --- ranges ---

void SortedSet::range_by_rank(size_t start, size_t end, bool reverse, const Visit& visit) const {
  if (start > end || end >= size()) return;
  size_t n = size();
  if (encoding() == Encoding::kListpack) {
    char buf[24];
    size_t count = end - start + 1;
    if (!reverse) {
      Listpack::Pos p = lp_.seek(static_cast<int64_t>(start * 2));
      for (; count > 0 && p != Listpack::kEnd; --count) {
        Listpack::Pos sp = lp_.next(p);
        visit(element_view(lp_.get(p), buf), element_score(lp_.get(sp)));
        p = lp_.next(sp);
      }
    } else {
      Listpack::Pos p = lp_.seek(static_cast<int64_t>((n - 1 - start) * 2));
      for (; count > 0 && p != Listpack::kEnd; --count) {
        Listpack::Pos sp = lp_.next(p);
        visit(element_view(lp_.get(p), buf), element_score(lp_.get(sp)));
        Listpack::Pos prev_score = lp_.prev(p);
        p = prev_score == Listpack::kEnd ? Listpack::kEnd : lp_.prev(prev_score);
      }
    }
    return;
  }
  if (!reverse) {
    sl_->tree.visit(start, end, false, visit);
  } else {
    sl_->tree.visit(n - 1 - end, n - 1 - start, true, visit);
  }
}

std::pair<size_t, size_t> SortedSet::score_span(const ScoreRange& range) const {
  if (range.empty() || size() == 0) return {0, 0};
  if (encoding() == Encoding::kListpack) {
    size_t index = 0, first = SIZE_MAX, last = 0;
    for (Listpack::Pos p = lp_.first(); p != Listpack::kEnd; p = lp_.next(lp_.next(p))) {
      double s = element_score(lp_.get(lp_.next(p)));
      if (range.above_min(s) && range.below_max(s)) {
        if (first == SIZE_MAX) first = index;
        last = index + 1;
      }
      ++index;
    }
    return first == SIZE_MAX ? std::pair<size_t, size_t>{0, 0} : std::pair{first, last};
  }
  // "Below min" and "not above max" each hold for a prefix of the order: count both.
  size_t first =
      sl_->tree.count_while([&](double s, std::string_view) { return !range.above_min(s); });
  size_t last =
      sl_->tree.count_while([&](double s, std::string_view) { return range.below_max(s); });
  return first < last ? std::pair{first, last} : std::pair<size_t, size_t>{0, 0};
}

std::pair<size_t, size_t> SortedSet::lex_span(const LexRange& range) const {
  if (range.empty() || size() == 0) return {0, 0};
  if (encoding() == Encoding::kListpack) {
    // Redis's zzlFirstInLexRange / zzlLastInLexRange walk: the first element at or above min,
    // then elements while at or below max.
    char buf[24];
    size_t index = 0, first = SIZE_MAX, last = 0;
    for (Listpack::Pos p = lp_.first(); p != Listpack::kEnd; p = lp_.next(lp_.next(p))) {
      std::string_view m = element_view(lp_.get(p), buf);
      if (range.above_min(m) && range.below_max(m)) {
        if (first == SIZE_MAX) first = index;
        last = index + 1;
      }
      ++index;
    }
    return first == SIZE_MAX ? std::pair<size_t, size_t>{0, 0} : std::pair{first, last};
  }
  // With equal scores (what lex ranges assume, as in Redis) member order is the set's order.
  size_t first =
      sl_->tree.count_while([&](double, std::string_view m) { return !range.above_min(m); });
  size_t last =
      sl_->tree.count_while([&](double, std::string_view m) { return range.below_max(m); });
  return first < last ? std::pair{first, last} : std::pair<size_t, size_t>{0, 0};
}

size_t SortedSet::erase_rank_range(size_t start, size_t end) {
  if (start > end || start >= size()) return 0;
  end = std::min(end, size() - 1);
  size_t count = end - start + 1;
  if (encoding() == Encoding::kListpack) {
    lp_.erase_range(static_cast<int64_t>(start * 2), count * 2);
    return count;
  }
  sl_->tree.visit(start, end, false, [&](std::string_view m, double) { sl_->dict.erase(m); });
  sl_->tree.erase_ranks(start, end);
  return count;
}

void SortedSet::for_each(const Visit& visit) const {
  if (size() > 0) range_by_rank(0, size() - 1, false, visit);
}

uint64_t SortedSet::scan(uint64_t cursor, size_t count, const ScanVisit& visit) const {
  if (encoding() == Encoding::kListpack) {
    char buf[24], sbuf[24];
    for (Listpack::Pos p = lp_.first(); p != Listpack::kEnd; p = lp_.next(lp_.next(p))) {
      Listpack::Element s = lp_.get(lp_.next(p));
      visit(element_view(lp_.get(p), buf), element_score(s), element_view(s, sbuf));
    }
    return 0;
  }
  // As Redis: visit buckets until `count` entries, giving up after 10x as many buckets.
  size_t found = 0;
  uint64_t budget = count > UINT64_MAX / 10 ? UINT64_MAX : count * 10;
  do {
    cursor = sl_->dict.scan(cursor, [&](const Dict<double>::Entry& e) {
      visit(e.key, e.value, std::string_view());
      ++found;
    });
  } while (cursor != 0 && budget-- > 0 && found < count);
  return cursor;
}

}  // namespace tandem
