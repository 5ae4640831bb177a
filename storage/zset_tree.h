// ZsetTree: the ordered half of a large ("skiplist"-encoded) sorted set. An order-statistic
// B+ tree of (score, member) elements, ordered as Redis orders a zset (score, then member bytes),
// whose nodes are reference-counted and copied on write, so a copy of a whole tree is O(1) and
// a write to either copy afterwards copies only the root-to-leaf path it touches.
//
// Shape:
// - A leaf holds up to kLeafMax elements in order: their scores in one array, their members'
//   bytes back to back in one buffer (ends[i] is where member i ends), so an element costs its
//   score, a 4-byte offset and its bytes. A leaf whose member bytes exceed kLeafBytes splits too
//   (a soft bound: a leaf of one huge member cannot), which keeps the memmove of an insert and
//   the copy of a shared leaf small. Members are owned here, never views of the sorted set's
//   dict, so the dict may path-copy its entries (Dict::shared_copy) independently.
// - An inner node holds up to kFanMax children, the element count under each (ranks: a descent
//   adds the counts of the children it passes) and, for every child but the first, a separator:
//   a (score, member) key at or below each key of that child and above each key of the child
//   before. Erasing never updates separators; they only have to keep separating.
// - A node splits when it overflows; an insert at the very end (or start) of a full node leaves
//   the old node full and starts a new one, so ascending or descending loads (ZADD of increasing
//   scores, the RDB loader's descending zset2 order) fill nodes completely. A node falling under
//   a quarter full is merged with a neighbour when both fit in one node.
//
// Sharing (the copy-on-write contract of storage/collection.h, the dict's rule in storage/dict.h):
// refs counts the links to a node (the tree's root link, inner nodes' child slots). shared_copy()
// adds one link to the root. A write descends from the root and copies every node whose count
// is not 1 before writing it (the copy takes a link to each child, the original loses one),
// so a node is written only when every count on the path to it is 1: only one tree reaches it.
// Threads: a tree is used by one thread at a time, but trees sharing nodes may live on different
// threads (a snapshot's writer thread reads the original while the main thread writes a copy).
// A thread drops a link with fetch_sub(acq_rel) and the writer tests exclusivity with an
// acquire load, so every read another thread made of a node happens before it is written.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace tandem {

// Redis's order of (score, member): score first, then member bytes (memcmp, a prefix first).
inline bool zset_less(double a_score, std::string_view a, double b_score, std::string_view b) {
  return a_score < b_score || (a_score == b_score && a < b);
}

class ZsetTree {
 public:
  static constexpr uint32_t kLeafMax = 128;     // elements per leaf
  static constexpr uint32_t kLeafBytes = 4096;  // member bytes per leaf (soft, see above)
  static constexpr uint32_t kFanMax = 64;       // children per inner node

  ZsetTree() = default;
  ~ZsetTree() { reset(); }
  ZsetTree(ZsetTree&& o) noexcept { *this = std::move(o); }
  ZsetTree& operator=(ZsetTree&& o) noexcept;
  ZsetTree(const ZsetTree&) = delete;
  ZsetTree& operator=(const ZsetTree&) = delete;

  // A second tree sharing every node with this one (O(1)); reads this tree only, so it may run
  // while another thread reads it.
  ZsetTree shared_copy() const;

  size_t size() const { return size_; }
  // Inserts an element whose member is not present (the sorted set checks with its dict).
  void insert(double score, std::string_view member);
  // Removes exactly (score, member); false if absent.
  bool erase(double score, std::string_view member);
  // Moves a present element (old_score, member) to new_score; in place when its position in
  // its leaf stays right, as Redis's zslUpdateScore. `member` must not view this tree's bytes.
  void update_score(double old_score, std::string_view member, double new_score);
  // 0-based rank of (score, member), if present.
  std::optional<size_t> rank_of(double score, std::string_view member) const;
  // How many elements, from the lowest, satisfy pred(score, member), which must hold for a
  // prefix of the order (and not after it). O(log n).
  template <typename Pred>
  size_t count_while(Pred&& pred) const;
  // f(member, score) for ranks [first, last] (0-based, inclusive, last < size()), upwards or,
  // reversed, from last down to first.
  template <typename F>
  void visit(size_t first, size_t last, bool reverse, F&& f) const;
  // Removes ranks [first, last] (last < size()).
  void erase_ranks(size_t first, size_t last);
  void reset();

  // Heap bytes of the nodes and member buffers.
  size_t memory_usage() const;
  // The part of memory_usage() no other tree shares (what copies-on-write have cost so far).
  size_t unshared_memory() const;
  // The heap bytes an element adds on average (MEMORY USAGE's estimate): its score and offset
  // in a leaf three-quarters full, and its bytes.
  static size_t estimated_element_bytes(size_t member_size);
  // Checks every invariant (order, counts, separators, fill): for tests.
  bool valid() const;

