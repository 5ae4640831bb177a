#include "server/resp_parser.h"

#include <charconv>

#include "server/split_args.h"

namespace tandem {
namespace {
// Redis's string2ll: optional '-', digits, no leading '+', no spaces, fits in int64, and no
// leading zeros ("01", "-0" are invalid).
bool parse_length(std::string_view s, int64_t& out) {
  if (s.empty() || (s.size() > 1 && (s[0] == '0' || (s[0] == '-' && s[1] == '0')))) return false;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size();
}
}  // namespace

void RespParser::reset() {
  expected_args_ = -1;
  position_ = 0;
  spans_.clear();
  pending_bulk_ = 0;
}

RespParser::Result RespParser::fail(std::string message) {
  reset();
  error_ = std::move(message);
  return {Status::kError, 0};
}

RespParser::Result RespParser::parse(std::string_view buf) {
  if (buf.empty()) return {Status::kNeedMore, 0};
  if (expected_args_ < 0 && buf[0] != '*') return parse_inline(buf);
  return parse_multibulk(buf);
}

RespParser::Result RespParser::parse_inline(std::string_view buf) {
  size_t newline = buf.find('\n');
  if (newline == std::string_view::npos) {
    if (buf.size() > kInlineMaxSize) return fail("Protocol error: too big inline request");
    return {Status::kNeedMore, 0};
  }
  std::string_view line = buf.substr(0, newline);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (!split_args(line, inline_args_)) return fail("Protocol error: unbalanced quotes in request");
  if (inline_args_.empty()) return {Status::kEmpty, newline + 1};
  args_.clear();
  for (const auto& arg : inline_args_) args_.emplace_back(arg);
  return {Status::kCommand, newline + 1};
}

RespParser::Result RespParser::parse_multibulk(std::string_view buf) {
  if (expected_args_ < 0) {
    size_t cr = buf.find('\r');
    if (cr == std::string_view::npos) {
      if (buf.size() > kInlineMaxSize) return fail("Protocol error: too big mbulk count string");
      return {Status::kNeedMore, 0};
    }
    if (cr + 1 >= buf.size()) return {Status::kNeedMore, 0};
    int64_t count = 0;
    if (!parse_length(buf.substr(1, cr - 1), count) || count > INT32_MAX) {
      return fail("Protocol error: invalid multibulk length");
    }
    if (!authenticated_ && count > 10) {
      return fail("Protocol error: unauthenticated multibulk length");
    }
    if (count <= 0) return {Status::kEmpty, cr + 2};
    expected_args_ = count;
    position_ = cr + 2;
    // Reserve for the arguments, but not blindly for a hostile count.
    spans_.reserve(static_cast<size_t>(std::min<int64_t>(count, 1024)));
  }
  while (static_cast<int64_t>(spans_.size()) < expected_args_) {
    std::string_view rest = buf.substr(position_);
    if (rest.empty()) return {Status::kNeedMore, 0};
    if (rest[0] != '$') {
      return fail(std::string("Protocol error: expected '$', got '") + rest[0] + "'");
    }
    size_t cr = rest.find('\r');
    if (cr == std::string_view::npos) {
      if (rest.size() > kInlineMaxSize) return fail("Protocol error: too big bulk count string");
      return {Status::kNeedMore, 0};
    }
    if (cr + 1 >= rest.size()) return {Status::kNeedMore, 0};
    int64_t length = 0;
    if (!parse_length(rest.substr(1, cr - 1), length) || length < 0 || length > max_bulk_len_) {
      return fail("Protocol error: invalid bulk length");
    }
    if (!authenticated_ && length > 16384) {
      return fail("Protocol error: unauthenticated bulk length");
    }
    size_t header = cr + 2;
    size_t needed = header + static_cast<size_t>(length) + 2;
    if (rest.size() < needed) {
      pending_bulk_ = needed - rest.size();
      return {Status::kNeedMore, 0};
    }
    pending_bulk_ = 0;
    spans_.push_back({position_ + header, static_cast<size_t>(length)});
    position_ += needed;
  }
  args_.clear();
  for (const Span& span : spans_) args_.push_back(buf.substr(span.offset, span.length));
  size_t consumed = position_;
  reset();
  return {Status::kCommand, consumed};
}

}  // namespace tandem
