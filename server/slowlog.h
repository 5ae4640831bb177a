// The slow log (SLOWLOG GET/LEN/RESET): the most recent commands whose execution took at least
// slowlog-log-slower-than microseconds, newest first, at most slowlog-max-len of them.
//
// Entries keep copies of what Redis keeps: at most 32 arguments (the 32nd slot then says how many
// were left out) and at most 128 bytes of each (with "... (N more bytes)" appended), so a huge
// command cannot make the log huge. Ids grow for the life of the server; RESET does not restart
// them. Main thread only.
#pragma once

#include <cstdint>
#include <deque>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tandem {

struct SlowLogEntry {
  uint64_t id = 0;
  int64_t time_seconds = 0;  // unix time the command ran
  int64_t duration_us = 0;
  std::vector<std::string> args;
  std::string client_addr;
  std::string client_name;
};

class SlowLog {
 public:
  static constexpr size_t kMaxArgs = 32;
  static constexpr size_t kMaxArgBytes = 128;

  // Adds an entry (args already redacted by the caller) and trims the log to `max_len`.
  void push(std::span<const std::string_view> args, int64_t duration_us, int64_t time_seconds,
            std::string_view client_addr, std::string_view client_name, int64_t max_len);
  // Drops the oldest entries past `max_len` (CONFIG SET slowlog-max-len shrinks the log lazily,
  // on the next push, as in Redis).
  void trim(int64_t max_len);
  void reset() { entries_.clear(); }

  size_t size() const { return entries_.size(); }
  // Newest first.
  const std::deque<SlowLogEntry>& entries() const { return entries_; }

 private:
  std::deque<SlowLogEntry> entries_;
  uint64_t next_id_ = 0;
};

}  // namespace tandem
