// client-output-buffer-limit: when a client's unsent replies must get it disconnected.
//
// Redis's rule (networking.c checkClientOutputBufferLimits): over the hard limit at once, or over
// the soft limit continuously for more than soft_seconds. Shared by normal clients now and
// replicas and pub/sub clients later, each with its own class of limits.
#pragma once

#include <cstddef>
#include <cstdint>

#include "server/config.h"

namespace tandem {

// `soft_since_ms` is the caller's per-client memory of when it first went over the soft limit
// (0: not over it); updated here.
bool output_buffer_limit_reached(const OutputBufferLimit& limit, size_t used,
                                 int64_t& soft_since_ms, int64_t now_ms);

}  // namespace tandem
