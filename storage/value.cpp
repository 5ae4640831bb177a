#include "storage/value.h"

#include <charconv>

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
  if (parse_int64(s, v)) return Value(v);
  return Value(std::string(s), s.size() <= kEmbstrSizeLimit);
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
  return std::get<std::string>(data_);
}

std::string_view Value::string_view(std::string& int_scratch) const {
  if (!is_int()) return std::get<std::string>(data_);
  int_scratch = fmt::format("{}", int_value());
  return int_scratch;
}

size_t Value::string_length() const {
  if (is_int()) return fmt::formatted_size("{}", int_value());
  return std::get<std::string>(data_).size();
}

std::string& Value::mutable_raw_string() {
  if (is_int()) data_ = fmt::format("{}", int_value());
  embedded_ = false;
  return std::get<std::string>(data_);
}

}  // namespace tandem
