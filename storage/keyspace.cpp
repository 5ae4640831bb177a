#include "storage/keyspace.h"

namespace tandem {

Keyspace::Keyspace(int databases) {
  databases_.reserve(databases);
  for (int i = 0; i < databases; ++i) databases_.push_back(std::make_unique<Database>(i, &expiry_));
}

size_t Keyspace::total_keys() const {
  size_t total = 0;
  for (const auto& db : databases_) total += db->size();
  return total;
}

void Keyspace::flush_all() {
  for (auto& db : databases_) db->clear();
}

}  // namespace tandem
