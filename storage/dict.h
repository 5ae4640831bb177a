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
//   stays valid across calls (rehash steps included, and moving the Dict) until that entry is
//   erased, the dict cleared or destroyed, or a snapshot is taken (see below).
// - Callbacks given to for_each and scan may read the dict but must not mutate it, nor write to
//   the entries they are given while a snapshot shares the dict.
//
// Point-in-time snapshots (DESIGN.md section 2). The bucket arrays are directories of
// fixed-size, reference-counted chunks of kChunkBuckets buckets (one smaller chunk for small
// tables), and entries are reference-counted nodes of persistent (shared-tail) chains: a node's
// count is the number of links to it (bucket slots in chunks, `next` pointers of other nodes),
// kept in the top byte of its hash word (DictHash), so an entry is no bigger than without it.
// snapshot() copies the directories and takes a reference on each chunk: O(buckets / 64), no
// entry is touched. From then on the live dict mutates a chunk or node in place only if it is
// exclusively its own, i.e. every count on the path from the directory to it is 1; otherwise
// it first copies the chunk (slot pointers, one count increment per entry) and the chain prefix
// up to the node (path copying), and drops its reference to the originals, which the snapshot
// keeps. Extra memory therefore grows with the chunks and nodes touched while a snapshot lives.
// Every mutable access copies on demand: find(), try_emplace() of an existing key and
// random_entry() return an Entry* the caller may write to, so they unshare it first (a node a
// caller only reads is copied too; the const find() does not copy). Rehash steps move only
// buckets whose chunk and nodes are exclusive and otherwise stall until the snapshot lets go
// (Redis likewise avoids rehashing while a fork child runs), so a rehash never copies entries.
// An Entry* obtained before a snapshot may, after it, point to the snapshot's copy: look the key
// up again.
//
// Shared copies. shared_copy() makes a second live Dict out of the same chunks and entries,
// exactly as snapshot() does, so it also costs O(buckets / 64): this is how a collection is
// copied on write (storage/collection.h) without copying its members. Both dicts then follow the
// rule above: each copies a chunk or node before writing it while the other still holds it, so
// each sees only its own writes, and the one that writes pays only for what it writes. A peer
// may live forever (COPY's destination), so a stalled rehash could wait forever and let chains
// grow without bound: a dict with set_rehash_copies_shared(true) (every collection's) instead
// copies a shared bucket when its rehash reaches it, which is one bucket per operation, like a
// write. The keyspace's dicts keep stalling: their peers are snapshots, which end.
//
// Threads. The Dict itself is single-threaded (the main thread). A Snapshot is read by one
// other thread at a time and may be released (or drained) on any thread. Synchronisation rule:
// a thread drops a reference with fetch_sub(acq_rel), and the main thread decides that a chunk
// or node is exclusive with an acquire load of its count == 1, walking from the directory; so
// every read the snapshot thread made of a chunk or node happens before the main thread writes
// to it, and the snapshot never sees a write: chunks and nodes reachable from it are never
// written while it holds them (it keeps their counts above 1 or is their only owner).
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
#include <atomic>
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
#include <type_traits>
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
class Dict;

// An entry's hash and its link count in one atomic word, so that counting links (see the file
// comment) costs an entry no memory: the hash is the key's 64-bit hash with its top 8 bits
// cleared (positions and bucket indexes use only these 56 bits), the count sits in the top 8
// bits. Counts stay far below 256: a node has at most one link from the live dict, one from
// each snapshot sharing it and one transient while it is copied. Reads as the hash.
class DictHash {
 public:
  static constexpr unsigned kLinkShift = 56;
  static constexpr uint64_t kHashMask = (uint64_t{1} << kLinkShift) - 1;
  static constexpr uint64_t kOneLink = uint64_t{1} << kLinkShift;

