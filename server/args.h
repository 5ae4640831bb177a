// Helpers commands use to read their arguments the way Redis does, with Redis's error texts.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "server/reply.h"

namespace tandem {

// ASCII case-insensitive equality, for option names like "EX" or "NX".
bool iequals(std::string_view a, std::string_view b);
// ASCII case folding, as Redis's C-locale tolower/toupper.
std::string ascii_lower(std::string_view s);
std::string ascii_upper(std::string_view s);

// Redis's getLongLongFromObjectOrReply: canonical int64 or `error` (default: not an integer).
std::optional<int64_t> int_arg(
    std::string_view arg, Reply& reply,
    std::string_view error = "ERR value is not an integer or out of range");
// Redis's getIntFromObjectOrReply: an int64 first, then the int range with its own error.
std::optional<int> int32_arg(std::string_view arg, Reply& reply);
// Redis's getDoubleFromObjectOrReply / getLongDoubleFromObjectOrReply: strtod / strtold
// accepting the whole string with no leading space, rejecting NaN.
std::optional<double> double_arg(std::string_view arg, Reply& reply,
                                 std::string_view error = "ERR value is not a valid float");
bool parse_double(std::string_view s, double& out);
bool parse_long_double(std::string_view s, long double& out);

}  // namespace tandem
