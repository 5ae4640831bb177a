// Listpack: every encoding width and backlen width, walking, writes, validation of hostile
// blobs, a randomized comparison against std::vector<std::string>, and blobs taken from
// Redis 7.0.15's DUMP that our writes must reproduce byte for byte.
#include "storage/listpack.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace tandem {
namespace {

std::string hex(std::string_view s) {
  static const char* d = "0123456789abcdef";
  std::string out;
  for (unsigned char c : s) {
    out.push_back(d[c >> 4]);
    out.push_back(d[c & 15]);
  }
  return out;
}

std::string unhex(std::string_view h) {
  std::string out;
  for (size_t i = 0; i + 1 < h.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(h.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

uint64_t fnv1a(std::string_view s) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

// The bytes of the single entry (encoding+data+backlen) of a one-element listpack.
std::string only_entry(std::string_view s) {
  Listpack lp;
  lp.push_back(s);
  std::string_view b = lp.bytes();
  return hex(b.substr(6, b.size() - 7));
}

std::vector<std::string> elements(const Listpack& lp) {
  std::vector<std::string> out;
  for (Listpack::Pos p = lp.first(); p != Listpack::kEnd; p = lp.next(p)) {
    out.push_back(lp.get(p).to_string());
  }
  return out;
}

std::vector<std::string> elements_backwards(const Listpack& lp) {
  std::vector<std::string> out;
  for (Listpack::Pos p = lp.last(); p != Listpack::kEnd; p = lp.prev(p)) {
    out.insert(out.begin(), lp.get(p).to_string());
  }
  return out;
}

Listpack from(const std::vector<std::string>& v) {
  Listpack lp;
  for (const auto& s : v) lp.push_back(s);
  return lp;
}

TEST(Listpack, EmptyIsSevenBytes) {
  Listpack lp;
  EXPECT_EQ(hex(lp.bytes()),
            "07000000"
            "0000"
            "ff");
  EXPECT_EQ(lp.size(), 0u);
  EXPECT_TRUE(lp.empty());
  EXPECT_EQ(lp.first(), Listpack::kEnd);
  EXPECT_EQ(lp.last(), Listpack::kEnd);
  EXPECT_EQ(lp.seek(0), Listpack::kEnd);
  EXPECT_EQ(lp.seek(-1), Listpack::kEnd);
}

TEST(Listpack, IntegerEncodingWidths) {
  EXPECT_EQ(only_entry("0"), "0001");
  EXPECT_EQ(only_entry("127"), "7f01");
  EXPECT_EQ(only_entry("128"), "c08002");  // 13-bit
  EXPECT_EQ(only_entry("-1"), "dfff02");   // 13-bit two's complement
  EXPECT_EQ(only_entry("4095"), "cfff02");
  EXPECT_EQ(only_entry("-4096"), "d00002");
  EXPECT_EQ(only_entry("4096"), "f1001003");  // 16-bit
  EXPECT_EQ(only_entry("-4097"), "f1ffef03");
  EXPECT_EQ(only_entry("32767"), "f1ff7f03");
  EXPECT_EQ(only_entry("-32768"), "f1008003");
  EXPECT_EQ(only_entry("32768"), "f200800004");  // 24-bit
  EXPECT_EQ(only_entry("8388607"), "f2ffff7f04");
  EXPECT_EQ(only_entry("-8388609"), "f3ffff7fff05");  // 32-bit
  EXPECT_EQ(only_entry("2147483647"), "f3ffffff7f05");
  EXPECT_EQ(only_entry("-2147483648"), "f30000008005");
  EXPECT_EQ(only_entry("2147483648"), "f4000000800000000009");  // 64-bit
  EXPECT_EQ(only_entry("9223372036854775807"), "f4ffffffffffffff7f09");
  EXPECT_EQ(only_entry("-9223372036854775808"), "f4000000000000008009");
  // One past int64: a string.
  EXPECT_EQ(only_entry("9223372036854775808"), "93" + hex("9223372036854775808") + "14");
}

TEST(Listpack, IntegersReadBack) {
  const std::vector<int64_t> values = {0,         1,         127,          128,
                                       -1,        4095,      -4096,        4096,
                                       -4097,     32767,     -32768,       32768,
                                       -32769,    8388607,   -8388608,     8388608,
                                       -8388609,  INT32_MAX, INT32_MIN,    int64_t{INT32_MAX} + 1,
                                       INT64_MAX, INT64_MIN, INT64_MIN + 1};
  Listpack lp;
  for (int64_t v : values) lp.push_back(std::to_string(v));
  Listpack lp2;
  for (int64_t v : values) lp2.push_back_int(v);
  EXPECT_EQ(lp.bytes(), lp2.bytes());
  size_t i = 0;
  for (Listpack::Pos p = lp.first(); p != Listpack::kEnd; p = lp.next(p), ++i) {
    Listpack::Element e = lp.get(p);
    ASSERT_TRUE(e.is_int) << values[i];
    EXPECT_EQ(e.integer, values[i]);
    EXPECT_EQ(e.to_string(), std::to_string(values[i]));
    EXPECT_TRUE(e.equals(std::to_string(values[i])));
  }
  EXPECT_EQ(i, values.size());
}

TEST(Listpack, NonCanonicalNumbersStayStrings) {
  for (std::string s : {"01", "+1", "-0", " 1", "1 ", "00", "-", "", "1.0", "0x1", "1e3", "--1"}) {
    Listpack lp;
    lp.push_back(s);
    Listpack::Element e = lp.get(lp.first());
    EXPECT_FALSE(e.is_int) << s;
    EXPECT_EQ(e.str, s);
    EXPECT_TRUE(e.equals(s));
  }
  // An integer element equals only its canonical form.
  Listpack lp;
  lp.push_back("1");
  Listpack::Element e = lp.get(lp.first());
  EXPECT_TRUE(e.equals("1"));
  EXPECT_FALSE(e.equals("01"));
  EXPECT_FALSE(e.equals("+1"));
  EXPECT_FALSE(e.equals("1.0"));
}

TEST(Listpack, StringEncodingWidths) {
  EXPECT_EQ(only_entry(""), "8001");
  EXPECT_EQ(only_entry("a"), "816102");
  std::string s63(63, 'x'), s64(64, 'x'), s4095(4095, 'x'), s4096(4096, 'x');
  EXPECT_EQ(only_entry(s63).substr(0, 2), "bf");             // 6-bit length 63
  EXPECT_EQ(only_entry(s63).substr(2 + 126), "40");          // entry 64 bytes
  EXPECT_EQ(only_entry(s64).substr(0, 4), "e040");           // 12-bit length 64
  EXPECT_EQ(only_entry(s64).substr(4 + 128), "42");          // entry 66 bytes
  EXPECT_EQ(only_entry(s4095).substr(0, 4), "efff");         // 12-bit length 4095
  EXPECT_EQ(only_entry(s4095).substr(4 + 8190), "2081");     // 4097 = 32*128 + 1
  EXPECT_EQ(only_entry(s4096).substr(0, 10), "f000100000");  // 32-bit length
  EXPECT_EQ(only_entry(s4096).substr(10 + 8192), "2085");    // 4101 = 32*128 + 5
  for (const std::string& s : {s63, s64, s4095, s4096}) {
    Listpack lp;
    lp.push_back(s);
    lp.push_back("tail");
    EXPECT_EQ(lp.get(lp.first()).str, s);
    EXPECT_EQ(lp.prev(lp.last()), lp.first());
    EXPECT_EQ(Listpack::encoded_size(s), lp.bytes_size() - 7 - Listpack::encoded_size("tail"));
  }
}

// Entries whose encoding+data is 127/128/16382/16383/16384 bytes and far beyond; backlens of
// 1, 2, 2, 3 (Redis's `< 16383`), 3 and 4 bytes.
TEST(Listpack, BacklenWidths) {
  struct Case {
    size_t entry;
    size_t backlen;
  };
  for (Case c : {Case{127, 1}, Case{128, 2}, Case{16382, 2}, Case{16383, 3}, Case{16384, 3},
                 Case{2097150, 3}, Case{2097151, 4}}) {
    // 12-bit string headers take 2 bytes, 32-bit ones 5.
    const size_t header = c.entry - 2 < 4096 ? 2 : 5;
    const std::string s(c.entry - header, 'q');
    Listpack lp;
    lp.push_back("a");
    lp.push_back(s);
    lp.push_back("b");
    EXPECT_EQ(Listpack::encoded_size(s), c.entry + c.backlen) << c.entry;
    EXPECT_EQ(lp.bytes_size(), 7 + 3 + c.entry + c.backlen + 3) << c.entry;
    const Listpack::Pos mid = lp.next(lp.first());
    EXPECT_EQ(lp.prev(lp.last()), mid);
    EXPECT_EQ(lp.prev(mid), lp.first());
    EXPECT_EQ(lp.get(mid).str, s);
    EXPECT_EQ(elements_backwards(lp), elements(lp));
    Listpack copy;
    EXPECT_TRUE(copy.assign_validated(lp.bytes(), true)) << c.entry;
  }
}

// Blobs from Redis 7.0.15's DUMP (rdbcompression no) of HSET/ZADD/RPUSH with these elements,
// in this order.
TEST(Listpack, MatchesRedisDumpBlobs) {
  struct Case {
    std::vector<std::string> elements;
    const char* blob;
  };
  const std::vector<Case> cases = {
      {{"a", "1", "b", "127", "c", "128", "d", "-1", "e", "4095", "f", "-4096"},
       "290000000c0081610201018162027f01816302c08002816402dfff02816502cfff02816602d00002ff"},
      {{"x", "4096", "y", "-4097", "z", "32767", "w", "-32768", "v", "32768", "u", "8388607", "t",
        "-8388609"},
       "3c0000000e00817802f1001003817902f1ffef03817a02f1ff7f03817702f1008003817602f200800004817"
       "502f2ffff7f04817402f3ffff7fff05ff"},
      {{"p", "2147483647", "q", "-2147483648", "r", "2147483648", "s", "9223372036854775807", "m",
        "-9223372036854775808", "n", "9223372036854775808"},
       "580000000c00817002f3ffffff7f05817102f30000008005817202f4000000800000000009817302f4ffff"
       "ffffffffff7f09816d02f4000000000000008009816e0293393232333337323033363835343737353830"
       "3814ff"},
      {{"01", "+1", "-0", " 1", "s", std::string(63, 'x'), "t", std::string(64, 'y')},
       "a1000000080082303103822b3103822d300382203103817302bf78787878787878787878787878787878"
       "787878787878787878787878787878787878787878787878787878787878787878787878787878787878"
       "787878787840817402e04079797979797979797979797979797979797979797979797979797979797979"
       "79797979797979797979797979797979797979797979797979797979797979797942ff"},
      // ZADD z1 1 a 1.5 b -3 c 100000 d: score order, scores as Redis formats them.
      {{"c", "-3", "a", "1", "b", "1.5", "d", "100000"},
       "220000000800816302dffd02816102010181620283312e3504816402f2a0860104ff"},
      // RPUSH l1 a 1 -5 hello 01 200: one quicklist node.
      {{"a", "1", "-5", "hello", "01", "200"},
       "1d00000006008161020101dffb028568656c6c6f0682303103c0c802ff"},
  };
  for (const Case& c : cases) {
    Listpack lp = from(c.elements);
    EXPECT_EQ(hex(lp.bytes()), c.blob);
    Listpack loaded;
    ASSERT_TRUE(loaded.assign_validated(unhex(c.blob), true));
    EXPECT_EQ(elements(loaded), c.elements);
  }
  // Larger ones, compared by size and FNV-1a of the whole blob.
  {
    Listpack lp = from({"big", std::string(4095, 'z'), "bigger", std::string(4096, 'w')});
    EXPECT_EQ(lp.bytes_size(), 8222u);
    EXPECT_EQ(fnv1a(lp.bytes()), 0x240bc43fbe82589eULL);
  }
  {
    Listpack lp = from({"e125", std::string(125, 'q'), "e126", std::string(126, 'q'), "e16380",
                        std::string(16380, 'r'), "e16381", std::string(16381, 'r'), "e16382",
                        std::string(16382, 'r')});
    EXPECT_EQ(lp.bytes_size(), 49468u);
    EXPECT_EQ(fnv1a(lp.bytes()), 0x728bc505e087020cULL);
  }
}

TEST(Listpack, WalkAndSeek) {
  std::vector<std::string> v;
  for (int i = 0; i < 50; ++i)
    v.push_back(i % 3 ? std::to_string(i * 1000 - 7000) : "s" + std::to_string(i));
  Listpack lp = from(v);
  EXPECT_EQ(lp.size(), v.size());
  EXPECT_EQ(elements(lp), v);
  EXPECT_EQ(elements_backwards(lp), v);
  for (int64_t i = 0; i < 50; ++i) {
    EXPECT_EQ(lp.get(lp.seek(i)).to_string(), v[i]);
    EXPECT_EQ(lp.get(lp.seek(-1 - i)).to_string(), v[49 - i]);
  }
  EXPECT_EQ(lp.seek(50), Listpack::kEnd);
  EXPECT_EQ(lp.seek(-51), Listpack::kEnd);
  EXPECT_EQ(lp.next(lp.last()), Listpack::kEnd);
  EXPECT_EQ(lp.prev(lp.first()), Listpack::kEnd);
  EXPECT_EQ(lp.seek(0), lp.first());
  EXPECT_EQ(lp.seek(-1), lp.last());
}

TEST(Listpack, InsertReplaceErase) {
  Listpack lp = from({"a", "b", "c"});
  Listpack::Pos p = lp.insert_before(lp.seek(1), "x");
  EXPECT_EQ(lp.get(p).str, "x");
  EXPECT_EQ(elements(lp), (std::vector<std::string>{"a", "x", "b", "c"}));
  p = lp.insert_after(lp.seek(-1), "5");
  EXPECT_EQ(lp.get(p).integer, 5);
  EXPECT_EQ(elements(lp), (std::vector<std::string>{"a", "x", "b", "c", "5"}));
  lp.push_front("first");
  p = lp.replace(lp.seek(2), std::string(300, 'L'));
  EXPECT_EQ(lp.get(p).str, std::string(300, 'L'));
  EXPECT_EQ(lp.get(lp.next(p)).str, "b");
  p = lp.replace_int(p, -123456);
  EXPECT_EQ(lp.get(p).integer, -123456);
  EXPECT_EQ(elements(lp), (std::vector<std::string>{"first", "a", "-123456", "b", "c", "5"}));
  EXPECT_EQ(elements_backwards(lp), elements(lp));
  p = lp.erase(lp.seek(1));
  EXPECT_EQ(lp.get(p).to_string(), "-123456");
  EXPECT_EQ(lp.erase(lp.last()), Listpack::kEnd);
  EXPECT_EQ(elements(lp), (std::vector<std::string>{"first", "-123456", "b", "c"}));
  EXPECT_EQ(lp.size(), 4u);
  // The blob equals one built directly.
  EXPECT_EQ(lp.bytes(), from({"first", "-123456", "b", "c"}).bytes());
  lp.clear();
  EXPECT_EQ(hex(lp.bytes()),
            "07000000"
            "0000"
            "ff");
}

TEST(Listpack, EraseRange) {
  const std::vector<std::string> v = {"0", "1", "2", "3", "4", "5", "6"};
  auto erased = [&](int64_t index, size_t count) {
    Listpack lp = from(v);
    lp.erase_range(index, count);
    EXPECT_EQ(lp.bytes(), from(elements(lp)).bytes());
    return elements(lp);
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(erased(0, 2), (V{"2", "3", "4", "5", "6"}));
  EXPECT_EQ(erased(5, 100), (V{"0", "1", "2", "3", "4"}));
  EXPECT_EQ(erased(-2, 1), (V{"0", "1", "2", "3", "4", "6"}));
  EXPECT_EQ(erased(-7, 7), V{});
  EXPECT_EQ(erased(7, 1), v);  // out of range: nothing
  EXPECT_EQ(erased(-8, 1), v);
  EXPECT_EQ(erased(2, 0), v);
}

TEST(Listpack, FindWithSkip) {
  // field/value pairs where a value equals a later field.
  Listpack lp = from({"f1", "f2", "f2", "v2", "10", "010", "010", "10"});
  EXPECT_EQ(lp.find(lp.first(), "f2", 1), lp.seek(2));
  EXPECT_EQ(lp.find(lp.first(), "f2", 0), lp.seek(1));
  EXPECT_EQ(lp.find(lp.first(), "v2", 1), Listpack::kEnd);
  EXPECT_EQ(lp.find(lp.first(), "10", 1), lp.seek(4));
  EXPECT_EQ(lp.find(lp.first(), "010", 1), lp.seek(6));
  EXPECT_EQ(lp.find(lp.seek(1), "10", 1), lp.seek(7));
  EXPECT_EQ(lp.find(lp.first(), "+10", 0), Listpack::kEnd);
  EXPECT_EQ(lp.find(Listpack::kEnd, "f1", 0), Listpack::kEnd);
}

TEST(Listpack, CountBeyond65535) {
  Listpack lp;
  for (int i = 0; i < 65536; ++i) lp.push_back_int(i % 100);
  EXPECT_EQ(lp.size(), 65536u);
  EXPECT_EQ(hex(lp.bytes().substr(4, 2)), "ffff");
  Listpack copy;
  ASSERT_TRUE(copy.assign_validated(lp.bytes(), false));  // an unknown count is counted
  EXPECT_EQ(copy.size(), 65536u);
  lp.erase(lp.first());
  EXPECT_EQ(hex(lp.bytes().substr(4, 2)), "ffff");
  lp.erase(lp.first());
  EXPECT_EQ(lp.size(), 65534u);
  EXPECT_EQ(hex(lp.bytes().substr(4, 2)), "feff");
}

TEST(Listpack, AssignValidatedRejectsCorruptBlobs) {
  Listpack good = from({"a", "1", std::string(200, 'b'), "-70000", "zz"});
  const std::string blob(good.bytes());
  Listpack lp;
  ASSERT_TRUE(lp.assign_validated(blob, true));
  EXPECT_EQ(elements(lp), elements(good));

  lp = from({"keep"});
  const std::string before(lp.bytes());
  auto rejected = [&](std::string b, bool deep = true) {
    const bool ok = lp.assign_validated(b, deep);
    EXPECT_EQ(lp.bytes(), before);  // untouched
    return !ok;
  };
  // Truncated (header total then wrong, or fixed up to match).
  EXPECT_TRUE(rejected(blob.substr(0, blob.size() - 1)));
  EXPECT_TRUE(rejected(blob.substr(0, 6)));
  EXPECT_TRUE(rejected(""));
  {
    std::string t = blob.substr(0, 20);
    t[0] = 20;
    t[1] = t[2] = t[3] = 0;
    t[19] = '\xff';
    EXPECT_TRUE(rejected(t));
  }
  // Missing end byte.
  {
    std::string t = blob;
    t.back() = 0;
    EXPECT_TRUE(rejected(t, false));
  }
  // Bad count.
  {
    std::string t = blob;
    t[4] = 4;
    EXPECT_TRUE(rejected(t));
  }
  // Bad backlen (of "a", at offset 8).
  {
    std::string t = blob;
    t[8] = 3;
    EXPECT_TRUE(rejected(t));
  }
  // Invalid encoding byte.
  {
    std::string t = blob;
    t[6] = '\xf7';
    EXPECT_TRUE(rejected(t));
  }
  // String length running past the end.
  {
    std::string t = blob;
    t[6] = '\xbf';
    EXPECT_TRUE(rejected(t));
  }
  // Total bytes disagreeing with the size.
  {
    std::string t = blob + "\xff";
    EXPECT_TRUE(rejected(t, false));
  }
}

// Random byte flips, truncations and insertions: never a crash, and whatever is accepted can be
// walked both ways and rewritten.
TEST(Listpack, FuzzedBlobsNeverCrash) {
  std::mt19937_64 rng(12345);
  std::vector<std::string> seeds;
  seeds.emplace_back(from({"a", "1", std::string(70, 'x'), "-5000", "70000", "1.5"}).bytes());
  seeds.emplace_back(from({std::string(5000, 'y'), "9223372036854775807", ""}).bytes());
  seeds.emplace_back(Listpack().bytes());
  size_t accepted = 0;
  for (int iter = 0; iter < 20000; ++iter) {
    std::string b = seeds[rng() % seeds.size()];
    const int mutations = 1 + rng() % 4;
    for (int m = 0; m < mutations; ++m) {
      switch (rng() % 4) {
        case 0:
        case 1:
          b[rng() % b.size()] = static_cast<char>(rng());
          break;
        case 2:
          if (b.size() > 1) b.resize(rng() % b.size());
          break;
        case 3:
          b.insert(b.begin() + rng() % (b.size() + 1), static_cast<char>(rng()));
          break;
      }
      if (b.empty()) b.push_back('\0');
    }
    // Keep the header and end byte plausible half the time so the deep checks get exercised.
    if (rng() % 2 && b.size() >= 7) {
      const uint32_t n = static_cast<uint32_t>(b.size());
      for (int i = 0; i < 4; ++i) b[i] = static_cast<char>((n >> (8 * i)) & 0xFF);
      b.back() = '\xff';
    }
    Listpack lp;
    if (!lp.assign_validated(b, true)) continue;
    ++accepted;
    std::vector<std::string> fwd = elements(lp);
    ASSERT_EQ(fwd.size(), lp.size());
    ASSERT_EQ(elements_backwards(lp), fwd);
    lp.push_back("new");
    lp.erase(lp.first());
    ASSERT_EQ(lp.size(), fwd.size());
  }
  EXPECT_GT(accepted, 0u);
}

TEST(Listpack, RandomizedAgainstVector) {
  std::mt19937_64 rng(777);
  auto random_element = [&]() -> std::string {
    switch (rng() % 6) {
      case 0:
        return std::to_string(static_cast<int64_t>(rng()) >> (rng() % 64));
      case 1:
        return std::to_string(static_cast<int>(rng() % 300) - 150);
      case 2:
        return std::string(rng() % 70, static_cast<char>('a' + rng() % 26));
      case 3:
        return std::string(rng() % 5000, 'b');
      case 4:
        return "0" + std::to_string(rng() % 10);
      default:
        return "k" + std::to_string(rng() % 20);
    }
  };
  for (int round = 0; round < 20; ++round) {
    Listpack lp;
    std::vector<std::string> model;
    for (int op = 0; op < 400; ++op) {
      const size_t n = model.size();
      switch (rng() % 9) {
        case 0: {
          std::string s = random_element();
          lp.push_back(s);
          model.push_back(s);
          break;
        }
        case 1: {
          std::string s = random_element();
          lp.push_front(s);
          model.insert(model.begin(), s);
          break;
        }
        case 2: {
          if (!n) break;
          const size_t i = rng() % n;
          std::string s = random_element();
          Listpack::Pos p = lp.insert_before(lp.seek(static_cast<int64_t>(i)), s);
          ASSERT_EQ(lp.get(p).to_string(), s);
          model.insert(model.begin() + i, s);
          break;
        }
        case 3: {
          if (!n) break;
          const size_t i = rng() % n;
          std::string s = random_element();
          Listpack::Pos p =
              lp.insert_after(lp.seek(static_cast<int64_t>(i) - static_cast<int64_t>(n)), s);
          ASSERT_EQ(lp.get(p).to_string(), s);
          model.insert(model.begin() + i + 1, s);
          break;
        }
        case 4: {
          if (!n) break;
          const size_t i = rng() % n;
          std::string s = random_element();
          lp.replace(lp.seek(static_cast<int64_t>(i)), s);
          model[i] = s;
          break;
        }
        case 5: {
          if (!n) break;
          const size_t i = rng() % n;
          Listpack::Pos p = lp.erase(lp.seek(static_cast<int64_t>(i)));
          model.erase(model.begin() + i);
          if (i < model.size()) {
            ASSERT_EQ(lp.get(p).to_string(), model[i]);
          } else {
            ASSERT_EQ(p, Listpack::kEnd);
          }
          break;
        }
        case 6: {
          const int64_t index =
              static_cast<int64_t>(rng() % (2 * n + 3)) - static_cast<int64_t>(n) - 1;
          const size_t count = rng() % 4;
          lp.erase_range(index, count);
          int64_t i = index < 0 ? index + static_cast<int64_t>(n) : index;
          if (count && i >= 0 && i < static_cast<int64_t>(n)) {
            const size_t e = std::min(n, static_cast<size_t>(i) + count);
            model.erase(model.begin() + i, model.begin() + e);
          }
          break;
        }
        case 7: {
          std::string s = random_element();
          Listpack::Pos p = lp.find(lp.first(), s);
          auto it = std::find(model.begin(), model.end(), s);
          if (it == model.end()) {
            ASSERT_EQ(p, Listpack::kEnd);
          } else {
            ASSERT_EQ(p, lp.seek(it - model.begin()));
          }
          break;
        }
        case 8: {
          const int64_t v = static_cast<int64_t>(rng()) >> (rng() % 64);
          lp.push_back_int(v);
          model.push_back(std::to_string(v));
          break;
        }
      }
      ASSERT_EQ(lp.size(), model.size());
    }
    ASSERT_EQ(elements(lp), model);
    ASSERT_EQ(elements_backwards(lp), model);
    // Same bytes as building it from scratch, and a valid blob.
    ASSERT_EQ(lp.bytes(), from(model).bytes());
    Listpack copy;
    ASSERT_TRUE(copy.assign_validated(lp.bytes(), true));
  }
}

}  // namespace
}  // namespace tandem