 private:
  struct Node {
    std::atomic<uint32_t> refs{1};  // links to this node
    uint32_t count = 0;             // elements (leaf) or children (inner)
  };
  struct Leaf : Node {
    uint32_t bytes = 0;     // member bytes in use
    uint32_t capacity = 0;  // of data
    std::unique_ptr<char[]> data;
    double scores[kLeafMax + 1];  // one spare slot: a node overflows, then splits
    uint32_t ends[kLeafMax + 1];
    uint32_t begin(uint32_t i) const { return i ? ends[i - 1] : 0; }
    std::string_view member(uint32_t i) const {
      return {data.get() + begin(i), ends[i] - begin(i)};
    }
  };
  struct Inner : Node {
    Node* children[kFanMax + 1];
    size_t sizes[kFanMax + 1];
    double sep_scores[kFanMax + 1];  // [0] unused
    std::string sep_members[kFanMax + 1];
  };
  struct Split;

  static void release(Node* n, uint32_t height);
  static void make_exclusive(Node*& slot, uint32_t height);
  static uint32_t route(const Inner* in, double score, std::string_view member);
  static uint32_t lower_bound(const Leaf* l, double score, std::string_view member);
  bool insert_at(Node*& slot, uint32_t height, double score, std::string_view member, Split* out);
  bool erase_at(Node*& slot, uint32_t height, double score, std::string_view member);
  bool set_in_place(double old_score, std::string_view member, double new_score);
  size_t erase_run(Node*& slot, uint32_t height, size_t rank, size_t n);
  static void fix_child(Inner* in, uint32_t ci, uint32_t child_height);
  void shrink_root();
  static size_t node_memory(const Node* n, uint32_t height, bool unshared_only);
  static bool valid_node(const Node* n, uint32_t height, bool is_root, size_t* size,
                         const double* lo_score, std::string_view lo_member, const double* hi_score,
                         std::string_view hi_member);

  template <typename F>
  static void visit_node(const Node* n, uint32_t height, size_t lo, size_t hi, bool reverse, F& f);

  Node* root_ = nullptr;
  uint32_t height_ = 0;  // inner levels above the leaves
  size_t size_ = 0;
};

template <typename Pred>
size_t ZsetTree::count_while(Pred&& pred) const {
  if (!root_) return 0;
  size_t n = 0;
  const Node* x = root_;
  for (uint32_t h = height_; h > 0; --h) {
    const auto* in = static_cast<const Inner*>(x);
    // The child holding the boundary: the last whose separator satisfies pred (or the first).
    uint32_t lo = 1, hi = in->count;
    while (lo < hi) {
      uint32_t mid = (lo + hi) / 2;
      if (pred(in->sep_scores[mid], std::string_view(in->sep_members[mid]))) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    for (uint32_t i = 0; i + 1 < lo; ++i) n += in->sizes[i];
    x = in->children[lo - 1];
  }
  const auto* l = static_cast<const Leaf*>(x);
  uint32_t lo = 0, hi = l->count;
  while (lo < hi) {
    uint32_t mid = (lo + hi) / 2;
    if (pred(l->scores[mid], l->member(mid))) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return n + lo;
}

template <typename F>
void ZsetTree::visit(size_t first, size_t last, bool reverse, F&& f) const {
  if (first > last || last >= size_) return;
  visit_node(root_, height_, first, last, reverse, f);
}

template <typename F>
void ZsetTree::visit_node(const Node* n, uint32_t height, size_t lo, size_t hi, bool reverse,
                          F& f) {
  if (height == 0) {
    const auto* l = static_cast<const Leaf*>(n);
    if (!reverse) {
      for (size_t i = lo; i <= hi; ++i) f(l->member(uint32_t(i)), l->scores[i]);
    } else {
      for (size_t i = hi + 1; i-- > lo;) f(l->member(uint32_t(i)), l->scores[i]);
    }
    return;
  }
  const auto* in = static_cast<const Inner*>(n);
  if (!reverse) {
    size_t base = 0;
    for (uint32_t i = 0; i < in->count && base <= hi; base += in->sizes[i++]) {
      const size_t end = base + in->sizes[i];  // exclusive
      if (end <= lo) continue;
      visit_node(in->children[i], height - 1, std::max(lo, base) - base,
                 std::min(hi, end - 1) - base, reverse, f);
    }
    return;
  }
  size_t end = 0;
  for (uint32_t i = 0; i < in->count; ++i) end += in->sizes[i];
  for (uint32_t i = in->count; i-- > 0 && end > lo;) {
    const size_t base = end - in->sizes[i];
    if (base <= hi) {
      visit_node(in->children[i], height - 1, std::max(lo, base) - base,
                 std::min(hi, end - 1) - base, reverse, f);
    }
    end = base;
  }
}

}  // namespace tandem
