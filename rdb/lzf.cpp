#include "rdb/lzf.h"

#include <lzf.h>

#include <climits>

namespace tandem::rdb {

std::optional<std::string> lzf_compress_string(std::string_view in) {
  if (in.size() <= 4 || in.size() > UINT_MAX) return std::nullopt;
  std::string out(in.size() - 4, '\0');
  unsigned n = lzf_compress(in.data(), static_cast<unsigned>(in.size()), out.data(),
                            static_cast<unsigned>(out.size()));
  if (n == 0) return std::nullopt;
  out.resize(n);
  return out;
}

std::optional<std::string> lzf_decompress_string(std::string_view in, size_t original_length) {
  if (in.size() > UINT_MAX || original_length > UINT_MAX) return std::nullopt;
  std::string out(original_length, '\0');
  // An empty original never decompresses (lzf_decompress returns 0 for it), as in Redis.
  if (original_length == 0) return std::nullopt;
  unsigned n = lzf_decompress(in.data(), static_cast<unsigned>(in.size()), out.data(),
                              static_cast<unsigned>(out.size()));
  if (n != original_length) return std::nullopt;
  return out;
}

}  // namespace tandem::rdb
