// RESP framing written straight into an output string: a type byte, a decimal number and CRLF
// (`*3\r\n`, `$5\r\n`, `:42\r\n`), and whole commands as multibulk arrays (what the master
// propagates and what our replica link sends). Every reply and every propagated write goes
// through these, so a header is formatted on the stack and appended once.
#pragma once

#include <charconv>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace tandem {

inline void append_resp_header(std::string& out, char type, int64_t value) {
  char buf[24];  // type, at most 20 characters of int64, CRLF
  buf[0] = type;
  char* end = std::to_chars(buf + 1, buf + sizeof(buf) - 2, value).ptr;
  *end++ = '\r';
  *end++ = '\n';
  out.append(buf, static_cast<size_t>(end - buf));
}

inline void append_multibulk(std::string& out, std::span<const std::string_view> args) {
  append_resp_header(out, '*', static_cast<int64_t>(args.size()));
  for (std::string_view arg : args) {
    append_resp_header(out, '$', static_cast<int64_t>(arg.size()));
    out.append(arg);
    out.append("\r\n", 2);
  }
}

}  // namespace tandem