  explicit DictHash(uint64_t h) : word_((h & kHashMask) | kOneLink) {}
  DictHash(const DictHash&) = delete;
  DictHash& operator=(const DictHash&) = delete;
  operator uint64_t() const { return word_.load(std::memory_order_relaxed) & kHashMask; }

 private:
  template <typename>
  friend class Dict;
  mutable std::atomic<uint64_t> word_;
};
static_assert(sizeof(DictHash) == sizeof(uint64_t));

template <typename V>
class Dict {
 public:
  // One allocation per entry: the value, the hash (with the link count), the chain link and
  // the key, whose bytes follow the DictKey header in the same block (see make_entry).
  struct Entry {
    Entry(const Entry&) = delete;
    Entry& operator=(const Entry&) = delete;

    V value;
    const DictHash hash;  // reads as the 56-bit hash

   private:
    friend class Dict;
    template <typename... Args>
    Entry(std::string_view k, uint64_t h, Args&&... args)
        : value(std::forward<Args>(args)...), hash(h), key(k) {}
    ~Entry() = default;

    Entry* next = nullptr;  // one counted link

   public:
    const DictKey key;  // last: its bytes follow it
  };

 private:
  static constexpr unsigned kChunkExp = 6;  // kChunkBuckets buckets per directory chunk
  static constexpr size_t kChunkBuckets = size_t{1} << kChunkExp;
  static constexpr uint64_t kChunkMask = kChunkBuckets - 1;

  // A reference-counted run of bucket heads; the slots follow the header in its allocation.
  struct Chunk {
    std::atomic<uint32_t> refs{1};  // directories holding this chunk
    uint32_t size = 0;              // slots
    Entry** slots() { return reinterpret_cast<Entry**>(this + 1); }
    Entry* const* slots() const { return reinterpret_cast<Entry* const*>(this + 1); }
  };
  static_assert(sizeof(Chunk) == 8 && alignof(Chunk) <= alignof(Entry*));

  // A bucket array: a directory of chunks. 16 bytes: small hashtable-encoded collections each
  // hold a Dict. Releases its chunk references when destroyed.
  struct Table {
    Table() = default;
    Table(Table&& o) noexcept : dir(std::move(o.dir)), used(o.used), exp(o.exp) {
      o.used = 0;
      o.exp = 0;
    }
    Table& operator=(Table&& o) noexcept {
      if (this != &o) {
        reset();
        dir = std::move(o.dir);
        used = o.used;
        exp = o.exp;
        o.used = 0;
        o.exp = 0;
      }
      return *this;
    }
    ~Table() { reset(); }
    void reset() {
      if (dir) {
        for (size_t i = 0; i < chunk_count(); ++i) release_chunk(dir[i]);
      }
      dir.reset();
      used = 0;
      exp = 0;
    }

    std::unique_ptr<Chunk*[]> dir;
    size_t used : 58 = 0;
    size_t exp : 6 = 0;  // log2(bucket count), meaningful only with dir
    uint64_t mask() const { return (uint64_t{1} << exp) - 1; }
    size_t bucket_count() const { return dir ? mask() + 1 : 0; }
    size_t chunk_count() const { return exp > kChunkExp ? size_t{1} << (exp - kChunkExp) : 1; }
    Entry* head(uint64_t idx) const { return dir[idx >> kChunkExp]->slots()[idx & kChunkMask]; }
  };

 public:
  // A frozen view of the dict at the moment snapshot() was called: reads see exactly the entries
  // (keys and values) present then, whatever the dict does afterwards. Holds references, not
  // copies. Move-only; read it from one thread at a time; release it on any thread.
  class Snapshot {
   public:
    Snapshot() = default;
    Snapshot(Snapshot&&) noexcept = default;
    Snapshot& operator=(Snapshot&&) noexcept = default;

