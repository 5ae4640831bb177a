// HeapBytes: a byte string in one heap block of exactly its size, for the compact encodings
// (listpack, intset) that small collections keep by the million.
//
// Unlike std::string (32 bytes, and a capacity that grows geometrically) it is 16 bytes and its
// block is never larger than its contents, as Redis keeps its listpacks and intsets. The price
// is that every size change reallocates and copies, which is fine for the small blobs (a few KB
// at most with the default limits) that use it. Copies are deep.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <memory>
#include <string_view>
#include <utility>

namespace tandem {

class HeapBytes {
 public:
  HeapBytes() = default;
  explicit HeapBytes(std::string_view s) { assign(s); }
  HeapBytes(const HeapBytes& other) { assign(other.view()); }
  HeapBytes& operator=(const HeapBytes& other) {
    if (this != &other) assign(other.view());
    return *this;
  }
  HeapBytes(HeapBytes&& other) noexcept
      : bytes_(std::move(other.bytes_)), size_(std::exchange(other.size_, 0)) {}
  HeapBytes& operator=(HeapBytes&& other) noexcept {
    bytes_ = std::move(other.bytes_);
    size_ = std::exchange(other.size_, 0);
    return *this;
  }

  const char* data() const { return bytes_.get(); }
  char* data() { return bytes_.get(); }
  size_t size() const { return size_; }
  std::string_view view() const { return {bytes_.get(), size_}; }
  char operator[](size_t i) const { return bytes_[i]; }
  char& operator[](size_t i) { return bytes_[i]; }

  void assign(std::string_view s) {
    auto block = allocate(s.size());
    if (!s.empty()) std::memcpy(block.get(), s.data(), s.size());
    bytes_ = std::move(block);
    size_ = s.size();
  }
  // Replaces `remove` bytes at `at` with `insert` (which must not point into this string).
  void replace(size_t at, size_t remove, std::string_view insert) {
    const size_t tail = size_ - at - remove;
    const size_t n = size_ - remove + insert.size();
    if (n == size_) {  // same size: in place
      if (!insert.empty()) std::memcpy(bytes_.get() + at, insert.data(), insert.size());
      return;
    }
    auto block = allocate(n);
    if (at) std::memcpy(block.get(), bytes_.get(), at);
    if (!insert.empty()) std::memcpy(block.get() + at, insert.data(), insert.size());
    if (tail) std::memcpy(block.get() + at + insert.size(), bytes_.get() + at + remove, tail);
    bytes_ = std::move(block);
    size_ = n;
  }
  void erase(size_t at, size_t n) { replace(at, n, {}); }
  // Grows (zero-filling) or truncates to n bytes.
  void resize(size_t n) {
    if (n == size_) return;
    auto block = allocate(n);
    const size_t keep = std::min(n, size_);
    if (keep) std::memcpy(block.get(), bytes_.get(), keep);
    if (n > keep) std::memset(block.get() + keep, 0, n - keep);
    bytes_ = std::move(block);
    size_ = n;
  }

 private:
  static std::unique_ptr<char[]> allocate(size_t n) {
    return n ? std::make_unique_for_overwrite<char[]>(n) : nullptr;
  }

  std::unique_ptr<char[]> bytes_;
  size_t size_ = 0;
};

}  // namespace tandem
