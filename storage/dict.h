// Dict: a chained hash table from string keys to values, modelled on Redis's dict.c.
//
// Layout and resizing:
// - Bucket arrays are powers of two (at least kMinBuckets); an entry lives in bucket hash & mask.
// - Resizing is incremental. A resize allocates tables_[1]; every find/try_emplace/erase/take
//   moves one bucket from tables_[0] into it (rehash_step/rehash_for let a cron move more). While
//   rehashing, inserts go to tables_[1] and lookups check both; when tables_[0] is empty the new
//   table replaces it. No single operation pays for a whole resize.
// - Grow when size >= buckets (load factor 1), checked on insert; shrink when size * 8 < buckets,
//   checked on erase, after a shrink completes and by the cron (rehash_for). A resize starts only
//   when no rehash runs. With set_resize_allowed(false) only extreme load starts one (over 4x, or
//   under 1/32), as in Redis; a rehash already in progress keeps going.
// - Entries are heap nodes (one allocation each, key bytes included) that never move: an Entry*
// stays valid across calls (rehash steps
//   included, and moving the Dict) until that entry is erased or the dict cleared or destroyed.
// - Callbacks given to for_each and scan may read the dict but must not mutate it.
//
// SCAN guarantee (stronger than Redis). Let rev(x) be the 64-bit bit reversal; an entry sits at
// position rev(hash). Bucket b of a table with 2^k buckets holds exactly the entries whose
// positions lie in [rev(b), rev(b) + 2^(64-k)). A call with cursor c, P = rev(c), returns exactly
// the entries with positions in [P, E), where E is the end of the interval of the smaller table's
// bucket that contains P (during a rehash, the larger table's buckets tiling [P, E) are visited
// too, in Redis's order), and returns rev(E) as the next cursor (0 once E wraps around). This is
// Redis's next cursor (v |= ~mask; v = rev(v); v++; v = rev(v)); the extra filter
// rev(hash) >= P on visited buckets is what removes Redis's duplicates after a shrink, where a
// small bucket covers more than what is left of the cursor's range. Invariant: the entries
// returned so far are exactly those that were present when their interval was visited, i.e. all
// positions < rev(cursor). The visited intervals are disjoint and tile [0, 2^64), so over a full
// iteration (0 ... 0) every entry present throughout is returned, and no key is returned twice,
// whatever inserts, erases, resizes and rehash steps happen between calls. Any cursor value is
// safe: it only names a starting position, and each call advances at least one bucket.
#pragma once

#include <xxhash.h>

#include <algorithm>
#include <bit>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <new>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

namespace tandem {

// Random per process, so that clients cannot choose keys that collide.
inline uint64_t default_dict_seed() {
  static const uint64_t seed = [] {
    std::random_device rd;
    return (uint64_t{rd()} << 32) ^ rd();
  }();
  return seed;
}

// An entry's key: its length, then its bytes, stored right after this header in the entry's own
// allocation (so a key costs no allocation of its own). Reads as a std::string_view.
class DictKey {
 public:
  explicit DictKey(std::string_view k) : size_(static_cast<uint32_t>(k.size())) {
    if (!k.empty()) std::memcpy(bytes(), k.data(), k.size());
  }
  DictKey(const DictKey&) = delete;
  DictKey& operator=(const DictKey&) = delete;

  // Longer keys cannot be stored (Redis's proto-max-bulk-len defaults to 512 MB).
  static constexpr size_t kMaxSize = std::numeric_limits<uint32_t>::max();

  const char* data() const { return reinterpret_cast<const char*>(this) + sizeof(*this); }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  std::string_view view() const { return {data(), size_}; }
  operator std::string_view() const { return view(); }
  // An owned copy, so code written against a std::string key keeps compiling.
  operator std::string() const { return std::string(view()); }
  std::string_view substr(size_t pos, size_t n = std::string_view::npos) const {
    return view().substr(pos, n);
  }
  friend bool operator==(const DictKey& a, std::string_view b) { return a.view() == b; }

