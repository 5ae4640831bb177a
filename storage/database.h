// One numbered database: keys to values, plus the absolute expiry time of keys that have a TTL.
//
// Expiry follows Redis: a key is logically gone from the millisecond after its expiry time.
// Lookups meet expired keys lazily and, where the policy allows (a master), delete them and report
// the deletion so it can be propagated as DEL; a replica only hides them and waits for its
// master's DEL. The active cycle samples keys that have a TTL and deletes the expired ones so
// memory does not fill with dead keys nobody reads.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>

#include "storage/dict.h"
#include "storage/value.h"

namespace tandem {

struct ExpiryPolicy {
  bool delete_expired = true;  // false on a replica
  // CLIENT PAUSE: expired keys stay hidden from readers but are deleted only once the pause
  // ends, so a failover during the pause finds the dataset unchanged (Redis 7.0).
  bool paused = false;
  bool deletes() const { return delete_expired && !paused; }
  std::function<void(int db, std::string_view key)> on_expired;
  // Called after set() stores a key: a key clients may be blocked on (BLPOP & co.) was created
  // or replaced, as Redis's dbAdd signals it ready.
  std::function<void(int db, std::string_view key)> on_set;
  // Called after a key is stored, deleted, taken, expired or has its TTL changed (WATCH,
  // server/watched_keys.h). Commands that edit a value in place signal it themselves.
  std::function<void(int db, std::string_view key)> on_modified;
  // Called by clear() before it empties the database, while the keys can still be looked at.
  std::function<void(int db)> on_flush;
  // Given the values the database drops: an expired key's (kExpired) and those set() replaces
  // or erase() deletes (kServerDel, Redis's dbDelete). Whatever it leaves in the value is freed
  // on return; the server may take a large one off to its lazy-free thread instead
  // (lazyfree-lazy-expire, lazyfree-lazy-server-del).
  enum class Drop : uint8_t { kExpired, kServerDel };
  std::function<void(Value&& value, Drop why)> on_drop;
  uint64_t expired_keys = 0;
};

// Redis's LRU clock: seconds, wrapping at 24 bits. Value::access_time() holds a reading of it.
inline constexpr uint32_t kLruClockMax = (1u << 24) - 1;
inline uint32_t lru_clock(int64_t now_ms) {
  return static_cast<uint32_t>(now_ms / 1000) & kLruClockMax;
}
// Seconds since `value` was last accessed, allowing for one wrap of the clock (OBJECT IDLETIME).
inline int64_t idle_seconds(const Value& value, int64_t now_ms) {
  uint32_t now = lru_clock(now_ms);
  uint32_t then = value.access_time() & kLruClockMax;
  return now >= then ? now - then : now + (kLruClockMax - then);
}
// The access time of a value idle for `idle` seconds (RESTORE IDLETIME, an RDB's IDLE opcode),
// as Redis's objectSetLRUOrLFU computes it, wrap included.
inline uint32_t backdated_access_time(int64_t now_ms, int64_t idle) {
  int64_t now = lru_clock(now_ms);
  int64_t then = now - idle;
  if (then < 0) then = (now + kLruClockMax / 2) % kLruClockMax;
  return static_cast<uint32_t>(then);
}

class Database {
 public:
  using Entry = Dict<Value>::Entry;

  Database(int index, ExpiryPolicy* policy) : index_(index), policy_(policy) {}

  int index() const { return index_; }
  size_t size() const { return keys_.size(); }
  size_t expires_count() const { return expires_.size(); }
  int64_t avg_ttl() const { return avg_ttl_; }

