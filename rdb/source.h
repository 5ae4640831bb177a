// Where the decoder's bytes come from, in pieces of any size: a file now, a master's socket later
// (a replica loads while it receives). The decoder never needs the whole input in memory.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "tl/expected.hpp"

namespace tandem::rdb {

class Source {
 public:
  virtual ~Source() = default;
  // Reads up to `max` bytes into `dst`: the count read, 0 at the end of the input.
  virtual tl::expected<size_t, std::string> read(char* dst, size_t max) = 0;
};

// Bytes held in memory (RESTORE payloads, tests). Does not own them.
class StringSource final : public Source {
 public:
  explicit StringSource(std::string_view data) : data_(data) {}
  tl::expected<size_t, std::string> read(char* dst, size_t max) override;

 private:
  std::string_view data_;
};

// An open file descriptor it does not own.
class FdSource final : public Source {
 public:
  explicit FdSource(int fd) : fd_(fd) {}
  tl::expected<size_t, std::string> read(char* dst, size_t max) override;

 private:
  int fd_;
};

}  // namespace tandem::rdb
