#include "storage/zset_tree.h"

#include <cstring>
#include <limits>
#include <stdexcept>
#include <utility>

namespace tandem {

// A split node's new right sibling and what the parent needs to link it.
struct ZsetTree::Split {
  Node* right = nullptr;
  size_t left_size = 0;
  size_t right_size = 0;
  double score = 0;  // the separator: a lower bound of the right node's keys
  std::string member;
};

namespace {

constexpr uint32_t kLeafMin = ZsetTree::kLeafMax / 4;
constexpr uint32_t kFanMin = ZsetTree::kFanMax / 4;

}  // namespace

ZsetTree& ZsetTree::operator=(ZsetTree&& o) noexcept {
  if (this != &o) {
    reset();
    root_ = std::exchange(o.root_, nullptr);
    height_ = std::exchange(o.height_, 0);
    size_ = std::exchange(o.size_, 0);
  }
  return *this;
}

void ZsetTree::reset() {
  if (root_) release(root_, height_);
  root_ = nullptr;
  height_ = 0;
  size_ = 0;
}

ZsetTree ZsetTree::shared_copy() const {
  ZsetTree copy;
  if (root_) root_->refs.fetch_add(1, std::memory_order_relaxed);
  copy.root_ = root_;
  copy.height_ = height_;
  copy.size_ = size_;
  return copy;
}

// --- links ---

void ZsetTree::release(Node* n, uint32_t height) {
  if (n->refs.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
  if (height == 0) {
    delete static_cast<Leaf*>(n);
    return;
  }
  auto* in = static_cast<Inner*>(n);
  for (uint32_t i = 0; i < in->count; ++i) release(in->children[i], height - 1);
  delete in;
}

// --- leaves ---

namespace {

// Byte capacity for `need` bytes: a quarter more, so inserts do not reallocate every time.
uint32_t grown_capacity(size_t need) {
  size_t cap = need + need / 4 + 16;
  return static_cast<uint32_t>(std::min<size_t>(cap, std::numeric_limits<uint32_t>::max()));
}

// Edits of a leaf that keep `bytes`, `capacity` and `ends` consistent (templates, so that they
// reach the private node type through deduction).
struct LeafOps {
  template <typename L>
  static void resize_buffer(L* l, uint32_t cap) {
    std::unique_ptr<char[]> d;
    if (cap) d = std::make_unique_for_overwrite<char[]>(cap);
    if (l->bytes) std::memcpy(d.get(), l->data.get(), l->bytes);
    l->data = std::move(d);
    l->capacity = cap;
  }
  template <typename L>
  static void reserve(L* l, size_t need) {
    if (need > std::numeric_limits<uint32_t>::max()) throw std::length_error("leaf too large");
    if (need > l->capacity) resize_buffer(l, grown_capacity(need));
  }
  // Gives back memory once at most half the buffer is used.
  template <typename L>
  static void maybe_shrink(L* l) {
    if (l->capacity > 64 && l->capacity / 2 > l->bytes) {
      resize_buffer(l, l->bytes ? grown_capacity(l->bytes) : 0);
    }
  }
  template <typename L>
  static void insert(L* l, uint32_t pos, double score, std::string_view m) {
    reserve(l, size_t{l->bytes} + m.size());
    const uint32_t at = l->begin(pos);
    const auto len = static_cast<uint32_t>(m.size());
    char* d = l->data.get();
    if (l->bytes > at) std::memmove(d + at + len, d + at, l->bytes - at);
    if (len) std::memcpy(d + at, m.data(), len);
    const uint32_t tail = l->count - pos;
    std::memmove(&l->scores[pos + 1], &l->scores[pos], tail * sizeof(double));
    std::memmove(&l->ends[pos + 1], &l->ends[pos], tail * sizeof(uint32_t));
    l->scores[pos] = score;
    l->ends[pos] = at + len;
    for (uint32_t j = pos + 1; j <= l->count; ++j) l->ends[j] += len;
    ++l->count;
    l->bytes += len;
  }
  // Removes elements [pos, pos + n).
  template <typename L>
  static void erase(L* l, uint32_t pos, uint32_t n) {
    const uint32_t b = l->begin(pos), e = l->ends[pos + n - 1], len = e - b;
    char* d = l->data.get();
    if (l->bytes > e) std::memmove(d + b, d + e, l->bytes - e);
    const uint32_t tail = l->count - pos - n;
    std::memmove(&l->scores[pos], &l->scores[pos + n], tail * sizeof(double));
    for (uint32_t j = 0; j < tail; ++j) l->ends[pos + j] = l->ends[pos + n + j] - len;
    l->count -= n;
    l->bytes -= len;
    maybe_shrink(l);
  }
  // Appends all of r's elements.
  template <typename L>
  static void append(L* l, const L* r) {
    reserve(l, size_t{l->bytes} + r->bytes);
    if (r->bytes) std::memcpy(l->data.get() + l->bytes, r->data.get(), r->bytes);
    std::memcpy(&l->scores[l->count], r->scores, r->count * sizeof(double));
    for (uint32_t j = 0; j < r->count; ++j) l->ends[l->count + j] = r->ends[j] + l->bytes;
    l->count += r->count;
    l->bytes += r->bytes;
  }
  // Moves elements [at, count) into `r` (empty).
  template <typename L>
  static void move_tail(L* l, uint32_t at, L* r) {
    const uint32_t b = l->begin(at), moved = l->bytes - b;
    resize_buffer(r, moved ? grown_capacity(moved) : 0);  // r is empty: nothing copied
    if (moved) std::memcpy(r->data.get(), l->data.get() + b, moved);
    r->bytes = moved;
    r->count = l->count - at;
    std::memcpy(r->scores, &l->scores[at], r->count * sizeof(double));
    for (uint32_t j = 0; j < r->count; ++j) r->ends[j] = l->ends[at + j] - b;
    l->count = at;
    l->bytes = b;
    maybe_shrink(l);
  }
};

}  // namespace

uint32_t ZsetTree::lower_bound(const Leaf* l, double score, std::string_view member) {
  uint32_t lo = 0, hi = l->count;
  while (lo < hi) {
    uint32_t mid = (lo + hi) / 2;
    if (zset_less(l->scores[mid], l->member(mid), score, member)) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

// The child whose key range holds (score, member): the last with a separator <= the key.
uint32_t ZsetTree::route(const Inner* in, double score, std::string_view member) {
  uint32_t lo = 1, hi = in->count;
  while (lo < hi) {
    uint32_t mid = (lo + hi) / 2;
    if (zset_less(score, member, in->sep_scores[mid], in->sep_members[mid])) {
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  return lo - 1;
}

void ZsetTree::make_exclusive(Node*& slot, uint32_t height) {
  if (slot->refs.load(std::memory_order_acquire) == 1) return;
  Node* copy;
  if (height == 0) {
    const auto* l = static_cast<const Leaf*>(slot);
    auto* c = new Leaf;
    LeafOps::append(c, l);
    copy = c;
  } else {
    const auto* in = static_cast<const Inner*>(slot);
    auto* c = new Inner;
    c->count = in->count;
    for (uint32_t i = 0; i < in->count; ++i) {
      in->children[i]->refs.fetch_add(1, std::memory_order_relaxed);
      c->children[i] = in->children[i];
      c->sizes[i] = in->sizes[i];
      c->sep_scores[i] = in->sep_scores[i];
      c->sep_members[i] = in->sep_members[i];
    }
    copy = c;
  }
  release(std::exchange(slot, copy), height);
}

// --- inner nodes ---

namespace {

template <typename I, typename N>
void inner_insert(I* in, uint32_t j, N* child, size_t size, double score, std::string&& member) {
  for (uint32_t k = in->count; k > j; --k) {
    in->children[k] = in->children[k - 1];
    in->sizes[k] = in->sizes[k - 1];
    in->sep_scores[k] = in->sep_scores[k - 1];
    in->sep_members[k] = std::move(in->sep_members[k - 1]);
  }
  in->children[j] = child;
  in->sizes[j] = size;
  in->sep_scores[j] = score;
  in->sep_members[j] = std::move(member);
  ++in->count;
}

template <typename I>
void inner_erase(I* in, uint32_t j) {
  for (uint32_t k = j; k + 1 < in->count; ++k) {
    in->children[k] = in->children[k + 1];
    in->sizes[k] = in->sizes[k + 1];
    in->sep_scores[k] = in->sep_scores[k + 1];
    in->sep_members[k] = std::move(in->sep_members[k + 1]);
  }
  --in->count;
  in->sep_members[in->count].clear();
  in->sep_members[in->count].shrink_to_fit();
}

template <typename I>
size_t sum_sizes(const I* in) {
  size_t n = 0;
  for (uint32_t i = 0; i < in->count; ++i) n += in->sizes[i];
  return n;
}

}  // namespace

// --- insert ---

bool ZsetTree::insert_at(Node*& slot, uint32_t height, double score, std::string_view member,
                         Split* out) {
  make_exclusive(slot, height);
  if (height == 0) {
    auto* l = static_cast<Leaf*>(slot);
    const uint32_t pos = lower_bound(l, score, member);
    LeafOps::insert(l, pos, score, member);
    if (l->count <= kLeafMax && (l->bytes <= kLeafBytes || l->count < 2)) return false;
    // At an end, keep the old elements together (ascending or descending loads fill leaves).
    const uint32_t at = pos + 1 == l->count ? pos : (pos == 0 ? 1 : l->count / 2);
    auto* r = new Leaf;
    LeafOps::move_tail(l, at, r);
    out->right = r;
    out->left_size = l->count;
    out->right_size = r->count;
    out->score = r->scores[0];
    out->member.assign(r->member(0));
    return true;
  }
  auto* in = static_cast<Inner*>(slot);
  const uint32_t ci = route(in, score, member);
  Split child;
  if (!insert_at(in->children[ci], height - 1, score, member, &child)) {
    ++in->sizes[ci];
    return false;
  }
  in->sizes[ci] = child.left_size;
  const uint32_t j = ci + 1;
  inner_insert(in, j, child.right, child.right_size, child.score, std::move(child.member));
  if (in->count <= kFanMax) return false;
  const uint32_t at = j + 1 == in->count ? j : (j == 1 ? 1 : in->count / 2);
  auto* r = new Inner;
  r->count = in->count - at;
  for (uint32_t k = 0; k < r->count; ++k) {
    r->children[k] = in->children[at + k];
    r->sizes[k] = in->sizes[at + k];
    r->sep_scores[k] = in->sep_scores[at + k];
    r->sep_members[k] = std::move(in->sep_members[at + k]);
  }
  in->count = at;
  out->right = r;
  out->score = r->sep_scores[0];
  out->member = std::move(r->sep_members[0]);
  r->sep_members[0] = std::string();
  out->left_size = sum_sizes(in);
  out->right_size = sum_sizes(r);
  return true;
}

void ZsetTree::insert(double score, std::string_view member) {
  if (!root_) {
    root_ = new Leaf;
    height_ = 0;
  }
  Split split;
  if (insert_at(root_, height_, score, member, &split)) {
    auto* r = new Inner;
    r->count = 2;
    r->children[0] = root_;
    r->sizes[0] = split.left_size;
    r->children[1] = split.right;
    r->sizes[1] = split.right_size;
    r->sep_scores[1] = split.score;
    r->sep_members[1] = std::move(split.member);
    root_ = r;
    ++height_;
  }
  ++size_;
}

// --- erase ---

// After a write below child ci of `in` (exclusive): drops the child if it emptied, or merges it
// with a neighbour if it fell under a quarter full and both fit in one node.
void ZsetTree::fix_child(Inner* in, uint32_t ci, uint32_t child_height) {
  Node* c = in->children[ci];
  if (c->count == 0) {
    release(c, child_height);
    inner_erase(in, ci);
    return;
  }
  const uint32_t min = child_height == 0 ? kLeafMin : kFanMin;
  if (c->count >= min || in->count < 2) return;
  const uint32_t left = ci > 0 ? ci - 1 : ci, right = left + 1;
  Node* rn = in->children[right];
  if (child_height == 0) {
    const auto* a = static_cast<const Leaf*>(in->children[left]);
    const auto* b = static_cast<const Leaf*>(rn);
    if (a->count + b->count > kLeafMax || a->bytes + b->bytes > kLeafBytes) return;
    make_exclusive(in->children[left], 0);
    LeafOps::append(static_cast<Leaf*>(in->children[left]), b);
  } else {
    if (in->children[left]->count + rn->count > kFanMax) return;
    make_exclusive(in->children[left], child_height);
    auto* a = static_cast<Inner*>(in->children[left]);
    const auto* b = static_cast<const Inner*>(rn);
    for (uint32_t k = 0; k < b->count; ++k) {
      b->children[k]->refs.fetch_add(1, std::memory_order_relaxed);
      a->children[a->count + k] = b->children[k];
      a->sizes[a->count + k] = b->sizes[k];
      // The first of b's children is separated by the parent's separator of b.
      a->sep_scores[a->count + k] = k ? b->sep_scores[k] : in->sep_scores[right];
      a->sep_members[a->count + k] = k ? b->sep_members[k] : in->sep_members[right];
    }
    a->count += b->count;
  }
  in->sizes[left] += in->sizes[right];
  release(rn, child_height);
  inner_erase(in, right);
}

bool ZsetTree::erase_at(Node*& slot, uint32_t height, double score, std::string_view member) {
  make_exclusive(slot, height);
  if (height == 0) {
    auto* l = static_cast<Leaf*>(slot);
    const uint32_t pos = lower_bound(l, score, member);
    if (pos == l->count || l->scores[pos] != score || l->member(pos) != member) return false;
    LeafOps::erase(l, pos, 1);
    return true;
  }
  auto* in = static_cast<Inner*>(slot);
  const uint32_t ci = route(in, score, member);
  if (!erase_at(in->children[ci], height - 1, score, member)) return false;
  --in->sizes[ci];
  fix_child(in, ci, height - 1);
  return true;
}

// One pass of erase_ranks: removes up to n elements from rank `rank` on, all in one leaf.
size_t ZsetTree::erase_run(Node*& slot, uint32_t height, size_t rank, size_t n) {
  make_exclusive(slot, height);
  if (height == 0) {
    auto* l = static_cast<Leaf*>(slot);
    const auto pos = static_cast<uint32_t>(rank);
    const auto k = static_cast<uint32_t>(std::min<size_t>(n, l->count - pos));
    LeafOps::erase(l, pos, k);
    return k;
  }
  auto* in = static_cast<Inner*>(slot);
  uint32_t ci = 0;
  while (rank >= in->sizes[ci]) rank -= in->sizes[ci++];
  const size_t k = erase_run(in->children[ci], height - 1, rank, n);
  in->sizes[ci] -= k;
  fix_child(in, ci, height - 1);
  return k;
}

void ZsetTree::shrink_root() {
  while (height_ > 0 && root_->count == 1) {
    auto* in = static_cast<Inner*>(root_);  // exclusive: the write just descended through it
    Node* child = in->children[0];
    in->count = 0;  // its link to the child becomes the root link
    release(in, height_);
    root_ = child;
    --height_;
  }
  if (root_->count == 0) reset();
}

bool ZsetTree::erase(double score, std::string_view member) {
  if (!root_ || !erase_at(root_, height_, score, member)) return false;
  --size_;
  shrink_root();
  return true;
}

void ZsetTree::erase_ranks(size_t first, size_t last) {
  if (first > last || last >= size_) return;
  for (size_t left = last - first + 1; left > 0;) {
    const size_t k = erase_run(root_, height_, first, left);
    left -= k;
    size_ -= k;
    shrink_root();
  }
}

// --- update ---

bool ZsetTree::set_in_place(double old_score, std::string_view member, double new_score) {
  // Look before writing: an update that moves the element must not copy the path twice.
  const Node* x = root_;
  for (uint32_t h = height_; h > 0; --h) {
    const auto* in = static_cast<const Inner*>(x);
    x = in->children[route(in, old_score, member)];
  }
  const auto* l = static_cast<const Leaf*>(x);
  const uint32_t pos = lower_bound(l, old_score, member);
  if (pos == 0 || pos + 1 >= l->count ||
      !zset_less(l->scores[pos - 1], l->member(pos - 1), new_score, member) ||
      !zset_less(new_score, member, l->scores[pos + 1], l->member(pos + 1))) {
    return false;
  }
  Node** slot = &root_;
  for (uint32_t h = height_; h > 0; --h) {
    make_exclusive(*slot, h);
    auto* in = static_cast<Inner*>(*slot);
    slot = &in->children[route(in, old_score, member)];
  }
  make_exclusive(*slot, 0);
  static_cast<Leaf*>(*slot)->scores[pos] = new_score;
  return true;
}

void ZsetTree::update_score(double old_score, std::string_view member, double new_score) {
  if (set_in_place(old_score, member, new_score)) return;
  erase(old_score, member);
  insert(new_score, member);
}

std::optional<size_t> ZsetTree::rank_of(double score, std::string_view member) const {
  if (!root_) return std::nullopt;
  size_t rank = 0;
  const Node* x = root_;
  for (uint32_t h = height_; h > 0; --h) {
    const auto* in = static_cast<const Inner*>(x);
    const uint32_t ci = route(in, score, member);
    for (uint32_t i = 0; i < ci; ++i) rank += in->sizes[i];
    x = in->children[ci];
  }
  const auto* l = static_cast<const Leaf*>(x);
  const uint32_t pos = lower_bound(l, score, member);
  if (pos == l->count || l->scores[pos] != score || l->member(pos) != member) return std::nullopt;
  return rank + pos;
}

// --- accounting and checks ---

size_t ZsetTree::node_memory(const Node* n, uint32_t height, bool unshared_only) {
  if (unshared_only && n->refs.load(std::memory_order_acquire) != 1) return 0;
  if (height == 0) return sizeof(Leaf) + static_cast<const Leaf*>(n)->capacity;
  const auto* in = static_cast<const Inner*>(n);
  size_t bytes = sizeof(Inner);
  for (uint32_t i = 0; i < in->count; ++i) {
    if (in->sep_members[i].capacity() > 15) bytes += in->sep_members[i].capacity() + 1;
    bytes += node_memory(in->children[i], height - 1, unshared_only);
  }
  return bytes;
}

size_t ZsetTree::memory_usage() const { return root_ ? node_memory(root_, height_, false) : 0; }

size_t ZsetTree::unshared_memory() const { return root_ ? node_memory(root_, height_, true) : 0; }

size_t ZsetTree::estimated_element_bytes(size_t member_size) {
  // Leaves three-quarters full; the buffer a quarter larger than its contents.
  return (sizeof(Leaf) * 4 / 3 + kLeafMax - 1) / kLeafMax + member_size + member_size / 4;
}

bool ZsetTree::valid_node(const Node* n, uint32_t height, bool is_root, size_t* size,
                          const double* lo_score, std::string_view lo_member,
                          const double* hi_score, std::string_view hi_member) {
  if (n->refs.load() == 0 || n->count == 0) return false;
  auto in_range = [&](double s, std::string_view m) {
    if (lo_score && zset_less(s, m, *lo_score, lo_member)) return false;
    if (hi_score && !zset_less(s, m, *hi_score, hi_member)) return false;
    return true;
  };
  if (height == 0) {
    const auto* l = static_cast<const Leaf*>(n);
    if (l->count > kLeafMax || l->bytes > l->capacity || l->ends[l->count - 1] != l->bytes) {
      return false;
    }
    for (uint32_t i = 0; i < l->count; ++i) {
      if (l->begin(i) > l->ends[i] || !in_range(l->scores[i], l->member(i))) return false;
      if (i && !zset_less(l->scores[i - 1], l->member(i - 1), l->scores[i], l->member(i))) {
        return false;
      }
    }
    *size = l->count;
    return true;
  }
  const auto* in = static_cast<const Inner*>(n);
  if (in->count > kFanMax || (is_root && in->count < 2)) return false;
  size_t total = 0;
  for (uint32_t i = 0; i < in->count; ++i) {
    const double* lo = i ? &in->sep_scores[i] : lo_score;
    std::string_view lom = i ? std::string_view(in->sep_members[i]) : lo_member;
    const double* hi = i + 1 < in->count ? &in->sep_scores[i + 1] : hi_score;
    std::string_view him = i + 1 < in->count ? std::string_view(in->sep_members[i + 1]) : hi_member;
    if (i && !in_range(in->sep_scores[i], in->sep_members[i])) return false;
    size_t child = 0;
    if (!valid_node(in->children[i], height - 1, false, &child, lo, lom, hi, him)) return false;
    if (child != in->sizes[i]) return false;
    total += child;
  }
  *size = total;
  return true;
}

bool ZsetTree::valid() const {
  if (!root_) return size_ == 0 && height_ == 0;
  size_t n = 0;
  return valid_node(root_, height_, true, &n, nullptr, {}, nullptr, {}) && n == size_;
}

}  // namespace tandem