 private:
  char* bytes() { return reinterpret_cast<char*>(this) + sizeof(*this); }
  uint32_t size_;
};

template <typename V>
class Dict {
 public:
  // One allocation per entry: the value, the hash, the chain link and the key, whose bytes
  // follow the DictKey header in the same block (see make_entry).
  struct Entry {
    Entry(const Entry&) = delete;
    Entry& operator=(const Entry&) = delete;

    V value;
    const uint64_t hash;

   private:
    friend class Dict;
    struct Deleter {
      void operator()(Entry* e) const {
        e->~Entry();
        ::operator delete(e);
      }
    };
    using Owner = std::unique_ptr<Entry, Deleter>;

    template <typename... Args>
    Entry(std::string_view k, uint64_t h, Args&&... args)
        : value(std::forward<Args>(args)...), hash(h), key(k) {}
    // Frees the tail iteratively so destroying a long chain cannot overflow the stack.
    ~Entry() {
      while (next) next = std::move(next->next);
    }

    Owner next;

   public:
    const DictKey key;  // last: its bytes follow it
  };

  explicit Dict(uint64_t seed = default_dict_seed()) : seed_(seed) {}
  Dict(Dict&& other) noexcept { *this = std::move(other); }
  Dict& operator=(Dict&& other) noexcept {
    if (this != &other) {
      tables_[0] = std::exchange(other.tables_[0], Table{});
      tables_[1] = std::exchange(other.tables_[1], Table{});
      rehash_idx_ = std::exchange(other.rehash_idx_, 0);
      seed_ = other.seed_;
      resize_allowed_ = other.resize_allowed_;
    }
    return *this;
  }
  Dict(const Dict&) = delete;
  Dict& operator=(const Dict&) = delete;

  size_t size() const { return tables_[0].used + tables_[1].used; }
  bool empty() const { return size() == 0; }
  // Buckets of both tables while rehashing.
  size_t bucket_count() const { return tables_[0].bucket_count() + tables_[1].bucket_count(); }
  bool is_rehashing() const { return tables_[1].buckets != nullptr; }
  void clear() {
    tables_[0] = Table{};
    tables_[1] = Table{};
    rehash_idx_ = 0;
  }

  Entry* find(std::string_view key) {
    if (empty()) return nullptr;
    rehash_step(1);
    return lookup(key, hash_of(key));
  }
  // Does not advance a rehash, so it is safe inside for_each/scan callbacks.
  const Entry* find(std::string_view key) const {
    return empty() ? nullptr : lookup(key, hash_of(key));
  }

  // Inserts V(args...) under `key` unless the key exists; returns the entry and whether it was
  // inserted. Args are not used when the key exists.
  template <typename... Args>
  std::pair<Entry*, bool> try_emplace(std::string_view key, Args&&... args) {
    rehash_step(1);
    const uint64_t h = hash_of(key);
    if (Entry* e = lookup(key, h)) return {e, false};
    // A dict that was never filled (or was cleared) holds no bucket array.
    if (!tables_[0].buckets) start_resize(kMinBuckets);
    grow_if_needed();
    Table& t = tables_[is_rehashing() ? 1 : 0];
    Owner node = make_entry(key, h, std::forward<Args>(args)...);
    Owner& head = t.buckets[h & t.mask()];
    node->next = std::move(head);
    head = std::move(node);
    ++t.used;
    return {head.get(), true};
  }

  bool erase(std::string_view key) { return unlink(key, hash_of(key)) != nullptr; }
  // `e` must be a live entry of this dict.
  void erase(Entry* e) { unlink(e->key, e->hash); }
  // Removes `key` and returns its value.
  std::optional<V> take(std::string_view key) {
    Owner e = unlink(key, hash_of(key));
    if (!e) return std::nullopt;
    return std::optional<V>(std::move(e->value));
  }

  template <typename F>
  void for_each(F&& fn) {
    visit_all([&](Entry& e) { fn(e); });
  }
  template <typename F>
  void for_each(F&& fn) const {
    visit_all([&](Entry& e) { fn(std::as_const(e)); });
  }

