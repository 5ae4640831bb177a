// LZF compression of RDB strings (liblzf, the algorithm Redis bundles): Redis compresses strings
// longer than 20 bytes when that saves at least 4 bytes, and stores the compressed and the
// original lengths beside the compressed bytes.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tandem::rdb {

// The compressed form of `in` if it is at least 4 bytes shorter (Redis's rule), else nullopt.
std::optional<std::string> lzf_compress_string(std::string_view in);
// Decompresses `in` into exactly `original_length` bytes; nullopt if the data is corrupt or does
// not decompress to exactly that length.
std::optional<std::string> lzf_decompress_string(std::string_view in, size_t original_length);

}  // namespace tandem::rdb
