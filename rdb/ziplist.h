// Readers for the compact encodings that Redis wrote before listpacks (RDB files from Redis
// 2.6 to 6.2): the ziplist (lists, hashes, sorted sets, quicklist v1 nodes) and the zipmap (hashes
// before 2.6). Each validates the whole blob as Redis's *ValidateIntegrity(deep) does and returns
// the elements as strings, or nullopt when anything is wrong. Nothing here writes them: Redis 7.0
// converts them to listpacks on load, and so do we.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tandem::rdb {

std::optional<std::vector<std::string>> ziplist_elements(std::string_view blob);
std::optional<std::vector<std::pair<std::string, std::string>>> zipmap_pairs(std::string_view blob);

}  // namespace tandem::rdb
