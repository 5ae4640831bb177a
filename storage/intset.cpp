// Redis's intset.c, on a HeapBytes holding the exact Redis blob (see storage/intset.h).
#include "storage/intset.h"

#include <bit>
#include <cstdint>
#include <cstring>

#include "storage/little_endian.h"

namespace tandem {
namespace {

int64_t load(const char* p, uint32_t enc) {
  switch (enc) {
    case IntSet::kEnc16: {
      int16_t v;
      std::memcpy(&v, p, sizeof v);
      return v;
    }
    case IntSet::kEnc32: {
      int32_t v;
      std::memcpy(&v, p, sizeof v);
      return v;
    }
    default: {
      int64_t v;
      std::memcpy(&v, p, sizeof v);
      return v;
    }
  }
}

}  // namespace

// An empty intset allocates nothing until its first insert (bytes() shows the header then).
IntSet::IntSet() = default;

std::string_view IntSet::bytes() const {
  static constexpr char kEmpty[kHeaderSize] = {kEnc16, 0, 0, 0, 0, 0, 0, 0};
  return bytes_.size() ? bytes_.view() : std::string_view(kEmpty, kHeaderSize);
}

std::optional<IntSet> IntSet::from_bytes(std::string_view blob) {
  if (!validate_intset(blob, true)) return std::nullopt;
  IntSet s;
  s.bytes_.assign(blob);
  s.encoding_ = load_le32(blob.data());
  s.length_ = load_le32(blob.data() + 4);
  return s;
}

uint32_t IntSet::encoding_for(int64_t value) {
  if (value < INT32_MIN || value > INT32_MAX) return kEnc64;
  if (value < INT16_MIN || value > INT16_MAX) return kEnc32;
  return kEnc16;
}

void IntSet::write_header() {
  std::memcpy(bytes_.data(), &encoding_, 4);
  std::memcpy(bytes_.data() + 4, &length_, 4);
}

int64_t IntSet::get(size_t index, uint32_t enc) const {
  return load(bytes_.data() + kHeaderSize + index * enc, enc);
}

void IntSet::put(size_t index, int64_t value) {
  char* p = bytes_.data() + kHeaderSize + index * encoding_;
  switch (encoding_) {
    case kEnc16: {
      int16_t v = static_cast<int16_t>(value);
      std::memcpy(p, &v, sizeof v);
      break;
    }
    case kEnc32: {
      int32_t v = static_cast<int32_t>(value);
      std::memcpy(p, &v, sizeof v);
      break;
    }
    default:
      std::memcpy(p, &value, sizeof value);
  }
}

bool IntSet::search(int64_t value, size_t& pos) const {
  if (length_ == 0) {
    pos = 0;
    return false;
  }
  // Quick answers at the ends, as Redis's intsetSearch.
  if (value > max()) {
    pos = length_;
    return false;
  }
  if (value < min()) {
    pos = 0;
    return false;
  }
  size_t lo = 0, hi = length_;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int64_t cur = at(mid);
    if (cur == value) {
      pos = mid;
      return true;
    }
    if (cur < value) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  pos = lo;
  return false;
}

bool IntSet::contains(int64_t value) const {
  size_t pos;
  return encoding_for(value) <= encoding_ && search(value, pos);
}

// A value wider than the current encoding is smaller or larger than every element, so it goes
// first or last (Redis's intsetUpgradeAndAdd).
void IntSet::upgrade_and_add(int64_t value) {
  const uint32_t old_enc = encoding_;
  const bool prepend = value < 0;
  encoding_ = encoding_for(value);
  bytes_.resize(kHeaderSize + (size_t{length_} + 1) * encoding_);
  // Back to front so no element is overwritten before it is moved.
  for (size_t i = length_; i-- > 0;) put(i + (prepend ? 1 : 0), get(i, old_enc));
  ++length_;
  put(prepend ? 0 : length_ - 1, value);
  write_header();
}

bool IntSet::insert(int64_t value) {
  if (encoding_for(value) > encoding_) {
    upgrade_and_add(value);
    return true;
  }
  size_t pos;
  if (search(value, pos)) return false;
  bytes_.resize(kHeaderSize + (size_t{length_} + 1) * encoding_);
  char* base = bytes_.data() + kHeaderSize;
  std::memmove(base + (pos + 1) * encoding_, base + pos * encoding_, (length_ - pos) * encoding_);
  ++length_;
  put(pos, value);
  write_header();
  return true;
}

void IntSet::erase_at(size_t index) {
  char* base = bytes_.data() + kHeaderSize;
  std::memmove(base + index * encoding_, base + (index + 1) * encoding_,
               (length_ - index - 1) * encoding_);
  --length_;
  bytes_.resize(kHeaderSize + size_t{length_} * encoding_);
  write_header();
}

bool IntSet::erase(int64_t value) {
  size_t pos;
  if (encoding_for(value) > encoding_ || !search(value, pos)) return false;
  erase_at(pos);
  return true;
}

bool validate_intset(std::string_view blob, bool deep) {
  if (blob.size() < IntSet::kHeaderSize) return false;
  const uint32_t enc = load_le32(blob.data());
  if (enc != IntSet::kEnc16 && enc != IntSet::kEnc32 && enc != IntSet::kEnc64) return false;
  const uint64_t count = load_le32(blob.data() + 4);
  if (IntSet::kHeaderSize + count * enc != blob.size()) return false;
  if (count == 0) return false;
  if (!deep) return true;
  const char* base = blob.data() + IntSet::kHeaderSize;
  int64_t prev = load(base, enc);
  for (uint64_t i = 1; i < count; ++i) {
    int64_t cur = load(base + i * enc, enc);
    if (cur <= prev) return false;
    prev = cur;
  }
  return true;
}

}  // namespace tandem
