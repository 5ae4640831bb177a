// Splits a line into arguments the way Redis's sdssplitargs does: whitespace separates,
// "double quotes" take \n \r \t \b \a \\ \" and \xHH escapes, 'single quotes' take \' only, and a
// closing quote must be followed by whitespace or the end. Used for inline commands and for
// redis.conf lines, so both accept exactly what Redis accepts.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tandem {

// Returns false on unbalanced quotes; `out` is replaced.
bool split_args(std::string_view line, std::vector<std::string>& out);

// The inverse, Redis's sdscatrepr: `s` double-quoted, with C escapes (\n, \xHH, ...) for
// backslashes, quotes and unprintable bytes, so that split_args reads it back to the same
// bytes (CONFIG REWRITE, MONITOR lines, logs of the replication stream).
void append_repr(std::string& out, std::string_view s);
std::string repr(std::string_view s);

}  // namespace tandem
