// Fixed-width little-endian fields inside Redis's blobs (listpack and intset headers). Redis
// writes them little-endian on every platform we build for; the static_assert keeps that honest.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>

namespace tandem {

static_assert(std::endian::native == std::endian::little, "blob layouts assume little-endian");

inline uint32_t load_le32(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

inline void store_le32(char* p, uint32_t v) { std::memcpy(p, &v, sizeof v); }

}  // namespace tandem
