// Redis's zskiplist (t_zset.c): the ordered half of a large sorted set.
//
// Elements are ordered by score, then by member bytes (memcmp order, a prefix first), exactly
// as Redis orders them, so ranks and range replies match byte for byte. Each level's forward
// link carries a span (how many elements it skips), which makes rank lookups and "the element at
// rank r" O(log n). Levels are drawn as Redis draws them (p = 1/4, at most 32).
//
// Members are not owned here: each node holds a view of the member string owned by the sorted
// set's member -> score dict (whose entries never move), like Redis sharing one sds between the
// dict and the skiplist. So a node must be unlinked before its dict entry is erased.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace tandem {

class SkipList {
 public:
  static constexpr int kMaxLevel = 32;

  struct Node {
    struct Level {
      Node* forward = nullptr;
      size_t span = 0;
    };
    std::string_view member;
    double score = 0;
    Node* backward = nullptr;
    std::vector<Level> levels;
  };

  SkipList();
  ~SkipList();
  SkipList(const SkipList&) = delete;
  SkipList& operator=(const SkipList&) = delete;

  size_t size() const { return length_; }
  Node* first() const { return header_->levels[0].forward; }
  Node* last() const { return tail_; }

  // Inserts a member that is not present (the caller checks with its dict).
  Node* insert(double score, std::string_view member);
  // Removes the node with exactly this score and member; false if there is none.
  bool erase(double score, std::string_view member);
  // Moves an element to a new score (it must exist with `old_score`); returns its node, which
  // may be a different one. Reuses the node in place when the order does not change, as Redis's
  // zslUpdateScore.
  Node* update_score(double old_score, std::string_view member, double new_score);

  // 1-based rank of the element (0 if absent), as zslGetRank.
  size_t rank_of(double score, std::string_view member) const;
  // The element at a 1-based rank, or nullptr.
  Node* at_rank(size_t rank) const;

  // The first node whose (score, member) satisfies `after_min` is found by descending the levels:
  // `lower_bound(pred)` returns the first node for which pred(node) is false, where pred must be
  // true for a prefix of the list (and false after). `last_where(pred)` is the last node for
  // which pred is true, pred being true on a prefix.
  template <typename Pred>
  Node* first_not(Pred pred) const {
    Node* x = header_.get();
    for (int i = level_ - 1; i >= 0; --i) {
      while (x->levels[i].forward && pred(*x->levels[i].forward)) x = x->levels[i].forward;
    }
    return x->levels[0].forward;
  }
  template <typename Pred>
  Node* last_where(Pred pred) const {
    Node* x = header_.get();
    for (int i = level_ - 1; i >= 0; --i) {
      while (x->levels[i].forward && pred(*x->levels[i].forward)) x = x->levels[i].forward;
    }
    return x == header_.get() ? nullptr : x;
  }

  // Removes the elements at 1-based ranks [start, end]; `on_remove` sees each one before its
  // node is freed (the sorted set erases the dict entry there).
  template <typename F>
  size_t erase_rank_range(size_t start, size_t end, F&& on_remove) {
    Node* update[kMaxLevel];
    size_t traversed = 0;
    Node* x = header_.get();
    for (int i = level_ - 1; i >= 0; --i) {
      while (x->levels[i].forward && traversed + x->levels[i].span < start) {
        traversed += x->levels[i].span;
        x = x->levels[i].forward;
      }
      update[i] = x;
    }
    ++traversed;
    x = x->levels[0].forward;
    size_t removed = 0;
    while (x && traversed <= end) {
      Node* next = x->levels[0].forward;
      unlink(x, update);
      on_remove(*x);
      free_node(x);
      ++removed;
      ++traversed;
      x = next;
    }
    return removed;
  }

  // Approximate heap bytes of the nodes (not the members).
  size_t memory_usage() const;

 private:
  Node* new_node(int level, double score, std::string_view member);
  void free_node(Node* node);
  void unlink(Node* x, Node** update);
  static int random_level();

  std::unique_ptr<Node> header_;
  Node* tail_ = nullptr;
  size_t length_ = 0;
  int level_ = 1;
  size_t level_links_ = 0;  // total levels over all nodes, for memory_usage
};

// Redis's order of (score, member): score first, then member bytes.
inline bool zset_less(double a_score, std::string_view a, double b_score, std::string_view b) {
  return a_score < b_score || (a_score == b_score && a < b);
}

}  // namespace tandem
