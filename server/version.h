// Version strings. Clients and Sentinel gate features on the Redis version a server reports, so
// tandem reports the Redis release whose behaviour it implements, and its own version beside it.
#pragma once

#include <string_view>

namespace tandem {

inline constexpr std::string_view kRedisCompatVersion = "7.0.15";
inline constexpr std::string_view kTandemVersion = "0.1.0";

}  // namespace tandem
