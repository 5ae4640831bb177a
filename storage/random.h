// The main thread's random engine: SRANDMEMBER, HRANDFIELD, ZRANDMEMBER, SPOP and the random
// picks inside sets share one generator, seeded once from the system.
#pragma once

#include <random>

namespace tandem {

inline std::mt19937_64& random_engine() {
  static std::mt19937_64 engine{std::random_device{}()};
  return engine;
}

}  // namespace tandem
