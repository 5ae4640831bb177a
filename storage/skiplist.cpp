#include "storage/skiplist.h"

#include <random>

namespace tandem {

SkipList::SkipList() : header_(std::make_unique<Node>()) { header_->levels.resize(kMaxLevel); }

SkipList::~SkipList() {
  Node* x = header_->levels[0].forward;
  while (x) {
    Node* next = x->levels[0].forward;
    delete x;
    x = next;
  }
}

int SkipList::random_level() {
  // Redis's zslRandomLevel: each further level with probability 1/4.
  static thread_local std::mt19937 rng{std::random_device{}()};
  int level = 1;
  while ((rng() & 0xFFFF) < (0.25 * 0xFFFF) && level < kMaxLevel) ++level;
  return level;
}

SkipList::Node* SkipList::new_node(int level, double score, std::string_view member) {
  auto* node = new Node;
  node->member = member;
  node->score = score;
  node->levels.resize(static_cast<size_t>(level));
  level_links_ += static_cast<size_t>(level);
  return node;
}

void SkipList::free_node(Node* node) {
  level_links_ -= node->levels.size();
  delete node;
}

SkipList::Node* SkipList::insert(double score, std::string_view member) {
  Node* update[kMaxLevel];
  size_t rank[kMaxLevel];
  Node* x = header_.get();
  for (int i = level_ - 1; i >= 0; --i) {
    rank[i] = i == level_ - 1 ? 0 : rank[i + 1];
    while (x->levels[i].forward &&
           zset_less(x->levels[i].forward->score, x->levels[i].forward->member, score, member)) {
      rank[i] += x->levels[i].span;
      x = x->levels[i].forward;
    }
    update[i] = x;
  }
  int level = random_level();
  if (level > level_) {
    for (int i = level_; i < level; ++i) {
      rank[i] = 0;
      update[i] = header_.get();
      update[i]->levels[i].span = length_;
    }
    level_ = level;
  }
  x = new_node(level, score, member);
  for (int i = 0; i < level; ++i) {
    x->levels[i].forward = update[i]->levels[i].forward;
    update[i]->levels[i].forward = x;
    x->levels[i].span = update[i]->levels[i].span - (rank[0] - rank[i]);
    update[i]->levels[i].span = (rank[0] - rank[i]) + 1;
  }
  for (int i = level; i < level_; ++i) ++update[i]->levels[i].span;
  x->backward = update[0] == header_.get() ? nullptr : update[0];
  if (x->levels[0].forward) {
    x->levels[0].forward->backward = x;
  } else {
    tail_ = x;
  }
  ++length_;
  return x;
}

void SkipList::unlink(Node* x, Node** update) {
  for (int i = 0; i < level_; ++i) {
    if (update[i]->levels[i].forward == x) {
      update[i]->levels[i].span += x->levels[i].span - 1;
      update[i]->levels[i].forward = x->levels[i].forward;
    } else {
      --update[i]->levels[i].span;
    }
  }
  if (x->levels[0].forward) {
    x->levels[0].forward->backward = x->backward;
  } else {
    tail_ = x->backward;
  }
  while (level_ > 1 && !header_->levels[level_ - 1].forward) --level_;
  --length_;
}

bool SkipList::erase(double score, std::string_view member) {
  Node* update[kMaxLevel];
  Node* x = header_.get();
  for (int i = level_ - 1; i >= 0; --i) {
    while (x->levels[i].forward &&
           zset_less(x->levels[i].forward->score, x->levels[i].forward->member, score, member)) {
      x = x->levels[i].forward;
    }
    update[i] = x;
  }
  x = x->levels[0].forward;
  if (!x || x->score != score || x->member != member) return false;
  unlink(x, update);
  free_node(x);
  return true;
}

SkipList::Node* SkipList::update_score(double old_score, std::string_view member,
                                       double new_score) {
  Node* update[kMaxLevel];
  Node* x = header_.get();
  for (int i = level_ - 1; i >= 0; --i) {
    while (x->levels[i].forward && zset_less(x->levels[i].forward->score,
                                             x->levels[i].forward->member, old_score, member)) {
      x = x->levels[i].forward;
    }
    update[i] = x;
  }
  x = x->levels[0].forward;
  // The caller guarantees the element exists with old_score.
  if ((!x->backward || x->backward->score < new_score) &&
      (!x->levels[0].forward || x->levels[0].forward->score > new_score)) {
    x->score = new_score;
    return x;
  }
  unlink(x, update);
  std::string_view m = x->member;
  free_node(x);
  return insert(new_score, m);
}

size_t SkipList::rank_of(double score, std::string_view member) const {
  size_t rank = 0;
  Node* x = header_.get();
  for (int i = level_ - 1; i >= 0; --i) {
    while (x->levels[i].forward &&
           !zset_less(score, member, x->levels[i].forward->score, x->levels[i].forward->member)) {
      rank += x->levels[i].span;
      x = x->levels[i].forward;
    }
    if (x != header_.get() && x->score == score && x->member == member) return rank;
  }
  return 0;
}

SkipList::Node* SkipList::at_rank(size_t rank) const {
  size_t traversed = 0;
  Node* x = header_.get();
  for (int i = level_ - 1; i >= 0; --i) {
    while (x->levels[i].forward && traversed + x->levels[i].span <= rank) {
      traversed += x->levels[i].span;
      x = x->levels[i].forward;
    }
    if (traversed == rank) return x == header_.get() ? nullptr : x;
  }
  return nullptr;
}

size_t SkipList::memory_usage() const {
  return (length_ + 1) * sizeof(Node) + (level_links_ + kMaxLevel) * sizeof(Node::Level);
}

}  // namespace tandem
