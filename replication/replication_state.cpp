#include "replication/replication_state.h"

#include <random>

namespace tandem {

std::string random_hex_id() {
  static std::mt19937_64 generator{std::random_device{}()};
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(40, '0');
  for (char& c : out) c = kDigits[generator() % 16];
  return out;
}

}  // namespace tandem
