#include "storage/value.h"

#include <charconv>
#include <cstring>

#include "fmt/format.h"

namespace tandem {

bool parse_int64(std::string_view s, int64_t& out) {
  if (s.empty() || s.size() > 20) return false;
  // Canonical only: no '+', no leading zeros, no "-0".
  if (s[0] == '+') return false;
  if (s.size() > 1 && (s[0] == '0' || (s[0] == '-' && s[1] == '0'))) return false;
  if (s == "-") return false;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

Value Value::from_string(std::string_view s) {
  int64_t v;
  if (parse_int64(s, v)) return from_int(v);
  return bytes(s, s.size() <= kEmbstrSizeLimit);
}

Value Value::bytes(std::string_view s, bool embedded) {
  Value value(s.size() <= kInlineCapacity ? Rep::kInline : Rep::kBlock);
  value.embedded_ = embedded;
  if (value.rep_ == Rep::kInline) {
    value.inline_size_ = static_cast<uint8_t>(s.size());
    if (!s.empty()) std::memcpy(value.payload_.inline_bytes, s.data(), s.size());
  } else {
    new (&value.payload_.block) std::unique_ptr<char[]>(make_block(s));
  }
  return value;
}

std::unique_ptr<char[]> Value::make_block(std::string_view s) {
  auto length = static_cast<uint32_t>(s.size());
  auto block = std::make_unique_for_overwrite<char[]>(sizeof(length) + s.size());
  std::memcpy(block.get(), &length, sizeof(length));
  std::memcpy(block.get() + sizeof(length), s.data(), s.size());
  return block;
}

Value Value::raw_string(std::string s) {
  Value value(Rep::kMutable);
  new (&value.payload_.mutable_string)
      std::unique_ptr<std::string>(std::make_unique<std::string>(std::move(s)));
  return value;
}

Value Value::of(std::shared_ptr<Collection> collection) {
  Value value(Rep::kCollection);
  new (&value.payload_.collection) std::shared_ptr<Collection>(std::move(collection));
  return value;
}

Value& Value::operator=(const Value& other) {
  if (this != &other) {
    destroy();
    rep_ = other.rep_;
    copy_from(other);
  }
  return *this;
}

Value& Value::operator=(Value&& other) noexcept {
  if (this != &other) {
    destroy();
    rep_ = other.rep_;
    move_from(std::move(other));
  }
  return *this;
}

void Value::copy_from(const Value& other) {
  access_time_ = other.access_time_;
  embedded_ = other.embedded_;
  inline_size_ = other.inline_size_;
  switch (rep_) {
    case Rep::kInline:
      std::memcpy(payload_.inline_bytes, other.payload_.inline_bytes, kInlineCapacity);
      break;
    case Rep::kInt:
      payload_.integer = other.payload_.integer;
      break;
    case Rep::kBlock:
      new (&payload_.block) std::unique_ptr<char[]>(make_block(other.stored_bytes()));
      break;
    case Rep::kMutable:
      new (&payload_.mutable_string) std::unique_ptr<std::string>(
          std::make_unique<std::string>(*other.payload_.mutable_string));
      break;
    case Rep::kCollection:
      new (&payload_.collection) std::shared_ptr<Collection>(other.payload_.collection);
      break;
  }
}

void Value::move_from(Value&& other) noexcept {
  access_time_ = other.access_time_;
  embedded_ = other.embedded_;
  inline_size_ = other.inline_size_;
  switch (rep_) {
    case Rep::kInline:
      std::memcpy(payload_.inline_bytes, other.payload_.inline_bytes, kInlineCapacity);
      break;
    case Rep::kInt:
      payload_.integer = other.payload_.integer;
      break;
    case Rep::kBlock:
      new (&payload_.block) std::unique_ptr<char[]>(std::move(other.payload_.block));
      break;
    case Rep::kMutable:
      new (&payload_.mutable_string)
          std::unique_ptr<std::string>(std::move(other.payload_.mutable_string));
      break;
    case Rep::kCollection:
      new (&payload_.collection) std::shared_ptr<Collection>(std::move(other.payload_.collection));
      break;
  }
  // A moved-from value is an empty string, safe to read, assign or destroy.
  other.destroy();
}

void Value::destroy() noexcept {
  switch (rep_) {
    case Rep::kBlock:
      payload_.block.~unique_ptr();
      break;
    case Rep::kMutable:
      payload_.mutable_string.~unique_ptr();
      break;
    case Rep::kCollection:
      payload_.collection.~shared_ptr();
      break;
    case Rep::kInline:
    case Rep::kInt:
      break;
  }
  // Leaves a valid empty string behind, so destroying twice (moved-from values) is harmless.
  rep_ = Rep::kInline;
  inline_size_ = 0;
}

std::string_view Value::stored_bytes() const {
  switch (rep_) {
    case Rep::kInline:
      return {payload_.inline_bytes, inline_size_};
    case Rep::kBlock: {
      uint32_t length;
      std::memcpy(&length, payload_.block.get(), sizeof(length));
      return {payload_.block.get() + sizeof(length), length};
    }
    case Rep::kMutable:
      return *payload_.mutable_string;
    case Rep::kInt:
    case Rep::kCollection:
      break;
  }
  return {};
}

std::array<size_t, 2> Value::string_allocations() const {
  switch (rep_) {
    case Rep::kBlock:
      return {sizeof(uint32_t) + stored_bytes().size(), 0};
    case Rep::kMutable: {
      size_t capacity = payload_.mutable_string->capacity();
      // libstdc++ keeps up to 15 bytes in the std::string itself.
      return {sizeof(std::string), capacity > 15 ? capacity + 1 : 0};
    }
    case Rep::kInline:
    case Rep::kInt:
    case Rep::kCollection:
      break;
  }
  return {0, 0};
}

const char* Value::type_name() const {
  switch (type()) {
    case ValueType::kString:
      return "string";
    case ValueType::kList:
      return "list";
    case ValueType::kSet:
      return "set";
    case ValueType::kZSet:
      return "zset";
    case ValueType::kHash:
      return "hash";
  }
  return "none";
}

const char* Value::encoding_name() const {
  if (const Collection* c = collection()) return c->encoding_name();
  if (is_int()) return "int";
  return embedded_ ? "embstr" : "raw";
}

std::string Value::string_value() const {
  if (is_int()) return fmt::format("{}", int_value());
  return std::string(stored_bytes());
}

std::string_view Value::string_view(std::string& int_scratch) const {
  if (!is_int()) return stored_bytes();
  int_scratch = fmt::format("{}", int_value());
  return int_scratch;
}

size_t Value::string_length() const {
  if (is_int()) return fmt::formatted_size("{}", int_value());
  return stored_bytes().size();
}

std::string& Value::mutable_raw_string() {
  if (rep_ != Rep::kMutable) {
    uint32_t access_time = access_time_;
    *this = raw_string(string_value());
    access_time_ = access_time;
  }
  embedded_ = false;
  return *payload_.mutable_string;
}

static_assert(sizeof(Value) == 24, "a keyspace entry is sized around a 24-byte Value");

}  // namespace tandem
