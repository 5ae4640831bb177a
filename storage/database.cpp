#include "storage/database.h"

#include <time.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "storage/clock.h"

namespace tandem {
namespace {
// Redis's ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP and acceptable stale percentage.
constexpr size_t kSamplesPerLoop = 20;
constexpr size_t kAcceptableStalePercent = 10;

}  // namespace

bool Database::is_expired(std::string_view key, int64_t now_ms) const {
  if (expires_.empty()) return false;
  auto* e = expires_.find(key);
  return e && e->value < now_ms;
}

void Database::delete_expired(std::string_view key) {
  // The hook may use the key after we free it, so keep a copy until it has run.
  std::string copy(key);
  std::optional<Value> value = keys_.take(copy);
  expires_.erase(copy);
  if (value && policy_->on_drop) policy_->on_drop(std::move(*value), ExpiryPolicy::Drop::kExpired);
  ++policy_->expired_keys;
  if (policy_->on_expired) policy_->on_expired(index_, copy);
  modified(copy);
}

Database::Entry* Database::peek(std::string_view key, int64_t now_ms) {
  Entry* e = keys_.find(key);
  if (!e || !is_expired(key, now_ms)) return e;
  if (policy_->deletes()) delete_expired(key);
  return nullptr;
}

Database::Entry* Database::find(std::string_view key, int64_t now_ms) {
  Entry* e = peek(key, now_ms);
  if (e) e->value.touch(lru_clock(now_ms));
  return e;
}

// A value never accessed yet gets the current LRU clock, as Redis stamps objects it creates.
void Database::stamp_if_new(Value& value) {
  if (value.access_time() != 0) return;
  // A coarse clock is enough for one-second resolution and costs no syscall.
  timespec ts;
  clock_gettime(CLOCK_REALTIME_COARSE, &ts);
  value.touch(lru_clock(int64_t{ts.tv_sec} * 1000));
}

Database::Entry* Database::set(std::string_view key, Value value, bool keep_ttl) {
  stamp_if_new(value);
  auto [entry, inserted] = keys_.try_emplace(key, std::move(value));
  if (!inserted) {
    Value replaced = std::exchange(entry->value, std::move(value));
    if (policy_->on_drop) policy_->on_drop(std::move(replaced), ExpiryPolicy::Drop::kServerDel);
    if (!keep_ttl) expires_.erase(key);
  }
  if (policy_->on_set) policy_->on_set(index_, key);
  modified(key);
  return entry;
}

bool Database::add_loaded(std::string_view key, Value value, int64_t expire_ms) {
  stamp_if_new(value);
  auto [entry, inserted] = keys_.try_emplace(key, std::move(value));
  if (!inserted) return false;
  if (expire_ms != -1) expires_.try_emplace(key, expire_ms);
  return true;
}

void Database::reserve(uint64_t keys, uint64_t expires) {
  keys_.expand(std::min(keys, kMaxReserve));
  expires_.expand(std::min(expires, kMaxReserve));
}

bool Database::erase(std::string_view key, ExpiryPolicy::Drop why) {
  std::optional<Value> value = keys_.take(key);
  if (!value) return false;
  expires_.erase(key);
  if (policy_->on_drop) policy_->on_drop(std::move(*value), why);
  modified(key);
  return true;
}

std::optional<Value> Database::take(std::string_view key) {
  auto value = keys_.take(key);
  if (value) {
    expires_.erase(key);
    modified(key);
  }
  return value;
}

void Database::swap_contents(Database& other) {
  std::swap(keys_, other.keys_);
  std::swap(expires_, other.expires_);
  std::swap(expire_cursor_, other.expire_cursor_);
  std::swap(avg_ttl_, other.avg_ttl_);
}

void Database::clear() { detach_contents(); }

Database::Contents Database::detach_contents() {
  if (policy_->on_flush) policy_->on_flush(index_);
  Contents old;
  std::swap(old.keys, keys_);
  std::swap(old.expires, expires_);
  expire_cursor_ = 0;
  avg_ttl_ = 0;
  return old;
}

std::optional<int64_t> Database::expire_time(std::string_view key) const {
  auto* e = expires_.find(key);
  if (!e) return std::nullopt;
  return e->value;
}

void Database::set_expire(std::string_view key, int64_t when_ms) {
  auto [entry, inserted] = expires_.try_emplace(key, when_ms);
  if (!inserted) entry->value = when_ms;
  modified(key);
}

bool Database::persist(std::string_view key) {
  if (!expires_.erase(key)) return false;
  modified(key);
  return true;
}

void Database::modified(std::string_view key) {
  if (policy_->on_modified) policy_->on_modified(index_, key);
}

Database::Entry* Database::random_entry(int64_t now_ms) {
  // Like Redis, give up looking for a live key after a bounded number of tries, so a database
  // full of expired keys cannot stall the server; then return whatever we found last.
  Entry* e = nullptr;
  for (int tries = 0; tries < 100; ++tries) {
    e = keys_.random_entry();
    if (!e) return nullptr;
    if (!is_expired(e->key, now_ms)) return e;
    if (policy_->deletes()) {
      delete_expired(std::string(e->key));
      e = nullptr;
    }
  }
  return e;
}

size_t Database::active_expire(int64_t now_ms, int64_t deadline_ns) {
  size_t deleted = 0;
  std::vector<std::string> expired;
  for (int iteration = 0; !expires_.empty(); ++iteration) {
    size_t sampled = 0;
    int64_t ttl_sum = 0;
    size_t ttl_samples = 0;
    expired.clear();
    do {
      expire_cursor_ = expires_.scan(expire_cursor_, [&](Dict<int64_t>::Entry& e) {
        ++sampled;
        if (e.value < now_ms) {
          expired.emplace_back(e.key);
        } else {
          ttl_sum += e.value - now_ms;
          ++ttl_samples;
        }
      });
    } while (sampled < kSamplesPerLoop && expire_cursor_ != 0);
    if (policy_->deletes()) {
      for (const auto& key : expired) delete_expired(key);
      deleted += expired.size();
    }
    if (ttl_samples) {
      // Running average, weighted like Redis's (each run moves the estimate 2% of the way).
      int64_t sample_avg = ttl_sum / static_cast<int64_t>(ttl_samples);
      avg_ttl_ = avg_ttl_ == 0 ? sample_avg : (avg_ttl_ / 50) * 49 + sample_avg / 50;
    }
    if (sampled == 0 || expired.size() * 100 <= sampled * kAcceptableStalePercent) break;
    if (!policy_->deletes()) break;
    if ((iteration & 15) == 15 && monotonic_ns() > deadline_ns) break;
  }
  return deleted;
}

void Database::rehash_for(int64_t microseconds) {
  keys_.rehash_for(microseconds);
  expires_.rehash_for(microseconds);
}

}  // namespace tandem
