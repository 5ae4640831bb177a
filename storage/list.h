// A list value: Redis 7.0's quicklist, a sequence of nodes each holding a run of elements in a
// Listpack (storage/listpack.h). OBJECT ENCODING is always "quicklist", as in Redis 7.0.
//
// Node sizing follows list-max-listpack-size (`fill`), as Redis's quicklist does: a negative fill
// -1..-5 caps a node's listpack at 4/8/16/32/64 KB; a positive one caps its element count (with
// an 8 KB safety limit on the bytes). An insertion goes into the node it lands in when that node
// allows it (_quicklistNodeAllowInsert), else into the neighbouring node, a new node, or a split
// of the full one; neighbours that fit together are merged after splits and deletions
// (_quicklistNodeAllowMerge), so a list never degenerates into many nearly empty nodes. The fill
// is fixed when the list is created, as in Redis (a later CONFIG SET applies to new lists).
// list-compress-depth is not implemented: nodes are never LZF-compressed (accepted and ignored).
//
// Invariants: no node is empty; size_ is the sum of the node sizes.
//
// Copy-on-write: nodes are held through shared_ptr, so clone() copies only the vector of node
// pointers (O(nodes), about 16 bytes per ~8 KB node) and both copies share every node. A write
// goes through mutable_node(), which copies the one node it touches if it is shared; untouched
// nodes stay shared. A shared node is never written in place.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/collection.h"
#include "storage/listpack.h"

namespace tandem {

class List final : public Collection {
 public:
  static constexpr ValueType kType = ValueType::kList;
  using Element = Listpack::Element;

  // `fill` is list-max-listpack-size (Redis's default is -2: 8 KB per node).
  explicit List(int fill = -2) : fill_(std::clamp(fill, -5, (1 << 15) - 1)) {}

  ValueType type() const override { return kType; }
  const char* encoding_name() const override { return "quicklist"; }
  size_t size() const override { return size_; }
  size_t memory_usage() const override;
  std::shared_ptr<Collection> clone() const override;

  int fill() const { return fill_; }
  size_t node_count() const { return nodes_.size(); }
  // The node holding element `index`'s listpack (for tests and introspection).
  const Listpack& node(size_t i) const { return *nodes_[i]; }
  // True when node `i` is the very same object in `other` (copy-on-write tests).
  bool shares_node_with(const List& other, size_t i, size_t j) const {
    return nodes_[i] == other.nodes_[j];
  }

  void push_back(std::string_view value);
  void push_front(std::string_view value);
  // Removes and returns the head / tail element; nullopt when empty.
  std::optional<std::string> pop_front();
  std::optional<std::string> pop_back();

  // The element at `index` (negative from the tail); nullopt when out of range.
  std::optional<std::string> at(int64_t index) const;
  // Replaces the element at `index`; false when out of range.
  bool set(int64_t index, std::string_view value);
  // LINSERT: inserts `value` before or after the first element equal to `pivot`; false when the
  // pivot is not found.
  bool insert(std::string_view pivot, std::string_view value, bool after);
  // LREM: removes up to |count| elements equal to `value` (all when 0), from the head when
  // count >= 0, from the tail when negative. Returns the number removed.
  size_t remove(std::string_view value, int64_t count);
  // Removes `count` elements starting at index `start` (clamped to the end).
  void erase_range(size_t start, size_t count);
  // Inserts `value` so that it becomes element `index` (index == size() appends).
  void insert_at_index(size_t index, std::string_view value);

  // Visits elements from index `start` (0-based from the head) towards the tail, or towards the
  // head when `reverse` (then `start` counts from the tail: 0 is the last element), until `fn`
  // returns false. The element's view is valid only during the call.
  void for_each(size_t start, bool reverse, const std::function<bool(const Element&)>& fn) const;

  // All elements head to tail (tests, DEBUG DIGEST).
  std::vector<std::string> to_vector() const;

 private:
  Listpack& mutable_node(size_t i);
  bool allow_insert(const Listpack& node, size_t value_size) const;
  bool allow_merge(const Listpack& a, const Listpack& b) const;
  // Merges node i with i+1 if they fit together; returns true if merged.
  bool try_merge(size_t i);
  // Node index and offset in it of element `index` (0 <= index < size_).
  std::pair<size_t, size_t> locate(size_t index) const;
  // Splits node i so that its first `keep` elements stay and the rest move to a new node i+1.
  void split(size_t i, size_t keep);
  void drop_node_if_empty(size_t i);

  // One word for both keeps a List at 40 bytes (a 64-byte block with its shared_ptr control
  // block, not 80). Every use clamps the fill to [-5, 2^15 - 1] anyway.
  uint64_t size_ : 46 = 0;
  int64_t fill_ : 18;
  std::vector<std::shared_ptr<Listpack>> nodes_;
};

// Writes an element as a bulk string into `out` (integers decoded).
std::string element_string(const Listpack::Element& e);

}  // namespace tandem
