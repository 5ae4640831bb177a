// A value stored under a key, with the type and encoding Redis would report for it.
//
// A value is a string (held inline) or a Collection (list, set, sorted set, hash) held through
// a shared_ptr: copying a Value shares the collection, and writers reach it only through
// mutable_as<T>(), which copies it first if it is shared (storage/collection.h). Strings follow
// Redis's object encodings: "int" for a canonical 64-bit integer of at most 20 characters, "embstr"
// for short strings written whole (<= 44 bytes), "raw" for longer ones and for any string modified
// in place (APPEND, SETRANGE), exactly as OBJECT ENCODING shows them.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <variant>

#include "storage/collection.h"

namespace tandem {

inline constexpr size_t kEmbstrSizeLimit = 44;

// Redis's string2ll: the canonical decimal form of an int64 and nothing else.
bool parse_int64(std::string_view s, int64_t& out);

class Value {
 public:
  // A string written whole (SET, MSET, ...): picks int, embstr or raw as Redis does.
  static Value from_string(std::string_view s);
  static Value from_int(int64_t v) { return Value(v); }
  // A string built piecewise (APPEND, SETRANGE): always raw, as Redis keeps it.
  static Value raw_string(std::string s) { return Value(std::move(s), false); }
  // A string never int-encoded, as Redis's createStringObject makes it (INCRBYFLOAT's result
  // "3" is embstr, not int): embstr up to 44 bytes, raw beyond.
  static Value plain_string(std::string s) {
    bool embedded = s.size() <= kEmbstrSizeLimit;
    return Value(std::move(s), embedded);
  }

  // A list, set, sorted set or hash.
  static Value of(std::shared_ptr<Collection> collection) { return Value(std::move(collection)); }
  template <typename T, typename... Args>
  static Value make(Args&&... args) {
    return Value(std::make_shared<T>(std::forward<Args>(args)...));
  }

  ValueType type() const {
    auto* c = std::get_if<std::shared_ptr<Collection>>(&data_);
    return c ? (*c)->type() : ValueType::kString;
  }
  bool is_string() const { return type() == ValueType::kString; }
  // The collection if this value is one of type T (T::kType), else nullptr. Read-only.
  template <typename T>
  const T* as() const {
    auto* c = std::get_if<std::shared_ptr<Collection>>(&data_);
    return c && (*c)->type() == T::kType ? static_cast<const T*>(c->get()) : nullptr;
  }
  // The collection for writing; the caller has checked the type with as<T>(). Copies it first
  // when someone else (a COPY, a snapshot) still shares it.
  template <typename T>
  T& mutable_as() {
    auto& c = std::get<std::shared_ptr<Collection>>(data_);
    if (c.use_count() > 1) c = c->clone();
    return static_cast<T&>(*c);
  }
  const Collection* collection() const {
    auto* c = std::get_if<std::shared_ptr<Collection>>(&data_);
    return c ? c->get() : nullptr;
  }
  const char* type_name() const;
  const char* encoding_name() const;

  bool is_int() const { return std::holds_alternative<int64_t>(data_); }
  int64_t int_value() const { return std::get<int64_t>(data_); }
  // The string form (integers decoded). Strings only, as below.
  std::string string_value() const;
  // The string bytes without copying them; an integer is formatted into `int_scratch`.
  std::string_view string_view(std::string& int_scratch) const;
  size_t string_length() const;
  // Converts to a raw string for in-place modification.
  std::string& mutable_raw_string();

  // LRU clock in seconds (Redis's 24-bit LRU clock resolution is one second here too).
  uint32_t access_time() const { return access_time_; }
  void touch(uint32_t now_seconds) { access_time_ = now_seconds; }

 private:
  explicit Value(int64_t v) : data_(v) {}
  explicit Value(std::shared_ptr<Collection> c) : data_(std::move(c)) {}
  Value(std::string s, bool embedded) : data_(std::move(s)), embedded_(embedded) {}

  std::variant<std::string, int64_t, std::shared_ptr<Collection>> data_;
  bool embedded_ = false;
  uint32_t access_time_ = 0;
};

}  // namespace tandem
