#include "server/command_stats.h"

namespace tandem {

void ErrorStats::record(std::string_view message) {
  ++total_;
  ++lifetime_total_;
  if (capture_) capture_->emplace_back(message);
  // Redis's afterErrorReply: the code is the text before the first space within 32 bytes.
  size_t space = message.substr(0, 32).find(' ');
  std::string_view code = space == std::string_view::npos ? "ERR" : message.substr(0, space);
  auto it = by_code_.find(code);
  if (it != by_code_.end()) {
    ++it->second;
  } else if (by_code_.size() < kMaxCodes) {
    by_code_.emplace(code, 1);
  }
}

}  // namespace tandem
