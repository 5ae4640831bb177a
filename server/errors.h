// Error replies shared by many commands, worded exactly as Redis 7.0's (server.c shared.*).
#pragma once

#include <string_view>

namespace tandem {

inline constexpr std::string_view kSyntaxError = "ERR syntax error";
inline constexpr std::string_view kWrongTypeError =
    "WRONGTYPE Operation against a key holding the wrong kind of value";
inline constexpr std::string_view kNotIntegerError = "ERR value is not an integer or out of range";
inline constexpr std::string_view kNotFloatError = "ERR value is not a valid float";
inline constexpr std::string_view kNoSuchKeyError = "ERR no such key";
inline constexpr std::string_view kOutOfRangeError = "ERR index out of range";
inline constexpr std::string_view kNoAuthError = "NOAUTH Authentication required.";
inline constexpr std::string_view kDbIndexOutOfRangeError = "ERR DB index is out of range";
inline constexpr std::string_view kInvalidExpireError = "ERR invalid expire time in '{}' command";
inline constexpr std::string_view kOverflowError = "ERR increment or decrement would overflow";
inline constexpr std::string_view kSameObjectError =
    "ERR source and destination objects are the same";
inline constexpr std::string_view kStringTooLongError =
    "ERR string exceeds maximum allowed size (proto-max-bulk-len)";

}  // namespace tandem
