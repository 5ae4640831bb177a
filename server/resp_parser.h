// Incremental parser for client requests: RESP multibulk arrays and inline commands.
//
// The caller keeps the unconsumed input in one contiguous buffer and calls parse() with it,
// beginning at the first byte of the command being parsed. Arguments come back as views into
// that buffer, valid until the caller consumes or moves it. A partially received multibulk keeps
// its progress (as offsets, so the buffer may grow or move between calls), which keeps a huge
// command arriving in small pieces linear rather than quadratic.
//
// Limits and error texts are Redis 7.0's (networking.c): after an error the connection must be
// answered and closed, as Redis does.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tandem {

inline constexpr size_t kInlineMaxSize = 64 * 1024;
inline constexpr int64_t kMaxMultibulkLength = 1024 * 1024 * 1024;

class RespParser {
 public:
  enum class Status { kNeedMore, kCommand, kEmpty, kError };
  struct Result {
    Status status;
    size_t consumed = 0;  // bytes of the buffer this command (or empty line) used
  };

  void set_max_bulk_len(int64_t limit) { max_bulk_len_ = limit; }
  // Before AUTH Redis caps request sizes so unauthenticated clients cannot make it allocate.
  void set_authenticated(bool authenticated) { authenticated_ = authenticated; }

  // kCommand: args() holds the command. kEmpty: an empty line or zero-length array was consumed.
  // kError: error() holds Redis's message ("Protocol error: ...").
  Result parse(std::string_view buf);
  const std::vector<std::string_view>& args() const { return args_; }
  const std::string& error() const { return error_; }
  // Bytes still expected for the bulk being read, so the caller can grow its buffer at once.
  size_t pending_bulk_bytes() const { return pending_bulk_; }

 private:
  struct Span {
    size_t offset;
    size_t length;
  };
  Result parse_inline(std::string_view buf);
  Result parse_multibulk(std::string_view buf);
  Result fail(std::string message);
  void reset();

  int64_t max_bulk_len_ = 512 * 1024 * 1024;
  bool authenticated_ = true;
  // Progress through a multibulk request.
  int64_t expected_args_ = -1;  // -1: array header not parsed yet
  size_t position_ = 0;
  std::vector<Span> spans_;
  size_t pending_bulk_ = 0;
  std::vector<std::string_view> args_;
  std::string inline_storage_;  // inline args are unquoted, so they need their own bytes
  std::vector<std::string> inline_args_;
  std::string error_;
};

}  // namespace tandem
