#include "server/slowlog.h"

#include "fmt/format.h"

namespace tandem {

void SlowLog::push(std::span<const std::string_view> args, int64_t duration_us,
                   int64_t time_seconds, std::string_view client_addr, std::string_view client_name,
                   int64_t max_len) {
  SlowLogEntry entry;
  entry.id = next_id_++;
  entry.time_seconds = time_seconds;
  entry.duration_us = duration_us;
  entry.client_addr = client_addr;
  entry.client_name = client_name;
  size_t kept = std::min(args.size(), kMaxArgs);
  entry.args.reserve(kept);
  for (size_t i = 0; i < kept; ++i) {
    if (kept != args.size() && i == kMaxArgs - 1) {
      entry.args.push_back(fmt::format("... ({} more arguments)", args.size() - kMaxArgs + 1));
      break;
    }
    std::string_view arg = args[i];
    if (arg.size() > kMaxArgBytes) {
      entry.args.push_back(fmt::format("{}... ({} more bytes)", arg.substr(0, kMaxArgBytes),
                                       arg.size() - kMaxArgBytes));
    } else {
      entry.args.emplace_back(arg);
    }
  }
  entries_.push_front(std::move(entry));
  trim(max_len);
}

void SlowLog::trim(int64_t max_len) {
  size_t limit = max_len < 0 ? 0 : static_cast<size_t>(max_len);
  while (entries_.size() > limit) entries_.pop_back();
}

}  // namespace tandem
