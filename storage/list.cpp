#include "storage/list.h"

#include <algorithm>

#include "fmt/format.h"

namespace tandem {
namespace {

// Redis's quicklist: the byte caps of fill -1..-5, and the byte cap that still applies to a
// count-limited (positive fill) node.
constexpr size_t kOptimizationLevel[] = {4096, 8192, 16384, 32768, 65536};
constexpr size_t kSizeSafetyLimit = 8192;
constexpr int kFillMax = (1 << 15) - 1;
// Listpack header (6) and end byte (1), counted once when two nodes merge.
constexpr size_t kListpackOverhead = 7;
// Elements this large get a node of their own (Redis 7.0 makes them "plain" nodes).
constexpr size_t kLargeElement = size_t{1} << 30;

bool meets_optimization(size_t bytes, int fill) {
  if (fill >= 0) return false;
  size_t offset = static_cast<size_t>(-fill) - 1;
  return offset < std::size(kOptimizationLevel) && bytes <= kOptimizationLevel[offset];
}

void append_element(Listpack& lp, const Listpack::Element& e) {
  if (e.is_int) {
    lp.push_back_int(e.integer);
  } else {
    lp.push_back(e.str);
  }
}

}  // namespace

std::string element_string(const Listpack::Element& e) { return e.to_string(); }

size_t List::memory_usage() const {
  size_t total = sizeof(List) + nodes_.capacity() * sizeof(nodes_[0]);
  for (const auto& n : nodes_) total += sizeof(Listpack) + 32 + n->bytes_size();
  return total;
}

std::shared_ptr<Collection> List::clone() const { return std::make_shared<List>(*this); }

Listpack& List::mutable_node(size_t i) {
  if (nodes_[i].use_count() > 1) nodes_[i] = std::make_shared<Listpack>(*nodes_[i]);
  return *nodes_[i];
}

// Redis's _quicklistNodeAllowInsert, with its estimate of the entry overhead.
bool List::allow_insert(const Listpack& node, size_t value_size) const {
  if (value_size >= kLargeElement) return false;
  size_t overhead = value_size < 254 ? 1 : 5;
  overhead += value_size < 64 ? 1 : value_size < 16384 ? 2 : 5;
  size_t new_size = node.bytes_size() + value_size + overhead;
  int fill = std::clamp(static_cast<int>(fill_), -5, kFillMax);
  if (meets_optimization(new_size, fill)) return true;
  if (new_size > kSizeSafetyLimit) return false;
  return static_cast<int64_t>(node.size()) < fill;
}

// Redis's _quicklistNodeAllowMerge.
bool List::allow_merge(const Listpack& a, const Listpack& b) const {
  size_t merged = a.bytes_size() + b.bytes_size() - kListpackOverhead;
  int fill = std::clamp(static_cast<int>(fill_), -5, kFillMax);
  if (meets_optimization(merged, fill)) return true;
  if (merged > kSizeSafetyLimit) return false;
  return static_cast<int64_t>(a.size() + b.size()) <= fill;
}

bool List::try_merge(size_t i) {
  if (i + 1 >= nodes_.size() || !allow_merge(*nodes_[i], *nodes_[i + 1])) return false;
  std::shared_ptr<Listpack> next = nodes_[i + 1];
  Listpack& into = mutable_node(i);
  for (Listpack::Pos p = next->first(); p != Listpack::kEnd; p = next->next(p)) {
    append_element(into, next->get(p));
  }
  nodes_.erase(nodes_.begin() + static_cast<ptrdiff_t>(i) + 1);
  return true;
}

std::pair<size_t, size_t> List::locate(size_t index) const {
  if (index < size_ / 2) {
    for (size_t i = 0; i < nodes_.size(); ++i) {
      if (index < nodes_[i]->size()) return {i, index};
      index -= nodes_[i]->size();
    }
  } else {
    size_t from_tail = size_ - 1 - index;
    for (size_t i = nodes_.size(); i-- > 0;) {
      size_t n = nodes_[i]->size();
      if (from_tail < n) return {i, n - 1 - from_tail};
      from_tail -= n;
    }
  }
  return {nodes_.size(), 0};  // unreachable for a valid index
}

void List::split(size_t i, size_t keep) {
  std::shared_ptr<const Listpack> source = nodes_[i];
  auto tail = std::make_shared<Listpack>();
  for (Listpack::Pos p = source->seek(static_cast<int64_t>(keep)); p != Listpack::kEnd;
       p = source->next(p)) {
    append_element(*tail, source->get(p));
  }
  mutable_node(i).erase_range(static_cast<int64_t>(keep), source->size() - keep);
  nodes_.insert(nodes_.begin() + static_cast<ptrdiff_t>(i) + 1, std::move(tail));
}

void List::drop_node_if_empty(size_t i) {
  if (i < nodes_.size() && nodes_[i]->empty()) {
    nodes_.erase(nodes_.begin() + static_cast<ptrdiff_t>(i));
  }
}

void List::push_back(std::string_view value) {
  if (nodes_.empty() || !allow_insert(*nodes_.back(), value.size())) {
    nodes_.push_back(std::make_shared<Listpack>());
  }
  mutable_node(nodes_.size() - 1).push_back(value);
  ++size_;
}

void List::push_front(std::string_view value) {
  if (nodes_.empty() || !allow_insert(*nodes_.front(), value.size())) {
    nodes_.insert(nodes_.begin(), std::make_shared<Listpack>());
  }
  mutable_node(0).push_front(value);
  ++size_;
}

std::optional<std::string> List::pop_front() {
  if (nodes_.empty()) return std::nullopt;
  Listpack& node = mutable_node(0);
  std::string out = node.get(node.first()).to_string();
  node.erase(node.first());
  --size_;
  drop_node_if_empty(0);
  return out;
}

std::optional<std::string> List::pop_back() {
  if (nodes_.empty()) return std::nullopt;
  size_t i = nodes_.size() - 1;
  Listpack& node = mutable_node(i);
  std::string out = node.get(node.last()).to_string();
  node.erase(node.last());
  --size_;
  drop_node_if_empty(i);
  return out;
}

std::optional<std::string> List::at(int64_t index) const {
  int64_t n = static_cast<int64_t>(size_);
  if (index < 0) index += n;
  if (index < 0 || index >= n) return std::nullopt;
  auto [i, off] = locate(static_cast<size_t>(index));
  const Listpack& node = *nodes_[i];
  return node.get(node.seek(static_cast<int64_t>(off))).to_string();
}

bool List::set(int64_t index, std::string_view value) {
  int64_t n = static_cast<int64_t>(size_);
  if (index < 0) index += n;
  if (index < 0 || index >= n) return false;
  auto [i, off] = locate(static_cast<size_t>(index));
  const Listpack& current = *nodes_[i];
  Listpack::Pos p = current.seek(static_cast<int64_t>(off));
  Listpack::Element old = current.get(p);
  size_t old_size = old.is_int ? 8 : old.str.size();
  // In place when the node still fits (Redis's quicklistReplaceEntry); otherwise delete and
  // insert, which splits or adds a node like any insertion.
  if (value.size() <= old_size || current.size() == 1 ||
      allow_insert(current, value.size() - old_size)) {
    mutable_node(i).replace(p, value);
    return true;
  }
  erase_range(static_cast<size_t>(index), 1);
  insert_at_index(static_cast<size_t>(index), value);
  return true;
}

// Redis's _quicklistInsert: into the node when it has room, else into the neighbour at a node
// edge, else a new node at an edge, else a split of the full node.
void List::insert_at_index(size_t index, std::string_view value) {
  if (index == 0) return push_front(value);
  if (index >= size_) return push_back(value);
  auto [i, off] = locate(index);
  if (allow_insert(*nodes_[i], value.size())) {
    Listpack& node = mutable_node(i);
    node.insert_before(node.seek(static_cast<int64_t>(off)), value);
  } else if (off == 0 && allow_insert(*nodes_[i - 1], value.size())) {
    mutable_node(i - 1).push_back(value);
  } else if (off == 0) {
    auto fresh = std::make_shared<Listpack>();
    fresh->push_back(value);
    nodes_.insert(nodes_.begin() + static_cast<ptrdiff_t>(i), std::move(fresh));
  } else {
    split(i, off);
    if (allow_insert(*nodes_[i], value.size())) {
      mutable_node(i).push_back(value);
    } else if (allow_insert(*nodes_[i + 1], value.size())) {
      mutable_node(i + 1).push_front(value);
    } else {
      auto fresh = std::make_shared<Listpack>();
      fresh->push_back(value);
      nodes_.insert(nodes_.begin() + static_cast<ptrdiff_t>(i) + 1, std::move(fresh));
    }
    ++size_;
    // The halves of a split may now fit with their neighbours.
    if (i + 2 < nodes_.size()) try_merge(i + 1);
    if (i > 0) try_merge(i - 1);
    return;
  }
  ++size_;
}

bool List::insert(std::string_view pivot, std::string_view value, bool after) {
  size_t index = 0;
  bool found = false;
  for_each(0, false, [&](const Element& e) {
    if (e.equals(pivot)) {
      found = true;
      return false;
    }
    ++index;
    return true;
  });
  if (!found) return false;
  insert_at_index(after ? index + 1 : index, value);
  return true;
}

size_t List::remove(std::string_view value, int64_t count) {
  size_t limit = count == 0 ? SIZE_MAX : static_cast<size_t>(count < 0 ? -(count + 1) + 1 : count);
  size_t removed = 0;
  bool reverse = count < 0;
  for (size_t k = 0; k < nodes_.size() && removed < limit;) {
    size_t i = reverse ? nodes_.size() - 1 - k : k;
    const Listpack* node = nodes_[i].get();
    Listpack::Pos p = reverse ? node->last() : node->first();
    while (p != Listpack::kEnd && removed < limit) {
      if (!node->get(p).equals(value)) {
        p = reverse ? node->prev(p) : node->next(p);
        continue;
      }
      // Copying a shared node keeps its byte layout, so `p` stays valid in the copy.
      Listpack& writable = mutable_node(i);
      node = &writable;
      ++removed;
      --size_;
      if (reverse) {
        Listpack::Pos before = writable.prev(p);
        writable.erase(p);
        p = before;
      } else {
        p = writable.erase(p);
      }
    }
    if (nodes_[i]->empty()) {
      nodes_.erase(nodes_.begin() + static_cast<ptrdiff_t>(i));
      if (!reverse) continue;  // the next node moved into slot i
    }
    ++k;
  }
  if (removed > 0) {
    for (size_t i = 0; i + 1 < nodes_.size();) {
      if (!try_merge(i)) ++i;
    }
  }
  return removed;
}

void List::erase_range(size_t start, size_t count) {
  if (start >= size_ || count == 0) return;
  count = std::min(count, size_ - start);
  auto [i, off] = locate(start);
  size_t first_touched = i;
  size_ -= count;
  while (count > 0 && i < nodes_.size()) {
    size_t n = nodes_[i]->size();
    size_t k = std::min(count, n - off);
    if (off == 0 && k == n) {
      nodes_.erase(nodes_.begin() + static_cast<ptrdiff_t>(i));
    } else {
      mutable_node(i).erase_range(static_cast<int64_t>(off), k);
      ++i;
    }
    count -= k;
    off = 0;
  }
  // What remains on either side of the gap may fit in one node again.
  if (first_touched > 0) --first_touched;
  for (size_t j = first_touched; j + 1 < nodes_.size() && j <= first_touched + 1;) {
    if (!try_merge(j)) ++j;
  }
}

void List::for_each(size_t start, bool reverse,
                    const std::function<bool(const Element&)>& fn) const {
  if (start >= size_) return;
  auto [i, off] = locate(reverse ? size_ - 1 - start : start);
  Listpack::Pos p = nodes_[i]->seek(static_cast<int64_t>(off));
  for (;;) {
    const Listpack& node = *nodes_[i];
    for (; p != Listpack::kEnd; p = reverse ? node.prev(p) : node.next(p)) {
      if (!fn(node.get(p))) return;
    }
    if (reverse) {
      if (i == 0) return;
      --i;
      p = nodes_[i]->last();
    } else {
      if (++i == nodes_.size()) return;
      p = nodes_[i]->first();
    }
  }
}

std::vector<std::string> List::to_vector() const {
  std::vector<std::string> out;
  out.reserve(size_);
  for_each(0, false, [&](const Element& e) {
    out.push_back(e.to_string());
    return true;
  });
  return out;
}

}  // namespace tandem