  // A random entry (nullptr if empty). Entries in chains of up to kFairChain entries are equally
  // likely; entries in longer chains are somewhat less likely, but every entry can be returned.
  template <typename Rng>
  Entry* random_entry(Rng& rng) {
    if (empty()) return nullptr;
    rehash_step(1);
    // Buckets of tables_[0] below rehash_idx_ have been moved out, so never pick them.
    const size_t skipped = is_rehashing() ? rehash_idx_ : 0;
    const size_t live = bucket_count() - skipped;
    std::uniform_int_distribution<size_t> pick_bucket(0, live - 1);
    std::uniform_int_distribution<size_t> pick_fair(0, kFairChain - 1);
    for (size_t attempt = 0;; ++attempt) {
      const size_t slot = pick_bucket(rng);
      Entry* head = bucket_at(skipped + slot);
      const bool give_up = attempt >= kRandomTries;
      if (!head && !give_up) continue;
      // A very sparse table: walk to the next non-empty bucket rather than sample forever.
      for (size_t i = 1; !head; ++i) head = bucket_at(skipped + (slot + i) % live);
      size_t len = 0;
      for (Entry* e = head; e; e = e->next.get()) ++len;
      // Accepting a bucket with probability len / kFairChain cancels the bias toward entries
      // in short chains (picking a bucket, then one of its len entries).
      if (len < kFairChain && !give_up && pick_fair(rng) >= len) continue;
      for (size_t n = std::uniform_int_distribution<size_t>(0, len - 1)(rng); n > 0; --n) {
        head = head->next.get();
      }
      return head;
    }
  }
  // With a generator shared by all dicts of this type (not one per dict, to keep dicts small).
  Entry* random_entry() {
    static SplitMix64 rng{default_dict_seed()};
    return random_entry(rng);
  }

  // One SCAN step; see the guarantee at the top of the file. fn(Entry&) must not mutate the dict.
  template <typename F>
  uint64_t scan(uint64_t cursor, F&& fn) {
    return scan_impl(cursor, [&](Entry& e) { fn(e); });
  }
  template <typename F>
  uint64_t scan(uint64_t cursor, F&& fn) const {
    return scan_impl(cursor, [&](Entry& e) { fn(std::as_const(e)); });
  }

  // Moves up to n non-empty buckets (visiting at most 10n empty ones, like Redis) into the new
  // table. Returns whether a rehash is still in progress afterwards.
  bool rehash_step(size_t n) {
    if (!is_rehashing()) return false;
    Table& from = tables_[0];
    Table& to = tables_[1];
    size_t empty_visits = n > kMaxSize / 10 ? kMaxSize : n * 10;
    for (; n > 0 && from.used > 0; --n) {
      // from.used > 0 guarantees a non-empty bucket at or after rehash_idx_.
      while (!from.buckets[rehash_idx_]) {
        ++rehash_idx_;
        if (--empty_visits == 0) return true;
      }
      Owner& src = from.buckets[rehash_idx_++];
      while (src) {
        Owner e = std::move(src);
        src = std::move(e->next);
        Owner& dst = to.buckets[e->hash & to.mask()];
        e->next = std::move(dst);
        dst = std::move(e);
        --from.used;
        ++to.used;
      }
    }
    if (from.used > 0) return true;
    const bool shrunk = to.exp < from.exp;
    tables_[0] = std::exchange(tables_[1], Table{});
    rehash_idx_ = 0;
    // Inserts during a shrink may call for growth, and erases during it for more shrinking. A
    // finished grow is not re-checked for shrinking, so that it does not undo an expand().
    grow_if_needed();
    if (shrunk) shrink_if_needed();
    return is_rehashing();
  }
  // The cron's hook (Redis's tryResizeHashTables plus dictRehashMicroseconds): starts a resize
  // that is due, then rehashes in batches of 100 buckets for about `microseconds`. Returns
  // whether a rehash is still in progress.
  bool rehash_for(int64_t microseconds) {
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::microseconds(microseconds);
    resize_if_needed();
    while (rehash_step(100)) {
      if (std::chrono::steady_clock::now() >= deadline) return true;
    }
    return false;
  }

