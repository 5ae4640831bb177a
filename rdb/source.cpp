#include "rdb/source.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace tandem::rdb {

tl::expected<size_t, std::string> StringSource::read(char* dst, size_t max) {
  size_t n = std::min(max, data_.size());
  std::memcpy(dst, data_.data(), n);
  data_.remove_prefix(n);
  return n;
}

tl::expected<size_t, std::string> FdSource::read(char* dst, size_t max) {
  for (;;) {
    ssize_t n = ::read(fd_, dst, max);
    if (n >= 0) return static_cast<size_t>(n);
    if (errno != EINTR) return tl::unexpected(std::string(std::strerror(errno)));
  }
}

}  // namespace tandem::rdb
