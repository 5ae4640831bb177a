#include "replication/sync_payload.h"

#include <charconv>

#include "fmt/format.h"

namespace tandem {

tl::expected<SyncPayload, std::string> SyncPayload::parse_header(std::string_view line) {
  if (!line.empty() && line[0] == '-') {
    return tl::unexpected(
        fmt::format("MASTER aborted replication with an error: {}", line.substr(1)));
  }
  if (line.empty() || line[0] != '$') {
    return tl::unexpected(fmt::format(
        "Bad protocol from MASTER, the first byte is not '$' (we received '{}'), are you sure "
        "the host and port are right?",
        line));
  }
  SyncPayload payload;
  std::string_view rest = line.substr(1);
  if (rest.starts_with("EOF:") && rest.size() >= 4 + kMarkLength) {
    payload.mark_ = std::string(rest.substr(4, kMarkLength));
    return payload;
  }
  int64_t size = -1;
  auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), size);
  if (ec != std::errc() || end != rest.data() + rest.size() || size < 0) {
    return tl::unexpected(fmt::format("Bad payload length from MASTER: '{}'", line));
  }
  payload.size_ = size;
  payload.done_ = size == 0;
  return payload;
}

size_t SyncPayload::take(std::string_view data) {
  if (done_) return 0;
  if (!diskless()) {
    size_t n = static_cast<size_t>(std::min<int64_t>(size_ - received_, data.size()));
    received_ += static_cast<int64_t>(n);
    done_ = received_ == size_;
    return n;
  }
  // Look for the mark in what was kept of the previous chunk followed by this one.
  std::string window = tail_;
  window.append(data);
  size_t found = window.find(mark_);
  if (found != std::string::npos) {
    size_t n = found + kMarkLength - tail_.size();
    received_ += static_cast<int64_t>(n);
    done_ = true;
    return n;
  }
  received_ += static_cast<int64_t>(data.size());
  size_t keep = std::min(window.size(), kMarkLength - 1);
  tail_ = window.substr(window.size() - keep);
  return data.size();
}

}  // namespace tandem
