// Set encodings and their conversion (see storage/set.h).
#include "storage/set.h"

#include <algorithm>
#include <charconv>
#include <random>
#include <utility>
#include <vector>

#include "storage/random.h"
#include "storage/value.h"

namespace tandem {
namespace {

size_t random_index(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(random_engine()); }

// Below this size a hashtable's random member is drawn exactly uniformly by walking it.
constexpr size_t kExactRandomLimit = 64;

// A set's dict may share its nodes with a clone for ever (COPY), so its rehash must not wait
// for them (see "Shared copies" in storage/dict.h).
template <typename V>
std::unique_ptr<Dict<V>> make_member_dict() {
  auto d = std::make_unique<Dict<V>>();
  d->set_rehash_copies_shared(true);
  return d;
}

}  // namespace

Set::Set(Encoding encoding) {
  if (encoding == Encoding::kHashtable) dict_ = make_member_dict<Unit>();
}

std::shared_ptr<Set> Set::create_for(std::string_view first_member) {
  int64_t v;
  return std::make_shared<Set>(parse_int64(first_member, v) ? Encoding::kIntset
                                                            : Encoding::kHashtable);
}

std::shared_ptr<Set> Set::from_intset(IntSet intset) {
  auto s = std::make_shared<Set>(Encoding::kIntset);
  s->intset_ = std::move(intset);
  return s;
}

std::string_view Set::format_int(int64_t v, char* buf) {
  auto [end, ec] = std::to_chars(buf, buf + 21, v);
  return std::string_view(buf, end - buf);
}

const char* Set::encoding_name() const { return dict_ ? "hashtable" : "intset"; }

size_t Set::size() const { return dict_ ? dict_->size() : intset_.size(); }

size_t Set::memory_usage() const {
  if (!dict_) return sizeof(Set) + intset_.blob_size();
  size_t total = sizeof(Set) + sizeof(Dict<Unit>) + dict_->bucket_count() * sizeof(void*);
  dict_->for_each([&](const Dict<Unit>::Entry& e) { total += Dict<Unit>::entry_bytes(e); });
  return total;
}

std::shared_ptr<Collection> Set::clone() const {
  auto copy = std::make_shared<Set>(Encoding::kIntset);
  if (!dict_) {
    copy->intset_ = intset_;
  } else {
    copy->dict_ = std::make_unique<Dict<Unit>>(dict_->shared_copy());
  }
  return copy;
}

void Set::convert_to_hashtable() {
  if (dict_) return;
  auto d = make_member_dict<Unit>();
  d->expand(intset_.size());
  char buf[24];
  intset_.for_each([&](int64_t v) { d->try_emplace(format_int(v, buf)); });
  dict_ = std::move(d);
  intset_ = IntSet();
}

bool Set::add(std::string_view member, size_t max_intset_entries) {
  if (!dict_) {
    int64_t v;
    if (parse_int64(member, v)) {
      if (!intset_.insert(v)) return false;
      if (intset_.size() > std::min(max_intset_entries, kMaxIntsetEntries)) {
        convert_to_hashtable();
      }
      return true;
    }
    convert_to_hashtable();
  }
  return dict_->try_emplace(member).second;
}

bool Set::remove(std::string_view member) {
  if (!dict_) {
    int64_t v;
    return parse_int64(member, v) && intset_.erase(v);
  }
  return dict_->erase(member);
}

bool Set::contains(std::string_view member) const {
  if (!dict_) {
    int64_t v;
    return parse_int64(member, v) && intset_.contains(v);
  }
  return std::as_const(*dict_).find(member) != nullptr;
}

std::string Set::random_member() const {
  if (!dict_) {
    char buf[24];
    return std::string(format_int(intset_.at(random_index(intset_.size())), buf));
  }
  const Dict<Unit>& dict = *dict_;
  if (dict.size() <= kExactRandomLimit) {
    size_t n = random_index(dict.size());
    std::string out;
    dict.for_each([&](const Dict<Unit>::Entry& e) {
      if (n-- == 0) out = e.key;
    });
    return out;
  }
  // A const walk, unlike Dict::random_entry's rehash step: one scan step from a random cursor
  // ends on a bucket boundary, and the step from there yields that whole bucket. As in Dict's
  // fair random entry, an empty bucket means a new draw (walking on would favour members after
  // runs of empty buckets), and a bucket of len < kFairChain members is accepted with
  // probability len / kFairChain, which cancels the bias toward members of short chains.
  constexpr size_t kFairChain = 4;
  constexpr int kTries = 1000;
  std::vector<std::string_view> found;
  auto collect = [&](const Dict<Unit>::Entry& e) { found.push_back(e.key); };
  for (int attempt = 0;; ++attempt) {
    uint64_t cursor = dict.scan(random_engine()(), [](const Dict<Unit>::Entry&) {});
    found.clear();
    cursor = dict.scan(cursor, collect);
    if (found.empty() && attempt < kTries) continue;
    while (found.empty()) cursor = dict.scan(cursor, collect);  // give up on fairness
    if (found.size() >= kFairChain || attempt >= kTries ||
        random_index(kFairChain) < found.size()) {
      return std::string(found[random_index(found.size())]);
    }
  }
}

std::string Set::pop_random() {
  if (!dict_) {
    size_t i = random_index(intset_.size());
    char buf[24];
    std::string out(format_int(intset_.at(i), buf));
    intset_.erase_at(i);
    return out;
  }
  Dict<Unit>::Entry* e = dict_->random_entry(random_engine());
  std::string out(e->key);
  dict_->erase(e);
  return out;
}

}  // namespace tandem