  // Sizes the table for n entries ahead of time (RESIZEDB, loading). Returns false, doing
  // nothing, while rehashing or if the table is already big enough. Throws std::bad_alloc if the
  // bucket array cannot be allocated, so callers should bound n.
  bool expand(size_t n) {
    if (is_rehashing() || n < size()) return false;
    if (tables_[0].buckets && exp_for(n) <= tables_[0].exp) return false;
    start_resize(n);
    return true;
  }
  // Bytes of the allocation holding an entry with a key of `key_size` bytes (memory accounting).
  static size_t entry_bytes(size_t key_size) {
    return std::max(sizeof(Entry), kKeyBytesOffset + key_size);
  }
  static size_t entry_bytes(const Entry& e) { return entry_bytes(e.key.size()); }

  // Off while a snapshot runs, to avoid touching memory; re-enabling starts a due resize.
  void set_resize_allowed(bool allowed) {
    resize_allowed_ = allowed;
    if (allowed) resize_if_needed();
  }

 private:
  static constexpr unsigned kMinExp = 2;
  static constexpr size_t kMinBuckets = size_t{1} << kMinExp;
  static constexpr size_t kMinFill = 8;           // shrink below 1/8 full
  static constexpr size_t kForceResizeRatio = 4;  // applies when resizing is not allowed
  static constexpr size_t kFairChain = 4;
  static constexpr size_t kRandomTries = 1000;
  static constexpr size_t kMaxSize = std::numeric_limits<size_t>::max();
  using Owner = typename Entry::Owner;
// Entry is not standard-layout (it has private members), which makes offsetof "conditionally
// supported"; GCC and Clang support it for classes without virtual bases.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Winvalid-offsetof"
  static constexpr size_t kKeyBytesOffset = offsetof(Entry, key) + sizeof(DictKey);
#pragma GCC diagnostic pop

  // 16 bytes: small hashtable-encoded collections each hold a Dict.
  struct Table {
    std::unique_ptr<Owner[]> buckets;
    size_t used : 58 = 0;
    size_t exp : 6 = 0;  // log2(bucket count), meaningful only with buckets
    uint64_t mask() const { return (uint64_t{1} << exp) - 1; }
    size_t bucket_count() const { return buckets ? mask() + 1 : 0; }
  };

  // Tiny generator for random_entry(): a mersenne twister would make every Dict 5 KB bigger.
  struct SplitMix64 {
    using result_type = uint64_t;
    static constexpr uint64_t min() { return 0; }
    static constexpr uint64_t max() { return std::numeric_limits<uint64_t>::max(); }
    uint64_t operator()() {
      uint64_t z = (state += 0x9e3779b97f4a7c15);
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
      z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
      return z ^ (z >> 31);
    }
    uint64_t state;
  };

  static uint64_t reverse_bits(uint64_t v) {
    v = ((v >> 1) & 0x5555555555555555) | ((v & 0x5555555555555555) << 1);
    v = ((v >> 2) & 0x3333333333333333) | ((v & 0x3333333333333333) << 2);
    v = ((v >> 4) & 0x0f0f0f0f0f0f0f0f) | ((v & 0x0f0f0f0f0f0f0f0f) << 4);
    return __builtin_bswap64(v);
  }
  // log2 of the bucket count for n entries; capped so the shift stays defined (allocating that
  // many buckets throws).
  static unsigned exp_for(size_t n) {
    if (n <= kMinBuckets) return kMinExp;
    return std::min(static_cast<unsigned>(std::bit_width(n - 1)), 63u);
  }
  static Table make_table(unsigned exp) {
    Table t;
    t.buckets = std::make_unique<Owner[]>(size_t{1} << exp);
    t.exp = exp;
    return t;
  }
  // End of the position interval of t's bucket containing `pos` (0 if it is the last bucket).
  static uint64_t interval_end(uint64_t pos, const Table& t) {
    return (pos | (~uint64_t{0} >> t.exp)) + 1;
  }

  uint64_t hash_of(std::string_view key) const {
    return XXH3_64bits_withSeed(key.data(), key.size(), seed_);
  }

