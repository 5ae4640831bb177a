#include "server/lazy_free.h"

#include <gtest/gtest.h>

#include <memory>
#include <thread>
#include <vector>

#include "storage/hash.h"
#include "storage/list.h"
#include "storage/value.h"

namespace tandem {
namespace {

// Records which thread destroyed it.
struct Witness {
  std::shared_ptr<std::thread::id> freed_on;
  explicit Witness(std::shared_ptr<std::thread::id> where) : freed_on(std::move(where)) {}
  Witness(Witness&&) = default;
  ~Witness() {
    if (freed_on) *freed_on = std::this_thread::get_id();
  }
};

TEST(LazyFree, FreesOnItsOwnThreadAndCountsObjects) {
  LazyFree lazy;
  auto where = std::make_shared<std::thread::id>();
  lazy.dispose(Witness(where), 5);
  lazy.dispose(std::vector<int>(1000), 1);
  lazy.drain();
  EXPECT_EQ(lazy.freed(), 6u);
  EXPECT_EQ(lazy.pending(), 0u);
  EXPECT_NE(*where, std::thread::id());
  EXPECT_NE(*where, std::this_thread::get_id());
  lazy.reset_stats();
  EXPECT_EQ(lazy.freed(), 0u);
}

TEST(LazyFree, DestructionFreesWhatIsStillQueued) {
  auto where = std::make_shared<std::thread::id>();
  {
    LazyFree lazy;
    for (int i = 0; i < 100; ++i) lazy.dispose(std::vector<int>(10000), 1);
    lazy.dispose(Witness(where), 1);
  }
  EXPECT_NE(*where, std::thread::id());
}

TEST(LazyFree, FreeEffortFollowsRedis) {
  EXPECT_EQ(free_effort(Value::from_string("a long string value, still one block")), 1u);
  auto hash = std::make_shared<Hash>();
  for (int i = 0; i < 10; ++i) hash->set(std::to_string(i), "v", Hash::Limits{});
  EXPECT_EQ(free_effort(Value::of(hash)), 1u);  // listpack: one block
  hash->convert_to_hashtable();
  EXPECT_EQ(free_effort(Value::of(hash)), 10u);  // one allocation per field
}

}  // namespace
}  // namespace tandem
