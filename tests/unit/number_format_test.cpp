// Tests for server/number_format.h: Redis's ld2string in human and auto modes, checked against
// the strings redis-server 7.0 itself produces for INCRBYFLOAT.
#include "server/number_format.h"

#include <gtest/gtest.h>

#include <cfloat>
#include <cmath>
#include <limits>
#include <string>

namespace tandem {
namespace {

TEST(FormatLongDoubleHuman, IntegralValuesHaveNoDecimalPoint) {
  EXPECT_EQ(format_long_double(3.0L), "3");
  EXPECT_EQ(format_long_double(5000.0L), "5000");
  EXPECT_EQ(format_long_double(-42.0L), "-42");
  EXPECT_EQ(format_long_double(0.0L), "0");
}

TEST(FormatLongDoubleHuman, TrimsTrailingZerosOfFractions) {
  EXPECT_EQ(format_long_double(3.5L), "3.5");
  EXPECT_EQ(format_long_double(-0.25L), "-0.25");
  // What Redis answers for INCRBYFLOAT of 10.5 by 0.1 on x86-64's 80-bit long double.
  EXPECT_EQ(format_long_double(10.5L + 0.1L), "10.6");
}

TEST(FormatLongDoubleHuman, KeepsSeventeenFractionDigits) {
  EXPECT_EQ(format_long_double(1.0L + 1.23456789012345678L), "2.23456789012345678");
  EXPECT_EQ(format_long_double(5000.0L + 2.23456789012345678L), "5002.23456789012345691");
}

TEST(FormatLongDoubleHuman, NegativeZeroAndTinyValuesBecomeZero) {
  EXPECT_EQ(format_long_double(-0.0L), "0");
  EXPECT_EQ(format_long_double(1e-20L), "0");
  EXPECT_EQ(format_long_double(-1e-20L), "0");
}

TEST(FormatLongDoubleHuman, HugeValuesAreWrittenInFull) {
  // Byte for byte what redis-server answers for INCRBYFLOAT of a missing key by 1e308.
  EXPECT_EQ(format_long_double(1e308L),
            "99999999999999999996685879655845645660560099847415567207797047994921734868838061"
            "87210012692188853932044674722505401322315213474959396058359742081443019641876795"
            "91000196031907786631096045071066679391533957889389145605435630612683649016186302"
            "17086589253444881623791300855757318142424510452728255046343928578048");
  // The largest long double needs thousands of digits and must not be truncated.
  std::string max = format_long_double(LDBL_MAX);
  EXPECT_EQ(max.size(), 4933u);
  EXPECT_EQ(max.find('.'), std::string::npos);
}

TEST(FormatLongDouble, InfinitiesAreSpelledLikeRedis) {
  long double inf = std::numeric_limits<long double>::infinity();
  EXPECT_EQ(format_long_double(inf), "inf");
  EXPECT_EQ(format_long_double(-inf), "-inf");
  EXPECT_EQ(format_long_double(inf, LongDoubleStyle::kAuto), "inf");
  EXPECT_EQ(format_long_double(-inf, LongDoubleStyle::kAuto), "-inf");
}

TEST(FormatLongDoubleAuto, UsesSeventeenSignificantDigits) {
  EXPECT_EQ(format_long_double(3.0L, LongDoubleStyle::kAuto), "3");
  EXPECT_EQ(format_long_double(1e308L, LongDoubleStyle::kAuto), "1e+308");
  EXPECT_EQ(format_long_double(0.1L, LongDoubleStyle::kAuto), "0.1");
  EXPECT_EQ(format_long_double(static_cast<long double>(0.1), LongDoubleStyle::kAuto),
            "0.10000000000000001");
}

}  // namespace
}  // namespace tandem