  Entry* lookup(std::string_view key, uint64_t h) const {
    for (const Table& t : tables_) {
      if (!t.buckets) break;  // tables_[1] exists only while rehashing
      for (Entry* e = t.buckets[h & t.mask()].get(); e; e = e->next.get()) {
        if (e->hash == h && e->key == key) return e;
      }
    }
    return nullptr;
  }

  Owner unlink(std::string_view key, uint64_t h) {
    if (empty()) return nullptr;
    rehash_step(1);
    for (Table& t : tables_) {
      if (!t.buckets) break;
      for (Owner* link = &t.buckets[h & t.mask()]; *link; link = &(*link)->next) {
        if ((*link)->hash != h || (*link)->key != key) continue;
        Owner found = std::move(*link);
        *link = std::move(found->next);
        --t.used;
        shrink_if_needed();
        return found;
      }
    }
    return nullptr;
  }

  // Bucket i of tables_[0] followed by tables_[1].
  Entry* bucket_at(size_t i) const {
    const size_t n0 = tables_[0].bucket_count();
    return i < n0 ? tables_[0].buckets[i].get() : tables_[1].buckets[i - n0].get();
  }

  template <typename F>
  void visit_all(F&& fn) const {
    for (const Table& t : tables_) {
      for (size_t i = 0; i < t.bucket_count(); ++i) {
        for (Entry* e = t.buckets[i].get(); e; e = e->next.get()) fn(*e);
      }
    }
  }

  template <typename F>
  uint64_t scan_impl(uint64_t cursor, F&& fn) const {
    if (empty()) return 0;
    const uint64_t pos = reverse_bits(cursor);
    auto emit = [&](const Table& t, uint64_t at) {
      for (Entry* e = t.buckets[reverse_bits(at) & t.mask()].get(); e; e = e->next.get()) {
        if (reverse_bits(e->hash) >= pos) fn(*e);
      }
    };
    const Table* small = &tables_[0];
    const Table* large = is_rehashing() ? &tables_[1] : nullptr;
    if (large && large->exp < small->exp) std::swap(small, large);
    const uint64_t end = interval_end(pos, *small);
    emit(*small, pos);
    if (large) {
      // The large table's intervals nest inside the small one's, so q lands exactly on end.
      for (uint64_t q = pos; q != end; q = interval_end(q, *large)) emit(*large, q);
    }
    return reverse_bits(end);
  }

  void start_resize(size_t n) {
    const unsigned exp = exp_for(n);
    Table& t0 = tables_[0];
    if (t0.buckets && exp == t0.exp) return;
    if (!t0.buckets || t0.used == 0) {
      t0 = make_table(exp);  // nothing to move
    } else {
      tables_[1] = make_table(exp);
      rehash_idx_ = 0;
    }
  }
  void grow_if_needed() {
    const Table& t = tables_[0];
    if (is_rehashing() || !t.buckets) return;
    if (t.used >= t.bucket_count() &&
        (resize_allowed_ || t.used > kForceResizeRatio * t.bucket_count())) {
      start_resize(t.used + 1);
    }
  }
  void shrink_if_needed() {
    if (is_rehashing() || tables_[0].bucket_count() <= kMinBuckets) return;
    const size_t fill = tables_[0].used * kMinFill * (resize_allowed_ ? 1 : kForceResizeRatio);
    if (fill < tables_[0].bucket_count()) start_resize(tables_[0].used);
  }
  void resize_if_needed() {
    grow_if_needed();
    shrink_if_needed();
  }

  // An entry for `key` in one exact-size block: the Entry up to its DictKey header, then the key
  // bytes (which may start in the Entry's tail padding).
  template <typename... Args>
  static Owner make_entry(std::string_view key, uint64_t h, Args&&... args) {
    if (key.size() > DictKey::kMaxSize) throw std::length_error("key too long");
    void* block = ::operator new(entry_bytes(key.size()));
    try {
      return Owner(new (block) Entry(key, h, std::forward<Args>(args)...));
    } catch (...) {
      ::operator delete(block);
      throw;
    }
  }

  Table tables_[2];
  size_t rehash_idx_ = 0;  // next bucket of tables_[0] to move, while rehashing
  uint64_t seed_ = 0;
  bool resize_allowed_ = true;
};

}  // namespace tandem