    size_t size() const { return tables_[0].used + tables_[1].used; }
    bool empty() const { return size() == 0; }
    const Entry* find(std::string_view key) const {
      if (empty()) return nullptr;
      return lookup_in(tables_, key, hash_with(seed_, key)).entry;
    }
    // fn(const Entry&) for every entry, in bucket order.
    template <typename F>
    void for_each(F&& fn) const {
      visit_tables(tables_, [&](Entry& e) { fn(std::as_const(e)); });
    }
    // for_each that drops each chunk once visited, so memory the live dict no longer shares is
    // freed as the walk goes; the snapshot is empty afterwards.
    template <typename F>
    void drain(F&& fn) {
      for (Table& t : tables_) {
        if (!t.dir) continue;
        for (size_t i = 0; i < t.chunk_count(); ++i) {
          Chunk* c = std::exchange(t.dir[i], nullptr);
          for (uint32_t s = 0; s < c->size; ++s) {
            for (const Entry* e = c->slots()[s]; e; e = e->next) fn(*e);
          }
          release_chunk(c);
        }
        t.reset();
      }
    }
    void reset() {
      tables_[0].reset();
      tables_[1].reset();
    }

   private:
    friend class Dict;
    Table tables_[2];
    uint64_t seed_ = 0;
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
      rehash_copies_shared_ = other.rehash_copies_shared_;
    }
    return *this;
  }
  Dict(const Dict&) = delete;
  Dict& operator=(const Dict&) = delete;

  size_t size() const { return tables_[0].used + tables_[1].used; }
  bool empty() const { return size() == 0; }
  // Buckets of both tables while rehashing.
  size_t bucket_count() const { return tables_[0].bucket_count() + tables_[1].bucket_count(); }
  bool is_rehashing() const { return tables_[1].dir != nullptr; }
  void clear() {
    tables_[0] = Table{};
    tables_[1] = Table{};
    rehash_idx_ = 0;
  }

  // A second dict holding the same entries, sharing every chunk and node with this one (see
  // "Shared copies" in the file comment). Reads this dict only (its counts are atomics), so it
  // may be called while a snapshot thread reads it.
  Dict shared_copy() const {
    static_assert(std::is_copy_constructible_v<V>, "shared copies copy shared entries on write");
    Dict copy(seed_);
    for (int i = 0; i < 2; ++i) copy.tables_[i] = share(tables_[i]);
    copy.rehash_idx_ = rehash_idx_;
    copy.resize_allowed_ = resize_allowed_;
    copy.rehash_copies_shared_ = rehash_copies_shared_;
    return copy;
  }
  // Whether a rehash copies the buckets it shares (true) or waits for them (false, the
  // default); see the file comment.
  void set_rehash_copies_shared(bool copies) { rehash_copies_shared_ = copies; }

  // Takes a point-in-time snapshot (see the file comment): copies the directories and takes a
  // reference on each chunk. Needs copyable values, since a later write copies shared nodes.
  Snapshot snapshot() {
    static_assert(std::is_copy_constructible_v<V>, "snapshots copy shared entries on write");
    Snapshot s;
    s.seed_ = seed_;
    for (int i = 0; i < 2; ++i) s.tables_[i] = share(tables_[i]);
    return s;
  }

  Entry* find(std::string_view key) {
    if (empty()) return nullptr;
    rehash_step(1);
    const uint64_t h = hash_of(key);
    Found f = lookup_in(tables_, key, h);
    return f.entry ? own(*f.table, h, f.entry) : nullptr;
  }
  // Does not advance a rehash nor copy shared nodes, so it is safe inside for_each/scan
  // callbacks.
  const Entry* find(std::string_view key) const {
    return empty() ? nullptr : lookup_in(tables_, key, hash_of(key)).entry;
  }

  // Inserts V(args...) under `key` unless the key exists; returns the entry and whether it was
  // inserted. Args are not used when the key exists.
  template <typename... Args>
  std::pair<Entry*, bool> try_emplace(std::string_view key, Args&&... args) {
    rehash_step(1);
    const uint64_t h = hash_of(key);
    Found f = lookup_in(tables_, key, h);
    if (f.entry) return {own(*f.table, h, f.entry), false};
    // A dict that was never filled (or was cleared) holds no bucket array.
    if (!tables_[0].dir) start_resize(kMinBuckets);
    grow_if_needed();
    Table& t = tables_[is_rehashing() ? 1 : 0];
    Entry* node = make_entry(key, h, std::forward<Args>(args)...);
    Entry** head = mutable_slot(t, h & t.mask());
    node->next = *head;  // the slot's link moves to the new node
    *head = node;
    ++t.used;
    return {node, true};
  }

  bool erase(std::string_view key) { return unlink(key, hash_of(key), nullptr); }
  // `e` must be a live entry of this dict.
  void erase(Entry* e) { unlink(e->key, e->hash, nullptr); }
  // Removes `key` and returns its value.
  std::optional<V> take(std::string_view key) {
    std::optional<V> out;
    unlink(key, hash_of(key), &out);
    return out;
  }

  template <typename F>
  void for_each(F&& fn) {
    visit_tables(tables_, [&](Entry& e) { fn(e); });
  }
  template <typename F>
  void for_each(F&& fn) const {
    visit_tables(tables_, [&](Entry& e) { fn(std::as_const(e)); });
  }

  // A random entry (nullptr if empty). Entries in chains of up to kFairChain entries are equally
  // likely; entries in longer chains are somewhat less likely, but every entry can be returned.
  template <typename Rng>
  Entry* random_entry(Rng& rng) {
    if (empty()) return nullptr;
    rehash_step(1);
    auto [index, e] = pick_random(rng);
    const size_t n0 = tables_[0].bucket_count();
    Table& t = tables_[index < n0 ? 0 : 1];
    return own(t, e->hash, e);
  }
  // The same for reading only (eviction's sampling): no rehash step and, unlike the mutable
  // lookups, no copy of a node a snapshot shares.
  const Entry* peek_random() const {
    if (empty()) return nullptr;
    static SplitMix64 rng{default_dict_seed()};
    return pick_random(rng).second;
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
  // table. Returns whether a rehash is still in progress afterwards. A bucket a snapshot still
  // shares is not moved: the rehash waits there (see the file comment).
  bool rehash_step(size_t n) {
    bool stalled = false;
    return rehash_buckets(n, stalled);
  }
  // The cron's hook (Redis's tryResizeHashTables plus dictRehashMicroseconds): starts a resize
  // that is due, then rehashes in batches of 100 buckets for about `microseconds`. Returns
  // whether a rehash is still in progress.
  bool rehash_for(int64_t microseconds) {
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::microseconds(microseconds);
    resize_if_needed();
    for (;;) {
      bool stalled = false;
      if (!rehash_buckets(100, stalled)) return false;
      if (stalled || std::chrono::steady_clock::now() >= deadline) return true;
    }
  }

  // Sizes the table for n entries ahead of time (RESIZEDB, loading). Returns false, doing
  // nothing, while rehashing or if the table is already big enough. Throws std::bad_alloc if the
  // bucket array cannot be allocated, so callers should bound n.
  bool expand(size_t n) {
    if (is_rehashing() || n < size()) return false;
    if (tables_[0].dir && exp_for(n) <= tables_[0].exp) return false;
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
// Entry is not standard-layout (it has private members), which makes offsetof "conditionally
// supported"; GCC and Clang support it for classes without virtual bases.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Winvalid-offsetof"
  static constexpr size_t kKeyBytesOffset = offsetof(Entry, key) + sizeof(DictKey);
#pragma GCC diagnostic pop

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

  struct Found {
    const Table* table = nullptr;
    Entry* entry = nullptr;
  };

  // --- Reference counting (the synchronisation rule is in the file comment). ---
  static bool exclusive(const Chunk* c) { return c->refs.load(std::memory_order_acquire) == 1; }
  static bool exclusive(const Entry* e) {
    return (e->hash.word_.load(std::memory_order_acquire) >> DictHash::kLinkShift) == 1;
  }
  static void add_link(Entry* e) {
    if (e) e->hash.word_.fetch_add(DictHash::kOneLink, std::memory_order_relaxed);
  }
  static void destroy_entry(Entry* e) {
    e->~Entry();
    ::operator delete(e);
  }
  // Drops one link to `e`, freeing it (and then its tail's link, iteratively) at zero.
  static void release_entry(Entry* e) {
    while (e && (e->hash.word_.fetch_sub(DictHash::kOneLink, std::memory_order_acq_rel) >>
                 DictHash::kLinkShift) == 1) {
      Entry* next = e->next;
      destroy_entry(e);
      e = next;
    }
  }
  static Chunk* make_chunk(size_t slots) {
    void* block = ::operator new(sizeof(Chunk) + slots * sizeof(Entry*));
    Chunk* c = new (block) Chunk;
    c->size = static_cast<uint32_t>(slots);
    std::uninitialized_value_construct_n(c->slots(), slots);
    return c;
  }
  static void release_chunk(Chunk* c) {
    if (!c || c->refs.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
    for (uint32_t i = 0; i < c->size; ++i) release_entry(c->slots()[i]);
    c->~Chunk();
    ::operator delete(c);
  }
  // Another directory's reference to every chunk of `t` (taking a snapshot).
  static Table share(const Table& t) {
    Table copy;
    if (!t.dir) return copy;
    copy.dir = std::make_unique<Chunk*[]>(t.chunk_count());
    for (size_t i = 0; i < t.chunk_count(); ++i) {
      t.dir[i]->refs.fetch_add(1, std::memory_order_relaxed);
      copy.dir[i] = t.dir[i];
    }
    copy.used = t.used;
    copy.exp = t.exp;
    return copy;
  }
  // Bucket idx of t, for writing: t's chunk is made exclusive first (a copy of its slots, each
  // slot's entry gaining a link).
  static Entry** mutable_slot(Table& t, uint64_t idx) {
    Chunk*& c = t.dir[idx >> kChunkExp];
    if (!exclusive(c)) {
      Chunk* copy = make_chunk(c->size);
      for (uint32_t i = 0; i < c->size; ++i) {
        Entry* e = c->slots()[i];
        add_link(e);
        copy->slots()[i] = e;
      }
      release_chunk(std::exchange(c, copy));
    }
    return &c->slots()[idx & kChunkMask];
  }
  static Entry* copy_entry(const Entry& e) {
    if constexpr (std::is_copy_constructible_v<V>) {
      Entry* copy = make_entry(e.key, e.hash, e.value);
      copy->next = e.next;
      add_link(e.next);
      return copy;
    } else {
      // Unreachable: nodes are shared only by snapshots, which need copyable values.
      std::abort();
    }
  }
  // Makes the chain of bucket h of t exclusive from its slot down to `target` (down to the
  // link to it when !through_target), copying what a snapshot shares; returns that link.
  static Entry** unshare(Table& t, uint64_t h, const Entry* target, bool through_target) {
    Entry** link = mutable_slot(t, h & t.mask());
    for (;;) {
      Entry* e = *link;
      const bool last = e == target;
      if (last && !through_target) return link;
      if (!exclusive(e)) {
        Entry* copy = copy_entry(*e);
        release_entry(e);
        *link = e = copy;
      }
      if (last) return link;
      link = &e->next;
    }
  }
  // `e` (in bucket h of t) made writable: itself, or its copy if a snapshot shares it.
  // random_entry's choice: the bucket index (across both tables) and the entry.
  template <typename Rng>
  std::pair<size_t, Entry*> pick_random(Rng& rng) const {
    // Buckets of tables_[0] below rehash_idx_ have been moved out, so never pick them.
    const size_t skipped = is_rehashing() ? rehash_idx_ : 0;
    const size_t live = bucket_count() - skipped;
    std::uniform_int_distribution<size_t> pick_bucket(0, live - 1);
    std::uniform_int_distribution<size_t> pick_fair(0, kFairChain - 1);
    for (size_t attempt = 0;; ++attempt) {
      size_t slot = pick_bucket(rng);
      Entry* head = bucket_at(skipped + slot);
      const bool give_up = attempt >= kRandomTries;
      if (!head && !give_up) continue;
      // A very sparse table: walk to the next non-empty bucket rather than sample forever.
      while (!head) {
        slot = (slot + 1) % live;
        head = bucket_at(skipped + slot);
      }
      size_t len = 0;
      for (Entry* e = head; e; e = e->next) ++len;
      // Accepting a bucket with probability len / kFairChain cancels the bias toward entries
      // in short chains (picking a bucket, then one of its len entries).
      if (len < kFairChain && !give_up && pick_fair(rng) >= len) continue;
      for (size_t n = std::uniform_int_distribution<size_t>(0, len - 1)(rng); n > 0; --n) {
        head = head->next;
      }
      return {skipped + slot, head};
    }
  }
  static Entry* own(const Table& ct, uint64_t h, Entry* e) {
    Table& t = const_cast<Table&>(ct);  // a table of this (non-const) dict
    const uint64_t idx = h & t.mask();
    bool owned = exclusive(t.dir[idx >> kChunkExp]);
    for (Entry* p = t.head(idx); owned; p = p->next) {
      owned = exclusive(p);
      if (p == e) break;
    }
    return owned ? e : *unshare(t, h, e, true);
  }

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
    t.exp = exp;
    const size_t chunks = t.chunk_count();
    t.dir = std::make_unique<Chunk*[]>(chunks);
    const size_t slots = std::min(size_t{1} << exp, kChunkBuckets);
    try {
      for (size_t i = 0; i < chunks; ++i) t.dir[i] = make_chunk(slots);
    } catch (...) {
      t.reset();  // releases the chunks made so far (null ones are skipped)
      throw;
    }
    return t;
  }
  // End of the position interval of t's bucket containing `pos` (0 if it is the last bucket).
  static uint64_t interval_end(uint64_t pos, const Table& t) {
    return (pos | (~uint64_t{0} >> t.exp)) + 1;
  }

  static uint64_t hash_with(uint64_t seed, std::string_view key) {
    return XXH3_64bits_withSeed(key.data(), key.size(), seed) & DictHash::kHashMask;
  }
  uint64_t hash_of(std::string_view key) const { return hash_with(seed_, key); }

  static Found lookup_in(const Table (&tables)[2], std::string_view key, uint64_t h) {
    for (const Table& t : tables) {
      if (!t.dir) break;  // tables[1] exists only while rehashing
      for (Entry* e = t.head(h & t.mask()); e; e = e->next) {
        if (e->hash == h && e->key == key) return {&t, e};
      }
    }
    return {};
  }

  // Unlinks `key`; moves its value into *taken when given. Returns whether it was found.
  bool unlink(std::string_view key, uint64_t h, std::optional<V>* taken) {
    if (empty()) return false;
    rehash_step(1);
    Found f = lookup_in(tables_, key, h);
    if (!f.entry) return false;
    Table& t = const_cast<Table&>(*f.table);
    // Taking the value needs the node itself exclusive; erasing needs only the link to it.
    Entry** link = unshare(t, h, f.entry, taken != nullptr);
    Entry* e = *link;
    if (taken) taken->emplace(std::move(e->value));
    add_link(e->next);
    *link = e->next;
    release_entry(e);  // frees it unless a snapshot still holds it
    --t.used;
    shrink_if_needed();
    return true;
  }

  // Bucket i of tables_[0] followed by tables_[1].
  Entry* bucket_at(size_t i) const {
    const size_t n0 = tables_[0].bucket_count();
    return i < n0 ? tables_[0].head(i) : tables_[1].head(i - n0);
  }

  template <typename F>
  static void visit_tables(const Table (&tables)[2], F&& fn) {
    for (const Table& t : tables) {
      if (!t.dir) continue;
      for (size_t c = 0; c < t.chunk_count(); ++c) {
        const Chunk* chunk = t.dir[c];
        for (uint32_t i = 0; i < chunk->size; ++i) {
          for (Entry* e = chunk->slots()[i]; e; e = e->next) fn(*e);
        }
      }
    }
  }

  template <typename F>
  uint64_t scan_impl(uint64_t cursor, F&& fn) const {
    if (empty()) return 0;
    const uint64_t pos = reverse_bits(cursor);
    auto emit = [&](const Table& t, uint64_t at) {
      for (Entry* e = t.head(reverse_bits(at) & t.mask()); e; e = e->next) {
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

  // rehash_step's body; sets `stalled` when a bucket a snapshot shares stopped it.
  bool rehash_buckets(size_t n, bool& stalled) {
    if (!is_rehashing()) return false;
    Table& from = tables_[0];
    Table& to = tables_[1];
    size_t empty_visits = n > kMaxSize / 10 ? kMaxSize : n * 10;
    for (; n > 0 && from.used > 0; --n) {
      // from.used > 0 guarantees a non-empty bucket at or after rehash_idx_.
      while (!from.head(rehash_idx_)) {
        ++rehash_idx_;
        if (--empty_visits == 0) return true;
      }
      Chunk* chunk = from.dir[rehash_idx_ >> kChunkExp];
      Entry* last = chunk->slots()[rehash_idx_ & kChunkMask];
      bool movable = exclusive(chunk);
      for (Entry* e = last; movable && e; e = e->next) {
        movable = exclusive(e);
        last = e;
      }
      if (!movable && !rehash_copies_shared_) {
        stalled = true;
        return true;
      }
      if (!movable) {
        while (last->next) last = last->next;
        unshare(from, last->hash, last, true);  // the whole chain, as a write to its tail would
      }
      Entry** src = &from.dir[rehash_idx_ >> kChunkExp]->slots()[rehash_idx_ & kChunkMask];
      ++rehash_idx_;
      // Every link moves with its node: the slot's to the first node, and so on.
      for (Entry* e = std::exchange(*src, nullptr); e;) {
        Entry* next = e->next;
        Entry** dst = mutable_slot(to, e->hash & to.mask());
        e->next = *dst;
        *dst = e;
        --from.used;
        ++to.used;
        e = next;
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

  void start_resize(size_t n) {
    const unsigned exp = exp_for(n);
    Table& t0 = tables_[0];
    if (t0.dir && exp == t0.exp) return;
    if (!t0.dir || t0.used == 0) {
      t0 = make_table(exp);  // nothing to move
    } else {
      tables_[1] = make_table(exp);
      rehash_idx_ = 0;
    }
  }
  void grow_if_needed() {
    const Table& t = tables_[0];
    if (is_rehashing() || !t.dir) return;
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
  // bytes (which may start in the Entry's tail padding). Owned through its links (see
  // release_entry), hence the manual allocation.
  template <typename... Args>
  static Entry* make_entry(std::string_view key, uint64_t h, Args&&... args) {
    if (key.size() > DictKey::kMaxSize) throw std::length_error("key too long");
    void* block = ::operator new(entry_bytes(key.size()));
    try {
      return new (block) Entry(key, h, std::forward<Args>(args)...);
    } catch (...) {
      ::operator delete(block);
      throw;
    }
  }

  Table tables_[2];
  size_t rehash_idx_ = 0;  // next bucket of tables_[0] to move, while rehashing
  uint64_t seed_ = 0;
  bool resize_allowed_ = true;
  bool rehash_copies_shared_ = false;
};

}  // namespace tandem
