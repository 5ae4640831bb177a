// All numbered databases of the server and the expiry policy they share.
//
// Not movable: each Database points at the policy owned here.
#pragma once

#include <memory>
#include <vector>

#include "storage/database.h"

namespace tandem {

class Keyspace {
 public:
  explicit Keyspace(int databases);
  Keyspace(const Keyspace&) = delete;
  Keyspace& operator=(const Keyspace&) = delete;

  int count() const { return static_cast<int>(databases_.size()); }
  Database& db(int index) { return *databases_[index]; }
  ExpiryPolicy& expiry() { return expiry_; }

  size_t total_keys() const;
  void flush_all();

 private:
  ExpiryPolicy expiry_;
  std::vector<std::unique_ptr<Database>> databases_;
};

}  // namespace tandem
