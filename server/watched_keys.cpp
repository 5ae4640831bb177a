#include "server/watched_keys.h"

#include <algorithm>

#include "storage/clock.h"
#include "storage/keyspace.h"

namespace tandem {

bool WatchedKeys::expired(int db, std::string_view key, int64_t now_ms) const {
  auto when = keyspace_.db(db).expire_time(key);
  return when && *when < now_ms;
}

WatchedKey* WatchedKeys::find(WatchState& watcher, int db, std::string_view key) {
  for (WatchedKey& wk : watcher.keys) {
    if (wk.db == db && wk.key == key) return &wk;
  }
  return nullptr;
}

void WatchedKeys::watch(WatchState& watcher, int db, std::string_view key, int64_t now_ms) {
  if (find(watcher, db, key)) return;
  if (by_db_.size() <= static_cast<size_t>(db)) by_db_.resize(db + 1);
  Watchers& watchers = by_db_[db];
  auto it = watchers.find(key);
  if (it == watchers.end())
    it = watchers.emplace(std::string(key), std::vector<WatchState*>()).first;
  it->second.push_back(&watcher);
  watcher.keys.push_back({db, std::string(key), expired(db, key, now_ms)});
  ++size_;
}

void WatchedKeys::unwatch_all(WatchState& watcher) {
  for (const WatchedKey& wk : watcher.keys) {
    Watchers& watchers = by_db_[wk.db];
    auto it = watchers.find(wk.key);
    std::erase(it->second, &watcher);
    if (it->second.empty()) watchers.erase(it);
    --size_;
  }
  watcher.keys.clear();
}

void WatchedKeys::touch(int db, std::string_view key) {
  if (size_ == 0 || by_db_.size() <= static_cast<size_t>(db)) return;
  Watchers& watchers = by_db_[db];
  auto it = watchers.find(key);
  if (it == watchers.end()) return;
  std::vector<WatchState*> dirtied;
  for (WatchState* watcher : it->second) {
    WatchedKey* wk = find(*watcher, db, key);
    if (wk->expired) {
      // Watched when already expired: its deletion is no change, and neither is anything that
      // leaves it expired. Only a live value stored under it again counts.
      if (!keyspace_.db(db).holds(key)) {
        wk->expired = false;
        continue;
      }
      if (expired(db, key, unix_time_ms())) continue;
    }
    dirtied.push_back(watcher);
  }
  // Unwatching edits the list iterated above, hence the second pass.
  for (WatchState* watcher : dirtied) {
    watcher->dirty = true;
    unwatch_all(*watcher);
  }
}

void WatchedKeys::touch_all_in(int db, int replaced_with) {
  if (size_ == 0 || by_db_.size() <= static_cast<size_t>(db)) return;
  const Database& emptied = keyspace_.db(db);
  const Database* replacement = replaced_with >= 0 ? &keyspace_.db(replaced_with) : nullptr;
  int64_t now_ms = unix_time_ms();
  for (auto& [key, watchers] : by_db_[db]) {
    bool in_emptied = emptied.holds(key);
    bool in_replacement = replacement && replacement->holds(key);
    if (!in_emptied && !in_replacement) continue;
    bool replacement_expired = in_replacement && expired(replaced_with, key, now_ms);
    for (WatchState* watcher : watchers) {
      WatchedKey* wk = find(*watcher, db, key);
      if (wk->expired) {
        if (!in_replacement) {
          wk->expired = false;  // an expired key went away: no change
          continue;
        }
        if (replacement_expired) continue;  // still expired
      } else if (!in_emptied && replacement_expired) {
        wk->expired = true;  // a missing key replaced by an expired one: no change either
        continue;
      }
      watcher->dirty = true;
    }
  }
}

bool WatchedKeys::any_expired(const WatchState& watcher, int64_t now_ms) const {
  return std::any_of(watcher.keys.begin(), watcher.keys.end(), [&](const WatchedKey& wk) {
    return !wk.expired && expired(wk.db, wk.key, now_ms);
  });
}

}  // namespace tandem
