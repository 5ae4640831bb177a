#include "rdb/sink.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace tandem::rdb {

tl::expected<void, std::string> FdSink::write(std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd_, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return tl::unexpected(std::string(std::strerror(errno)));
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return {};
}

}  // namespace tandem::rdb
