// Where the encoder's bytes go: a file now, a replica's socket later (diskless sync). A sink only
// moves bytes; the encoder buffers and checksums them.
#pragma once

#include <string>
#include <string_view>

#include "tl/expected.hpp"

namespace tandem::rdb {

class Sink {
 public:
  virtual ~Sink() = default;
  // Writes all of `data` or fails with a description of why.
  virtual tl::expected<void, std::string> write(std::string_view data) = 0;
};

// Collects the bytes in memory (DUMP payloads, tests).
class StringSink final : public Sink {
 public:
  tl::expected<void, std::string> write(std::string_view data) override {
    out_.append(data);
    return {};
  }
  std::string& str() { return out_; }

 private:
  std::string out_;
};

// Writes to an open file descriptor it does not own.
class FdSink final : public Sink {
 public:
  explicit FdSink(int fd) : fd_(fd) {}
  tl::expected<void, std::string> write(std::string_view data) override;

 private:
  int fd_;
};

}  // namespace tandem::rdb
