#include "server/mpop_args.h"

#include "server/args.h"
#include "server/errors.h"
#include "storage/value.h"

namespace tandem {
namespace {

// numkeys and COUNT: an integer of at least 1, else `error` (Redis uses one text for both).
std::optional<int64_t> positive_arg(std::string_view arg, std::string_view error, Reply& reply) {
  int64_t v;
  if (!parse_int64(arg, v) || v < 1) {
    reply.error(error);
    return std::nullopt;
  }
  return v;
}

}  // namespace

std::optional<MpopArgs> parse_mpop(std::span<const std::string_view> args, size_t numkeys_index,
                                   std::string_view first, std::string_view second,
                                   Reply& reply) {
  auto numkeys = positive_arg(args[numkeys_index], "ERR numkeys should be greater than 0", reply);
  if (!numkeys) return std::nullopt;
  if (static_cast<uint64_t>(*numkeys) >= args.size() - numkeys_index - 1) {
    reply.error(kSyntaxError);
    return std::nullopt;
  }
  MpopArgs out{args.subspan(numkeys_index + 1, static_cast<size_t>(*numkeys)), false, 1};
  // The direction is checked before COUNT, so `... BAD COUNT 0` is a syntax error.
  const size_t where_index = numkeys_index + 1 + static_cast<size_t>(*numkeys);
  if (iequals(args[where_index], second)) {
    out.second_direction = true;
  } else if (!iequals(args[where_index], first)) {
    reply.error(kSyntaxError);
    return std::nullopt;
  }
  bool counted = false;
  for (size_t j = where_index + 1; j < args.size(); ++j) {
    if (!counted && iequals(args[j], "count") && j + 1 < args.size()) {
      auto count = positive_arg(args[++j], "ERR count should be greater than 0", reply);
      if (!count) return std::nullopt;
      out.count = *count;
      counted = true;
    } else {
      reply.error(kSyntaxError);
      return std::nullopt;
    }
  }
  return out;
}

}  // namespace tandem
