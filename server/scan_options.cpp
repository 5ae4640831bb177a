#include "server/scan_options.h"

#include <cctype>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <string>

#include "server/args.h"
#include "server/errors.h"
#include "server/glob.h"
#include "server/reply.h"

namespace tandem {

bool ScanOptions::matches(std::string_view element) const {
  return !pattern || glob_match(*pattern, element, false);
}

int64_t ScanOptions::bucket_budget() const {
  return count > INT64_MAX / 10 ? INT64_MAX : count * 10;
}

std::optional<uint64_t> parse_scan_cursor(std::string_view arg, Reply& reply) {
  std::string copy(arg);
  errno = 0;
  char* end = nullptr;
  unsigned long long cursor = std::strtoull(copy.c_str(), &end, 10);
  if ((!copy.empty() && std::isspace(static_cast<unsigned char>(copy[0]))) || *end != '\0' ||
      errno == ERANGE) {
    reply.error("ERR invalid cursor");
    return std::nullopt;
  }
  return cursor;
}

std::optional<ScanOptions> parse_scan_options(std::span<const std::string_view> args,
                                              bool allow_type, Reply& reply) {
  ScanOptions options;
  for (size_t i = 0; i < args.size(); i += 2) {
    const bool has_value = i + 1 < args.size();
    std::string_view option = args[i];
    if (iequals(option, "count") && has_value) {
      auto n = int_arg(args[i + 1], reply);
      if (!n) return std::nullopt;
      if (*n < 1) {
        reply.error(kSyntaxError);
        return std::nullopt;
      }
      options.count = *n;
    } else if (iequals(option, "match") && has_value) {
      options.pattern = args[i + 1];
      if (*options.pattern == "*") options.pattern.reset();
    } else if (allow_type && iequals(option, "type") && has_value) {
      options.type = args[i + 1];
    } else {
      reply.error(kSyntaxError);
      return std::nullopt;
    }
  }
  return options;
}

}  // namespace tandem
