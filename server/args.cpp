#include "server/args.h"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <string>

#include "storage/value.h"

namespace tandem {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string ascii_upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::optional<int64_t> int_arg(std::string_view arg, Reply& reply, std::string_view error) {
  int64_t value;
  if (parse_int64(arg, value)) return value;
  reply.error(error);
  return std::nullopt;
}

std::optional<int> int32_arg(std::string_view arg, Reply& reply) {
  auto value = int_arg(arg, reply);
  if (!value) return std::nullopt;
  if (*value < INT32_MIN || *value > INT32_MAX) {
    reply.error("ERR value is out of range, value must between -2147483648 and 2147483647");
    return std::nullopt;
  }
  return static_cast<int>(*value);
}

namespace {
template <typename T, typename Parse>
bool parse_floating(std::string_view s, T& out, Parse parse) {
  // Like Redis: no empty strings, no leading whitespace, the whole string must parse, no NaN.
  if (s.empty() || s.size() > 5000 || std::isspace(static_cast<unsigned char>(s[0]))) return false;
  std::string copy(s);
  char* end = nullptr;
  errno = 0;
  T value = parse(copy.c_str(), &end);
  if (end != copy.c_str() + copy.size() || std::isnan(value)) return false;
  if (errno == ERANGE && (value == HUGE_VAL || value == -HUGE_VAL || value == 0)) return false;
  out = value;
  return true;
}
}  // namespace

bool parse_double(std::string_view s, double& out) {
  return parse_floating(s, out, [](const char* p, char** e) { return std::strtod(p, e); });
}

bool parse_long_double(std::string_view s, long double& out) {
  return parse_floating(s, out, [](const char* p, char** e) { return std::strtold(p, e); });
}

std::optional<double> double_arg(std::string_view arg, Reply& reply, std::string_view error) {
  double value;
  if (parse_double(arg, value)) return value;
  reply.error(error);
  return std::nullopt;
}

}  // namespace tandem
