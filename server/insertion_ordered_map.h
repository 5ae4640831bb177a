// A map from names to values that iterates in the order the names were first inserted, with
// constant-time lookup, insertion and erasure (a hash index over a linked list).
//
// Pub/sub keeps subscriptions in it so that replies list them in subscription order. Entries
// never move while they exist: the index's string_view keys point into the list's strings.
#pragma once

#include <cstddef>
#include <list>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace tandem {

template <typename Value>
class InsertionOrderedMap {
 public:
  using Entry = std::pair<const std::string, Value>;

  InsertionOrderedMap() = default;
  // The index points into the list: a copy would point into the source. Moving keeps the nodes.
  InsertionOrderedMap(const InsertionOrderedMap&) = delete;
  InsertionOrderedMap& operator=(const InsertionOrderedMap&) = delete;
  InsertionOrderedMap(InsertionOrderedMap&&) = default;
  InsertionOrderedMap& operator=(InsertionOrderedMap&&) = default;

  Value* find(std::string_view name) {
    auto it = index_.find(name);
    return it == index_.end() ? nullptr : &it->second->second;
  }
  const Value* find(std::string_view name) const {
    auto it = index_.find(name);
    return it == index_.end() ? nullptr : &it->second->second;
  }
  bool contains(std::string_view name) const { return index_.contains(name); }

  // The value for `name`, appended default-constructed if absent; `inserted` says which.
  Value& get_or_insert(std::string_view name, bool& inserted) {
    auto it = index_.find(name);
    inserted = it == index_.end();
    if (!inserted) return it->second->second;
    entries_.emplace_back(std::string(name), Value{});
    auto last = std::prev(entries_.end());
    index_.emplace(std::string_view(last->first), last);
    return last->second;
  }

  bool erase(std::string_view name) {
    auto it = index_.find(name);
    if (it == index_.end()) return false;
    auto entry = it->second;
    index_.erase(it);  // before the string its key views goes away
    entries_.erase(entry);
    return true;
  }

  size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  auto begin() const { return entries_.begin(); }
  auto end() const { return entries_.end(); }

 private:
  std::list<Entry> entries_;
  std::unordered_map<std::string_view, typename std::list<Entry>::iterator> index_;
};

}  // namespace tandem