  // The live entry for `key`, or nullptr if it is missing or logically expired. find() marks the
  // value accessed (Redis's lookupKey); peek() does not (LOOKUP_NOTOUCH: TYPE, TTL, OBJECT...).
  Entry* find(std::string_view key, int64_t now_ms);
  Entry* peek(std::string_view key, int64_t now_ms);
  bool exists(std::string_view key, int64_t now_ms) { return peek(key, now_ms) != nullptr; }
  // Whether the key is stored at all, even logically expired; never deletes (Redis's dictFind).
  bool holds(std::string_view key) const { return keys_.find(key) != nullptr; }
  // Stores `value`, replacing any old one; the TTL is dropped unless keep_ttl. A value never
  // accessed yet (access_time() == 0) is stamped with the current LRU clock, as Redis stamps
  // objects when it creates them.
  Entry* set(std::string_view key, Value value, bool keep_ttl = false);
  // Deletes `key` (false if absent), its value going through on_drop as `why`; DEL, which
  // follows lazyfree-lazy-user-del instead, take()s the value.
  bool erase(std::string_view key, ExpiryPolicy::Drop why = ExpiryPolicy::Drop::kServerDel);
  std::optional<Value> take(std::string_view key);
  // Loading (RDB files, full sync) into a database nobody serves yet: stores a key that must not
  // exist, with its expiry (-1: none), in one hash lookup; false if the key is already there.
  // No hooks run.
  bool add_loaded(std::string_view key, Value value, int64_t expire_ms);
  // RESIZEDB: sizes the tables for this many keys (and keys with a TTL) before loading them, so
  // the load never rehashes. Sizes beyond kMaxReserve grow incrementally instead, so a hostile
  // file cannot make us allocate huge tables up front.
  void reserve(uint64_t keys, uint64_t expires);
  static constexpr uint64_t kMaxReserve = uint64_t{1} << 24;
  void clear();
  // As clear(), but the old keys and expiries go to the caller, to be freed elsewhere
  // (FLUSHALL ASYNC frees them on another thread).
  struct Contents {
    Dict<Value> keys;
    Dict<int64_t> expires;
  };
  Contents detach_contents();
  // SWAPDB: exchanges the keys, expiries and expiry statistics with `other`; each keeps its index
  // (clients stay in the database they selected, blocked and watching clients too).
  void swap_contents(Database& other);

  // A point-in-time view of the keys and their expiry times (Dict::Snapshot): cheap to take
  // (no entry is copied), readable from another thread while this database goes on changing.
  struct Snapshot {
    Dict<Value>::Snapshot keys;
    Dict<int64_t>::Snapshot expires;
  };
  Snapshot snapshot() { return {keys_.snapshot(), expires_.snapshot()}; }

  std::optional<int64_t> expire_time(std::string_view key) const;
  void set_expire(std::string_view key, int64_t when_ms);
  bool persist(std::string_view key);

  // Visits live entries bucket by bucket (see Dict::scan for the guarantees).
  template <typename F>
  uint64_t scan(uint64_t cursor, int64_t now_ms, F&& fn) {
    return keys_.scan(cursor, [&](Entry& e) {
      if (!is_expired(e.key, now_ms)) fn(e);
    });
  }
  // The same, expired entries included (SCAN deletes those it meets, as Redis).
  template <typename F>
  uint64_t scan_stored(uint64_t cursor, F&& fn) {
    return keys_.scan(cursor, fn);
  }
  template <typename F>
  void for_each(F&& fn) {
    keys_.for_each(fn);
  }
  // A random live key, or nullptr.
  Entry* random_entry(int64_t now_ms);

  // One slice of active expiry: deletes expired keys among sampled ones until few are stale or
  // `deadline_ns` (CLOCK_MONOTONIC) passes. Returns the number of keys deleted.
  size_t active_expire(int64_t now_ms, int64_t deadline_ns);
  // Lets a cron finish the incremental rehash of idle tables.
  void rehash_for(int64_t microseconds);

 private:
  bool is_expired(std::string_view key, int64_t now_ms) const;
  void delete_expired(std::string_view key);
  void modified(std::string_view key);
  static void stamp_if_new(Value& value);

  int index_;
  ExpiryPolicy* policy_;
  Dict<Value> keys_;
  Dict<int64_t> expires_;
  uint64_t expire_cursor_ = 0;
  int64_t avg_ttl_ = 0;
};

}  // namespace tandem
