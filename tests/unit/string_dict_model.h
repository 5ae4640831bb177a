// What the Dict tests (dict_test, dict_snapshot_test, dict_shared_copy_test) share: a
// Dict<std::string> of numbered keys and the std::map model it is checked against.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <string>

#include "storage/dict.h"

namespace tandem {

using StringDict = Dict<std::string>;
using StringModel = std::map<std::string, std::string>;

inline constexpr uint64_t kDictSeed = 0x5eed;

inline std::string key_of(uint64_t i) { return "key:" + std::to_string(i); }

// Every entry of a dict or of a snapshot, failing on a key seen twice.
template <typename DictOrSnapshot>
StringModel dict_contents(const DictOrSnapshot& d) {
  StringModel out;
  d.for_each([&](const StringDict::Entry& e) {
    EXPECT_TRUE(out.emplace(std::string(e.key), e.value).second) << "duplicate " << e.key.view();
  });
  return out;
}

// The dict or snapshot matches `model` by walking it, by size and by lookups of every key.
template <typename DictOrSnapshot>
void expect_dict_is(const DictOrSnapshot& d, const StringModel& model) {
  EXPECT_EQ(d.size(), model.size());
  EXPECT_EQ(dict_contents(d), model);
  for (const auto& [k, v] : model) {
    const StringDict::Entry* e = d.find(k);
    ASSERT_NE(e, nullptr) << k;
    EXPECT_EQ(e->value, v);
  }
}

// Inserts keys [from, to) with values tag + number into the dict and the model.
inline void fill(StringDict& d, StringModel& model, uint64_t from, uint64_t to,
                 const std::string& tag) {
  for (uint64_t i = from; i < to; ++i) {
    d.try_emplace(key_of(i), tag + std::to_string(i));
    model[key_of(i)] = tag + std::to_string(i);
  }
}

}  // namespace tandem
