// WATCH's registry (Redis 7.0's multi.c): which clients watch which keys of which database, so
// that a write to a watched key makes those clients' next EXEC fail.
//
// Each client owns a WatchState (in its MultiState, server/multi_state.h): the keys it watches
// in WATCH order and `dirty`, Redis's CLIENT_DIRTY_CAS. The registry indexes the same watches by
// database and key. Invariant: a WatchState is listed under (db, key) here iff its `keys` hold
// (db, key), exactly once; unwatch_all() removes both sides, and must run before a WatchState
// is destroyed (Server::remove_client does it for a disconnecting client).
//
// Who calls what:
// - every write reaches touch(): the storage hooks for stored, deleted, expired and re-TTLed
//   keys (storage/database.h), CommandContext::signal_modified_key() for in-place edits;
// - FLUSHDB/FLUSHALL reach touch_all_in() before the database is emptied, SWAPDB reaches it for
//   each side, naming the database whose contents replace it;
// - EXEC asks any_expired(): a key live at WATCH time that expired since counts as modified.
//
// A key already logically expired when it was watched is remembered as such: deleting it (lazy
// or active expiry, DEL, a flush) changes nothing a client could see and only clears the mark,
// as Redis 7.0 does; storing a live value under it again is a modification.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace tandem {

class Keyspace;

struct WatchedKey {
  int db;
  std::string key;
  bool expired;  // logically expired when WATCHed
};

struct WatchState {
  std::vector<WatchedKey> keys;
  bool dirty = false;  // a watched key was modified: EXEC must fail
};

class WatchedKeys {
 public:
  explicit WatchedKeys(Keyspace& keyspace) : keyspace_(keyspace) {}
  WatchedKeys(const WatchedKeys&) = delete;
  WatchedKeys& operator=(const WatchedKeys&) = delete;

  // WATCH of one key; watching the same (db, key) twice is a no-op.
  void watch(WatchState& watcher, int db, std::string_view key, int64_t now_ms);
  // Forgets every key of `watcher` (its dirty flag is the caller's to clear).
  void unwatch_all(WatchState& watcher);

  // (db, key) was modified: its watchers become dirty and stop watching (nothing can undo it).
  void touch(int db, std::string_view key);
  // Database `db` is about to be emptied (`replaced_with` < 0) or to take the contents of database
  // `replaced_with` (SWAPDB): watchers of keys it holds, or that the replacement holds, become
  // dirty, as Redis 7.0's touchAllWatchedKeysInDb. Call it before the contents change.
  void touch_all_in(int db, int replaced_with = -1);
  // Whether a key that was live when watched has logically expired by `now_ms`.
  bool any_expired(const WatchState& watcher, int64_t now_ms) const;

  // Number of (client, key) watches, for tests.
  size_t size() const { return size_; }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using Watchers = std::unordered_map<std::string, std::vector<WatchState*>, Hash, std::equal_to<>>;

  bool expired(int db, std::string_view key, int64_t now_ms) const;
  static WatchedKey* find(WatchState& watcher, int db, std::string_view key);

  Keyspace& keyspace_;
  std::vector<Watchers> by_db_;  // index: db, grown on demand
  size_t size_ = 0;
};

}  // namespace tandem
