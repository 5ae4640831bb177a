// A value stored under a key, with the type and encoding Redis would report for it.
//
// A value is a string or a Collection (list, set, sorted set, hash) held through a shared_ptr:
// copying a Value shares the collection, and writers reach it only through mutable_as<T>(),
// which copies it first if it is shared (storage/collection.h).
//
// Strings follow Redis's object encodings: "int" for a canonical 64-bit integer of at most 20
// characters, "embstr" for short strings written whole (<= 44 bytes), "raw" for longer ones and
// for any string modified in place (APPEND, SETRANGE), exactly as OBJECT ENCODING shows them.
//
// Memory layout (24 bytes, so a keyspace entry fits an 80-byte allocation): an 8-byte header
// (LRU clock, representation, flags) and a 16-byte payload that is one of
//   - inline bytes, for strings of up to 16 bytes (no allocation),
//   - an integer,
//   - an immutable heap block <u32 length><bytes> for longer strings written whole,
//   - a std::string for strings edited in place (APPEND/SETRANGE need amortized growth),
//   - the shared_ptr of a collection.
// The representation is independent of the encoding Redis reports (embedded_ keeps that).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "storage/collection.h"

namespace tandem {

inline constexpr size_t kEmbstrSizeLimit = 44;

// Redis's string2ll: the canonical decimal form of an int64 and nothing else.
bool parse_int64(std::string_view s, int64_t& out);

class Value {
 public:
  // A string written whole (SET, MSET, ...): picks int, embstr or raw as Redis does.
  static Value from_string(std::string_view s);
  static Value from_int(int64_t v) {
    Value value(Rep::kInt);
    value.payload_.integer = v;
    return value;
  }
  // A string built piecewise (APPEND, SETRANGE): always raw, as Redis keeps it.
  static Value raw_string(std::string s);
  // A string never int-encoded, as Redis's createStringObject makes it (INCRBYFLOAT's result
  // "3" is embstr, not int): embstr up to 44 bytes, raw beyond.
  static Value plain_string(std::string_view s) { return bytes(s, s.size() <= kEmbstrSizeLimit); }

  // A list, set, sorted set or hash.
  static Value of(std::shared_ptr<Collection> collection);
  template <typename T, typename... Args>
  static Value make(Args&&... args) {
    return of(std::make_shared<T>(std::forward<Args>(args)...));
  }

  Value(const Value& other) : Value(other.rep_) { copy_from(other); }
  Value(Value&& other) noexcept : Value(other.rep_) { move_from(std::move(other)); }
  Value& operator=(const Value& other);
  Value& operator=(Value&& other) noexcept;
  ~Value() { destroy(); }

  ValueType type() const {
    return rep_ == Rep::kCollection ? payload_.collection->type() : ValueType::kString;
  }
  bool is_string() const { return rep_ != Rep::kCollection; }
  const char* type_name() const;
  const char* encoding_name() const;

  // The collection if this value is one of type T (T::kType), else nullptr. Read-only.
  template <typename T>
  const T* as() const {
    const Collection* c = collection();
    return c && c->type() == T::kType ? static_cast<const T*>(c) : nullptr;
  }
  // The collection for writing; the caller has checked the type with as<T>(). Copies it first
  // when someone else (a COPY, a snapshot) still shares it.
  template <typename T>
  T& mutable_as() {
    auto& c = payload_.collection;
    if (c.use_count() > 1) c = c->clone();
    return static_cast<T&>(*c);
  }
  const Collection* collection() const {
    return rep_ == Rep::kCollection ? payload_.collection.get() : nullptr;
  }

  // Strings only, from here on.
  bool is_int() const { return rep_ == Rep::kInt; }
  int64_t int_value() const { return payload_.integer; }
  // The string form (integers decoded).
  std::string string_value() const;
  // The string bytes without copying them; an integer is formatted into `int_scratch`.
  std::string_view string_view(std::string& int_scratch) const;
  size_t string_length() const;
  // The sizes requested from the allocator for what a string owns beyond the Value itself: none
  // when inline or an integer, one block for a longer string written whole, the std::string and
  // its buffer (when not in its small-string buffer) for one edited in place. 0 means none.
  // MEMORY USAGE rounds each one up as the allocator does.
  std::array<size_t, 2> string_allocations() const;
  // Converts to a raw string for in-place modification.
  std::string& mutable_raw_string();

  // LRU clock in seconds (Redis's 24-bit LRU clock resolution is one second here too).
  uint32_t access_time() const { return access_time_; }
  void touch(uint32_t now_seconds) { access_time_ = now_seconds; }

 private:
  enum class Rep : uint8_t { kInline, kInt, kBlock, kMutable, kCollection };
  static constexpr size_t kInlineCapacity = 16;

  explicit Value(Rep rep) : rep_(rep) {}
  // A string stored inline or in a block; `embedded` is what OBJECT ENCODING reports.
  static Value bytes(std::string_view s, bool embedded);
  static std::unique_ptr<char[]> make_block(std::string_view s);
  std::string_view stored_bytes() const;
  void copy_from(const Value& other);
  void move_from(Value&& other) noexcept;
  void destroy() noexcept;

  uint32_t access_time_ = 0;
  Rep rep_;
  bool embedded_ = false;
  uint8_t inline_size_ = 0;
  union Payload {
    Payload() {}
    ~Payload() {}
    char inline_bytes[kInlineCapacity];
    int64_t integer;
    std::unique_ptr<char[]> block;  // <u32 length><bytes>
    std::unique_ptr<std::string> mutable_string;
    std::shared_ptr<Collection> collection;
  } payload_;
};

}  // namespace tandem
