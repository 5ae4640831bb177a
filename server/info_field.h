// One "name:value\r\n" line of an INFO section, as every section writer (server/info.cpp,
// replication/*_info.cpp) formats it.
#pragma once

#include <iterator>
#include <string>
#include <string_view>

#include "fmt/format.h"

namespace tandem {

template <typename T>
void info_field(std::string& out, std::string_view name, const T& value) {
  fmt::format_to(std::back_inserter(out), "{}:{}\r\n", name, value);
}

}  // namespace tandem
