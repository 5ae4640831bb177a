// glob_match against the behaviour of Redis 7.0's stringmatchlen (cases checked with KEYS on a
// real redis-server).
#include "server/glob.h"

#include <gtest/gtest.h>

#include <string>

namespace tandem {
namespace {

TEST(GlobTest, StarMatchesAnyRunIncludingEmpty) {
  EXPECT_TRUE(glob_match("*", "anything"));
  EXPECT_TRUE(glob_match("a*", "a"));
  EXPECT_TRUE(glob_match("a*c", "abbbc"));
  EXPECT_TRUE(glob_match("*a*a*a*", "xaxaxa"));
  EXPECT_TRUE(glob_match("**b", "ab"));
  EXPECT_FALSE(glob_match("a*c", "abcd"));
  EXPECT_FALSE(glob_match("*a*a*a*", "aa"));
}

TEST(GlobTest, StarDoesNotMatchEmptyStringLikeRedis) {
  // Redis's loop stops as soon as the string is empty, so "*" vs "" is a miss; KEYS and SCAN
  // special-case the lone "*" before matching.
  EXPECT_FALSE(glob_match("*", ""));
  EXPECT_FALSE(glob_match("**", ""));
  EXPECT_TRUE(glob_match("", ""));
  EXPECT_FALSE(glob_match("", "a"));
}

TEST(GlobTest, QuestionMarkMatchesExactlyOneByte) {
  EXPECT_TRUE(glob_match("a?c", "abc"));
  EXPECT_FALSE(glob_match("a?c", "ac"));
  EXPECT_FALSE(glob_match("?", ""));
  EXPECT_TRUE(glob_match("??", "\xff\x01"));
}

TEST(GlobTest, ClassesSetsRangesAndNegation) {
  EXPECT_TRUE(glob_match("h[ae]llo", "hello"));
  EXPECT_FALSE(glob_match("h[ae]llo", "hillo"));
  EXPECT_TRUE(glob_match("h[^e]llo", "hallo"));
  EXPECT_FALSE(glob_match("h[^e]llo", "hello"));
  EXPECT_TRUE(glob_match("h[a-b]llo", "hbllo"));
  EXPECT_FALSE(glob_match("h[a-b]llo", "hcllo"));
  // A reversed range works too.
  EXPECT_TRUE(glob_match("[z-a]", "m"));
  // A leading '-' is literal; "[a-]" is the range a..']' (then unterminated), as in Redis.
  EXPECT_TRUE(glob_match("[-a]", "-"));
  EXPECT_FALSE(glob_match("[a-]", "-"));
  EXPECT_TRUE(glob_match("[a-]", "^"));
  // "]" right after "[" closes an empty class: "[]]" matches nothing, "[^]]" any byte then "]".
  EXPECT_FALSE(glob_match("[]]", "]"));
  EXPECT_FALSE(glob_match("[]]", "]]"));
  EXPECT_FALSE(glob_match("[^]]", "]"));
  EXPECT_TRUE(glob_match("[^]]", "]]"));
  // '!' is not a negation in Redis.
  EXPECT_TRUE(glob_match("[!a]", "!"));
  EXPECT_TRUE(glob_match("[!a]", "a"));
  EXPECT_FALSE(glob_match("[!a]", "b"));
}

TEST(GlobTest, UnterminatedClassRunsToTheEnd) {
  EXPECT_TRUE(glob_match("[abc", "a"));
  EXPECT_FALSE(glob_match("[abc", "d"));
  EXPECT_FALSE(glob_match("[", "a"));
  EXPECT_FALSE(glob_match("x[", "x"));
}

TEST(GlobTest, BackslashEscapesSpecialCharacters) {
  EXPECT_TRUE(glob_match("\\*", "*"));
  EXPECT_FALSE(glob_match("\\*", "a"));
  EXPECT_TRUE(glob_match("\\?x", "?x"));
  EXPECT_TRUE(glob_match("a\\[b", "a[b"));
  EXPECT_TRUE(glob_match("[\\]]", "]"));
  EXPECT_TRUE(glob_match("[\\^a]", "^"));
  EXPECT_TRUE(glob_match("\\a", "a"));
  // A trailing backslash is a literal backslash.
  EXPECT_TRUE(glob_match("a\\", "a\\"));
  EXPECT_FALSE(glob_match("a\\", "a"));
}

TEST(GlobTest, NocaseFoldsLettersInLiteralsAndRanges) {
  EXPECT_TRUE(glob_match("HeLLo", "hello", true));
  EXPECT_FALSE(glob_match("HeLLo", "hello", false));
  EXPECT_TRUE(glob_match("h[A-C]llo", "hbllo", true));
  EXPECT_TRUE(glob_match("h[ABC]llo", "hbllo", true));
  EXPECT_TRUE(glob_match("*READ-ONLY", "replica-read-only", true));
  // Redis compares an escaped byte inside a class exactly, even with nocase.
  EXPECT_FALSE(glob_match("[\\A]", "a", true));
}

TEST(GlobTest, ManyStarsDoNotBacktrackExponentially) {
  std::string pattern;
  for (int i = 0; i < 30; ++i) pattern += "a*";
  pattern += "b";
  std::string subject(100, 'a');
  EXPECT_FALSE(glob_match(pattern, subject));  // returns at once thanks to the early cut
}

TEST(GlobTest, DeeplyNestedStarsStopMatchingInsteadOfOverflowing) {
  std::string pattern;
  for (int i = 0; i < 5000; ++i) pattern += "a*";
  std::string subject(6000, 'a');
  EXPECT_FALSE(glob_match(pattern, subject));
}

TEST(GlobTest, EmbeddedNulBytesAreOrdinary) {
  using namespace std::string_literals;
  EXPECT_TRUE(glob_match("a\0*"s, "a\0bc"s));
  EXPECT_FALSE(glob_match("a\0*"s, "abc"s));
}

}  // namespace
}  // namespace tandem
