// Redis's number-to-string conversions that replies and stored values depend on byte for byte
// (util.c ld2string), shared by INCRBYFLOAT and, later, HINCRBYFLOAT.
//
// Human mode is what INCRBYFLOAT stores: "%.17Lf" with the trailing zeros and a dangling '.'
// removed, so 10.5 + 0.1 reads "10.6" rather than an exponent form, and "-0" becomes "0".
// Auto mode is "%.17Lg". Infinities are spelled "inf" and "-inf" in both, as Redis does it
// explicitly rather than trusting libc.
#pragma once

#include <string>

namespace tandem {

enum class LongDoubleStyle { kHuman, kAuto };

std::string format_long_double(long double value, LongDoubleStyle style = LongDoubleStyle::kHuman);

}  // namespace tandem
