// The arguments LMPOP, BLMPOP, ZMPOP and BZMPOP share (Redis's lmpopGenericCommand and
// zmpopGenericCommand parse them the same way): numkeys, that many keys, a direction word
// (LEFT|RIGHT or MIN|MAX), then an optional COUNT.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "server/reply.h"

namespace tandem {

struct MpopArgs {
  std::span<const std::string_view> keys;
  bool second_direction;  // RIGHT for the list commands, MAX for the sorted-set ones
  int64_t count;          // 1 without COUNT
};

// Parses from `numkeys_index` on, replying Redis's error and returning nothing on bad input.
// `first` and `second` are the two accepted direction words, compared case-insensitively.
std::optional<MpopArgs> parse_mpop(std::span<const std::string_view> args, size_t numkeys_index,
                                   std::string_view first, std::string_view second,
                                   Reply& reply);

}  // namespace tandem
