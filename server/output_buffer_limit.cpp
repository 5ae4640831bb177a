#include "server/output_buffer_limit.h"

namespace tandem {

bool output_buffer_limit_reached(const OutputBufferLimit& limit, size_t used,
                                 int64_t& soft_since_ms, int64_t now_ms) {
  if (limit.hard_bytes && used >= limit.hard_bytes) return true;
  if (!limit.soft_bytes || used < limit.soft_bytes) {
    soft_since_ms = 0;
    return false;
  }
  if (soft_since_ms == 0) {
    soft_since_ms = now_ms;
    return false;
  }
  return now_ms - soft_since_ms > int64_t{limit.soft_seconds} * 1000;
}

}  // namespace tandem
