#include "server/number_format.h"

#include <cmath>
#include <cstdio>

namespace tandem {
namespace {
std::string printf_long_double(const char* format, long double value) {
  // %.17Lf of the largest long double is under 5000 characters (Redis's buffer is 5120).
  char stack[128];
  int n = std::snprintf(stack, sizeof(stack), format, value);
  if (n < 0) return {};
  if (static_cast<size_t>(n) < sizeof(stack)) return std::string(stack, n);
  std::string out(static_cast<size_t>(n) + 1, '\0');
  std::snprintf(out.data(), out.size(), format, value);
  out.resize(static_cast<size_t>(n));
  return out;
}
}  // namespace

std::string format_long_double(long double value, LongDoubleStyle style) {
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  if (style == LongDoubleStyle::kAuto) return printf_long_double("%.17Lg", value);

  std::string out = printf_long_double("%.17Lf", value);
  if (out.find('.') != std::string::npos) {
    size_t end = out.find_last_not_of('0');
    if (out[end] == '.') --end;
    out.resize(end + 1);
  }
  if (out == "-0") out = "0";
  return out;
}

}  // namespace tandem
