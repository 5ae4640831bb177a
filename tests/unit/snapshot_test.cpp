// RDB files end to end: every encoding written and read back (equal by DEBUG DIGEST and in the
// same encoding), TTLs and expired keys, the older encodings Redis wrote before 7.0, randomized
// datasets, and corrupt input (every truncation, every flipped byte) failing cleanly.
#include "rdb/snapshot.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <random>
#include <string>

#include "rdb/crc64.h"
#include "rdb/format.h"
#include "storage/clock.h"
#include "storage/hash.h"
#include "storage/list.h"
#include "storage/set.h"
#include "storage/sorted_set.h"
#include "tests/unit/fixed_now.h"

namespace tandem::rdb {
namespace {

std::string save(Keyspace& ks, bool compression = true, bool checksum = true) {
  StringSink sink;
  SnapshotInfo info{
      .redis_version = "7.0.15", .ctime = kNow / 1000, .used_memory = 1, .replication = {}};
  EXPECT_TRUE(save_keyspace(ks, info,
                            {.encode = {.compression = compression}, .checksum = checksum}, sink));
  return sink.str();
}

tl::expected<LoadStats, Error> load(std::string_view bytes, Keyspace& into,
                                    LoadOptions options = {}) {
  StringSource source(bytes);
  return load_keyspace(source, options, kNow, into);
}

// Everything a keyspace holds, in a canonical text form: db, key, type, encoding, elements
// (sets and hashes sorted), expiry. Equal texts mean equal datasets.
std::string describe(Keyspace& ks, bool with_encoding = true) {
  std::string out;
  for (int i = 0; i < ks.count(); ++i) {
    std::map<std::string, std::string> keys;
    Database& db = ks.db(i);
    db.for_each([&](Database::Entry& e) {
      const Value& v = e.value;
      std::string d =
          std::string(v.type_name()) + "/" + (with_encoding ? v.encoding_name() : "") + ":";
      std::vector<std::string> items;
      if (v.is_string()) {
        items.push_back(v.string_value());
      } else if (const List* l = v.as<List>()) {
        items = l->to_vector();
      } else if (const Set* s = v.as<Set>()) {
        s->for_each([&](std::string_view m) { items.emplace_back(m); });
        std::sort(items.begin(), items.end());
      } else if (const Hash* h = v.as<Hash>()) {
        h->for_each([&](std::string_view f, std::string_view x) {
          items.push_back(std::string(f) + "=" + std::string(x));
        });
        std::sort(items.begin(), items.end());
      } else if (const SortedSet* z = v.as<SortedSet>()) {
        z->for_each([&](std::string_view m, double sc) {
          items.push_back(std::string(m) + "@" + std::to_string(sc));
        });
      }
      for (const std::string& item : items) d += item + ",";
      if (auto when = db.expire_time(e.key)) d += " ttl " + std::to_string(*when);
      keys[e.key] = d;
    });
    for (auto& [k, d] : keys) out += std::to_string(i) + " " + k + " " + d + "\n";
  }
  return out;
}

// A dataset with every type in every encoding, TTLs and two databases.
void fill(Keyspace& ks) {
  Database& db = ks.db(0);
  db.set("int", Value::from_string("12345"));
  db.set("bigint", Value::from_string("-9223372036854775808"));
  db.set("short", Value::from_string("hello"));
  db.set("long", Value::from_string(std::string(300, 'a') + "tail"));
  db.set("binary", Value::from_string(std::string("\0\xff\x01zz", 5)));
  db.set("empty", Value::from_string(""));
  auto list = std::make_shared<List>(-2);
  for (int i = 0; i < 3000; ++i)
    list->push_back(i % 3 ? std::to_string(i) : "elem" + std::to_string(i));
  db.set("list", Value::of(list));
  auto intset = std::make_shared<Set>();
  for (int64_t v : {1LL, -5LL, 70000LL, 5000000000LL}) intset->add(std::to_string(v), 512);
  db.set("intset", Value::of(intset));
  auto set = std::make_shared<Set>();
  for (int i = 0; i < 50; ++i) set->add("m" + std::to_string(i), 512);
  db.set("set", Value::of(set));
  auto small_hash = std::make_shared<Hash>();
  small_hash->set("f1", "v1", {});
  small_hash->set("f2", "12", {});
  db.set("hash", Value::of(small_hash));
  auto big_hash = std::make_shared<Hash>();
  for (int i = 0; i < 200; ++i) big_hash->set("field" + std::to_string(i), std::to_string(i), {});
  db.set("bighash", Value::of(big_hash));
  auto zset = std::make_shared<SortedSet>();
  zset->add("a", 1.5, 0, {});
  zset->add("b", -3, 0, {});
  zset->add("c", INFINITY, 0, {});
  db.set("zset", Value::of(zset));
  auto bigz = std::make_shared<SortedSet>();
  for (int i = 0; i < 300; ++i) bigz->add("member" + std::to_string(i), i * 0.25 - 7, 0, {});
  bigz->add("ninf", -INFINITY, 0, {});
  db.set("bigzset", Value::of(bigz));
  db.set_expire("short", kNow + 100'000);
  db.set_expire("list", kNow + 5'000'000);
  ks.db(3).set("other", Value::from_string("db3"));
  ks.db(3).set_expire("other", kNow + 1);
}

std::string encoding(Keyspace& ks, int db, std::string_view key) {
  auto* e = ks.db(db).peek(key, 0);
  return e ? e->value.encoding_name() : "(missing)";
}

TEST(Snapshot, EveryEncodingRoundTrips) {
  for (bool compression : {true, false}) {
    Keyspace original(16), loaded(16);
    fill(original);
    std::string bytes = save(original, compression);
    EXPECT_EQ(bytes.substr(0, 9), "REDIS0010");
    auto stats = load(bytes, loaded);
    ASSERT_TRUE(stats) << stats.error().to_string();
    EXPECT_EQ(stats->keys_loaded, original.total_keys());
    EXPECT_EQ(describe(loaded), describe(original));
    for (const char* key :
         {"int", "short", "long", "list", "intset", "set", "hash", "bighash", "zset", "bigzset"}) {
      EXPECT_EQ(encoding(loaded, 0, key), encoding(original, 0, key)) << key;
    }
    EXPECT_EQ(loaded.db(0).expire_time("short"), kNow + 100'000);
    EXPECT_EQ(loaded.db(3).expire_time("other"), kNow + 1);
  }
}

// freeze() is a point-in-time view: whatever is written, erased, expired, flushed or swapped
// afterwards, save_frozen writes exactly the dataset as it was (every type and TTL included),
// and the live keyspace holds the new contents.
TEST(Snapshot, FrozenKeyspaceSavesTheDatasetAsItWasWhenFrozen) {
  Keyspace ks(16), expected(16), loaded(16);
  fill(ks);
  for (int i = 0; i < 5000; ++i) ks.db(1).set("k" + std::to_string(i), Value::from_int(i));
  for (int i = 0; i < 5000; i += 10) ks.db(1).set_expire("k" + std::to_string(i), kNow + i + 1);
  ASSERT_TRUE(load(save(ks), expected));
  const std::string before = describe(expected);

  FrozenKeyspace frozen = freeze(ks);
  Database& db0 = ks.db(0);
  db0.find("list", kNow)->value.mutable_as<List>().push_back("added");
  db0.find("bighash", kNow)->value.mutable_as<Hash>().set("field1", "changed", {});
  db0.find("short", kNow)->value.mutable_raw_string().append("!");
  db0.set("int", Value::from_string("777"), true);
  db0.erase("zset");
  db0.set_expire("long", kNow + 1);
  db0.persist("short");
  db0.set("new", Value::from_string("x"));
  for (int i = 0; i < 5000; i += 3) ks.db(1).set_expire("k" + std::to_string(i), kNow + 99);
  for (int i = 1; i < 5000; i += 3) ks.db(1).erase("k" + std::to_string(i));
  for (int i = 5000; i < 30000; ++i) ks.db(1).set("k" + std::to_string(i), Value::from_int(-i));
  ks.db(3).clear();
  ks.db(5).set("fresh", Value::from_string("db5"));
  ks.db(1).swap_contents(ks.db(2));
  const std::string after = describe(ks);

  StringSink sink;
  SnapshotInfo info{
      .redis_version = "7.0.15", .ctime = kNow / 1000, .used_memory = 1, .replication = {}};
  ASSERT_TRUE(save_frozen(frozen, info, {}, sink));
  frozen.clear();
  ASSERT_TRUE(load(sink.str(), loaded));
  EXPECT_EQ(describe(loaded), before);
  EXPECT_EQ(describe(ks), after);
  EXPECT_NE(after, before);
}

TEST(Snapshot, CompressionShrinksLongStrings) {
  Keyspace ks(16);
  ks.db(0).set("k", Value::from_string(std::string(10000, 'z')));
  EXPECT_LT(save(ks, true).size(), 1000u);
  EXPECT_GT(save(ks, false).size(), 10000u);
}

TEST(Snapshot, ChecksumTrailerIsCrcOfEverythingBefore) {
  Keyspace ks(16);
  fill(ks);
  std::string bytes = save(ks);
  uint64_t stored = 0;
  for (int i = 0; i < 8; ++i)
    stored |= uint64_t{static_cast<uint8_t>(bytes[bytes.size() - 8 + i])} << (8 * i);
  EXPECT_EQ(stored, crc64(0, std::string_view(bytes).substr(0, bytes.size() - 8)));
  EXPECT_EQ(static_cast<uint8_t>(bytes[bytes.size() - 9]), kOpEof);
  std::string unchecked = save(ks, true, false);
  EXPECT_EQ(unchecked.substr(unchecked.size() - 8), std::string(8, '\0'));
  Keyspace loaded(16);
  EXPECT_TRUE(load(unchecked, loaded));
}

TEST(Snapshot, ExpiredKeysAreSkipped) {
  Keyspace ks(16), loaded(16);
  ks.db(0).set("gone", Value::from_string("x"));
  ks.db(0).set_expire("gone", kNow - 1);
  ks.db(0).set("kept", Value::from_string("y"));
  auto stats = load(save(ks), loaded);
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->keys_loaded, 1u);
  EXPECT_EQ(stats->keys_expired, 1u);
  EXPECT_FALSE(loaded.db(0).peek("gone", 0));
}

TEST(Snapshot, LoadReportsItsProgress) {
  Keyspace ks(16), loaded(16);
  ks.db(0).set("k", Value::from_string("v"));
  const std::string bytes = save(ks);  // used-mem 1
  LoadOptions options;
  options.progress = std::make_shared<LoadProgress>();
  ASSERT_TRUE(load(bytes, loaded, options));
  EXPECT_EQ(options.progress->loaded_bytes.load(), bytes.size());
  EXPECT_EQ(options.progress->rdb_used_mem.load(), 1u);
}

// REDIS0010, db 0, IDLE 100 then FREQ 7 before one string key each, EOF, no checksum.
std::string file_with_idle_and_freq() {
  std::string body("REDIS0010\xfe\x00", 11);
  body += "\xf8\x40\x64";  // IDLE: 100 in the 14-bit length form
  body += std::string(
      "\x00\x04"
      "idle\x01v",
      8);
  body += std::string(
      "\xf9\x07\x00\x04"
      "freq\x01v",
      10);
  return body + "\xff" + std::string(8, '\0');
}

TEST(Snapshot, IdleOpcodeBackdatesTheKeyUnlessLfu) {
  Keyspace lru(16), lfu(16);
  ASSERT_TRUE(load(file_with_idle_and_freq(), lru));
  const int64_t now = unix_time_ms();
  EXPECT_NEAR(idle_seconds(lru.db(0).peek("idle", 0)->value, now), 100, 2);
  EXPECT_LE(idle_seconds(lru.db(0).peek("freq", 0)->value, now), 2);
  LoadOptions options;
  options.access.lfu = true;
  ASSERT_TRUE(load(file_with_idle_and_freq(), lfu, options));
  // Under LFU the FREQ opcode sets the counter; a key without one starts at LFU_INIT_VAL.
  EXPECT_EQ(lfu::decayed(lfu.db(0).peek("freq", 0)->value.access_time(), now, 1), 7);
  EXPECT_EQ(lfu::decayed(lfu.db(0).peek("idle", 0)->value.access_time(), now, 1), lfu::kInitVal);
}

TEST(Snapshot, KeyAccessOpcodesAreWrittenAsRedisWritesThem) {
  Keyspace ks(16);
  const int64_t now = unix_time_ms();
  Value value = Value::from_string("v");
  value.touch(backdated_access_time(now, 100));
  ks.db(0).set("k", std::move(value));
  // The bytes just before the key's type and name ("\x00\x01k").
  auto before_key = [&](SaveOptions::KeyAccess access, uint32_t field, size_t n) {
    ks.db(0).peek("k", 0)->value.touch(field);
    SaveOptions options;
    options.key_access = access;
    options.access_now_ms = now;
    StringSink sink;
    EXPECT_TRUE(save_keyspace(ks, SnapshotInfo{.redis_version = "7.0.15"}, options, sink));
    std::string file = sink.str();
    size_t at = file.find(std::string("\x00\x01k", 3));
    EXPECT_NE(at, std::string::npos);
    return file.substr(at - n, n);
  };
  // IDLE 100 in the 14-bit length form; FREQ then one raw byte.
  EXPECT_EQ(before_key(SaveOptions::KeyAccess::kIdle, backdated_access_time(now, 100), 3),
            std::string("\xf8\x40\x64", 3));
  EXPECT_EQ(before_key(SaveOptions::KeyAccess::kFreq, lfu::field(now, 42), 2),
            std::string("\xf9\x2a", 2));
  // Without a policy that tracks access, nothing precedes the key but RESIZEDB's counts.
  EXPECT_EQ(before_key(SaveOptions::KeyAccess::kNone, 0, 3), std::string("\xfb\x01\x00", 3));
}

TEST(Snapshot, LoadingHonoursTheConfiguredLimits) {
  Keyspace ks(16), loaded(16);
  fill(ks);
  LoadOptions small;
  small.hash.max_listpack_entries = 1;
  small.zset.max_listpack_entries = 1;
  small.set_max_intset_entries = 2;
  ASSERT_TRUE(load(save(ks), loaded, small));
  EXPECT_EQ(encoding(loaded, 0, "hash"), "hashtable");
  EXPECT_EQ(encoding(loaded, 0, "zset"), "skiplist");
  EXPECT_EQ(encoding(loaded, 0, "intset"), "hashtable");
  EXPECT_EQ(describe(loaded, false), describe(ks, false));
}

TEST(Snapshot, RandomizedDatasetsRoundTrip) {
  std::mt19937_64 rng(42);
  auto word = [&] {
    std::string s;
    size_t len = rng() % 4 == 0 ? rng() % 200 : rng() % 12;
    bool digits = rng() % 3 == 0;
    for (size_t i = 0; i < len; ++i) s.push_back(digits ? '0' + rng() % 10 : 'a' + rng() % 4);
    return s;
  };
  for (int round = 0; round < 30; ++round) {
    Keyspace ks(16), loaded(16);
    for (int k = 0; k < 60; ++k) {
      Database& db = ks.db(static_cast<int>(rng() % 3));
      std::string key = "k" + std::to_string(k);
      size_t n = 1 + rng() % (rng() % 2 ? 10 : 400);
      switch (rng() % 5) {
        case 0:
          db.set(key, Value::from_string(word()));
          break;
        case 1: {
          auto l = std::make_shared<List>(rng() % 2 ? -2 : 5);
          for (size_t i = 0; i < n; ++i) l->push_back(word());
          db.set(key, Value::of(l));
          break;
        }
        case 2: {
          auto s = std::make_shared<Set>();
          for (size_t i = 0; i < n; ++i) s->add(word(), 512);
          db.set(key, Value::of(s));
          break;
        }
        case 3: {
          auto h = std::make_shared<Hash>();
          for (size_t i = 0; i < n; ++i) h->set(word(), word(), {});
          db.set(key, Value::of(h));
          break;
        }
        default: {
          auto z = std::make_shared<SortedSet>();
          for (size_t i = 0; i < n; ++i) {
            z->add(word(), static_cast<double>(rng() % 1000) / 7 - 50, 0, {});
          }
          db.set(key, Value::of(z));
        }
      }
      if (rng() % 4 == 0) db.set_expire(key, kNow + 1000 + static_cast<int64_t>(rng() % 100000));
    }
    auto stats = load(save(ks, round % 2 == 0), loaded);
    ASSERT_TRUE(stats) << stats.error().to_string();
    ASSERT_EQ(describe(loaded), describe(ks)) << round;
  }
}

TEST(Snapshot, EveryTruncationFailsCleanly) {
  Keyspace ks(16);
  fill(ks);
  ks.db(0).erase("list");  // keep the file small: every prefix is loaded
  ks.db(0).erase("bigzset");
  ks.db(0).erase("bighash");
  std::string bytes = save(ks);
  for (size_t len = 0; len < bytes.size(); ++len) {
    Keyspace loaded(16);
    auto result = load(std::string_view(bytes).substr(0, len), loaded);
    ASSERT_FALSE(result) << "prefix of " << len << " bytes loaded";
    EXPECT_LE(result.error().offset, len);
  }
}

TEST(Snapshot, EveryFlippedByteFailsOrLoadsWithoutCrashing) {
  Keyspace ks(16);
  fill(ks);
  ks.db(0).erase("list");
  ks.db(0).erase("bigzset");
  ks.db(0).erase("bighash");
  std::string bytes = save(ks);
  LoadOptions unchecked;
  unchecked.verify_checksum = false;
  for (size_t at = 0; at < bytes.size(); ++at) {
    for (uint8_t mask : {0x01, 0x80, 0xff}) {
      std::string corrupt = bytes;
      corrupt[at] = static_cast<char>(corrupt[at] ^ mask);
      Keyspace a(16), b(16);
      // With the checksum on, every single-byte change is detected.
      EXPECT_FALSE(load(corrupt, a)) << at;
      (void)load(corrupt, b, unchecked);  // must not crash or hang, whatever it decides
    }
  }
}

TEST(Snapshot, ErrorsNameTheOffset) {
  Keyspace loaded(16);
  auto bad_magic = load("RODIS0010", loaded);
  ASSERT_FALSE(bad_magic);
  EXPECT_NE(bad_magic.error().message.find("Wrong signature"), std::string::npos);
  auto future = load("REDIS0011", loaded);
  ASSERT_FALSE(future);
  EXPECT_EQ(future.error().to_string(), "Can't handle RDB format version 11 (at byte offset 9)");
}

// Pieces of old RDB files, built by hand.
std::string len1(size_t n) { return std::string(1, static_cast<char>(n)); }
std::string str(std::string_view s) { return len1(s.size()) + std::string(s); }

// A ziplist of short strings and small immediates (what Redis 2.6-6.2 wrote).
std::string ziplist(const std::vector<std::string>& items) {
  std::string entries;
  size_t prev = 0, last = 10;
  for (const std::string& item : items) {
    last = 10 + entries.size();
    std::string e = len1(prev);
    if (item.size() == 1 && item[0] >= '0' && item[0] <= '9') {
      e.push_back(static_cast<char>(0xF1 + (item[0] - '0')));
    } else {
      e += len1(item.size()) + item;
    }
    prev = e.size();
    entries += e;
  }
  std::string out;
  auto u32 = [&](uint32_t v) {
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>(v >> (8 * i)));
  };
  u32(static_cast<uint32_t>(11 + entries.size()));
  u32(static_cast<uint32_t>(items.empty() ? 10 : last));
  out.push_back(static_cast<char>(items.size()));
  out.push_back(0);
  return out + entries + "\xff";
}

std::string file(int version, const std::string& body) {
  char header[10];
  snprintf(header, sizeof(header), "REDIS%04d", version);
  return std::string(header) + body + "\xff";  // versions < 5 have no checksum
}

TEST(Snapshot, ReadsTheOlderEncodings) {
  std::string zipmap = std::string("\x02") + str("f1") + len1(2) + std::string(1, '\0') + "v1" +
                       str("f2") + len1(3) + std::string(1, '\x01') + "abcX" + "\xff";
  std::string body =
      std::string("\xfe\x00", 2) + std::string(1, kTypeListZiplist) + str("zl") +
      str(ziplist({"a", "7", "bc"})) + std::string(1, kTypeHashZiplist) + str("hz") +
      str(ziplist({"f", "1", "g", "x"})) + std::string(1, kTypeZSetZiplist) + str("zz") +
      str(ziplist({"m", "2", "n", "1"})) + std::string(1, kTypeHashZipmap) + str("zm") +
      str(zipmap) + std::string(1, kTypeListQuicklist) + str("ql") + "\x02" + str(ziplist({"x"})) +
      str(ziplist({"y", "z"})) + std::string(1, kTypeList) + str("pl") + "\x02" + str("p") +
      str("q") + std::string(1, kTypeSet) + str("ps") + "\x02" + str("1") + str("s") +
      std::string(1, kTypeZSet) + str("pz") + "\x02" + str("a") + str("1.5") + str("b") + "\xfe" +
      std::string(1, kTypeHash) + str("ph") + "\x01" + str("k") + str("v") + "\xfd" +
      std::string("\x10\x27\x00\x00", 4) + std::string(1, kTypeString) + str("old") + str("secs");
  Keyspace loaded(16);
  auto stats = load(file(4, body), loaded);
  ASSERT_TRUE(stats) << stats.error().to_string();
  EXPECT_EQ(stats->keys_expired, 1u);  // "old" expired in 1970
  Database& db = loaded.db(0);
  EXPECT_EQ(db.peek("zl", 0)->value.as<List>()->to_vector(),
            (std::vector<std::string>{"a", "7", "bc"}));
  EXPECT_EQ(db.peek("ql", 0)->value.as<List>()->to_vector(),
            (std::vector<std::string>{"x", "y", "z"}));
  std::string scratch;
  EXPECT_EQ(db.peek("hz", 0)->value.as<Hash>()->get("g", scratch), "x");
  EXPECT_EQ(db.peek("zm", 0)->value.as<Hash>()->get("f2", scratch), "abc");
  EXPECT_EQ(db.peek("zz", 0)->value.as<SortedSet>()->score("m"), 2.0);
  EXPECT_EQ(db.peek("pz", 0)->value.as<SortedSet>()->score("b"), INFINITY);
  EXPECT_TRUE(db.peek("ps", 0)->value.as<Set>()->contains("s"));
  EXPECT_EQ(db.peek("ph", 0)->value.as<Hash>()->get("k", scratch), "v");
}

TEST(Snapshot, RejectsDuplicatesNaNAndUnsupportedTypes) {
  auto fails_with = [](const std::string& body, std::string_view text) {
    Keyspace loaded(16);
    auto result = load(file(4, body), loaded);
    ASSERT_FALSE(result);
    EXPECT_NE(result.error().message.find(text), std::string::npos) << result.error().message;
  };
  fails_with(std::string(1, kTypeSet) + str("s") + "\x02" + str("a") + str("a"), "Duplicate set");
  fails_with(std::string(1, kTypeZSet) + str("z") + "\x01" + str("a") + "\xfd", "NAN");
  fails_with(
      std::string(1, kTypeHash) + str("h") + "\x02" + str("a") + str("1") + str("a") + str("2"),
      "Duplicate hash");
  fails_with(std::string(1, kTypeString) + str("k") + str("v") + std::string(1, kTypeString) +
                 str("k") + str("w"),
             "Duplicate key 'k'");
  fails_with(std::string(1, kTypeStreamListpacks) + str("mystream") + "\x00",
             "Can't load key 'mystream': values of type stream");
  fails_with(std::string(1, kTypeListZiplist) + str("l") + str("garbage-not-a-ziplist"),
             "Ziplist integrity");
}

}  // namespace
}  // namespace tandem::rdb

namespace tandem::rdb {
namespace {

// A deterministic mutation fuzzer: random flips, cuts, insertions and overwritten lengths in a
// real file, loaded with the checksum check off so the decoder itself must catch everything.
TEST(Snapshot, RandomMutationsNeverCrash) {
  Keyspace ks(16);
  fill(ks);
  const std::string bytes = save(ks, true);
  LoadOptions unchecked;
  unchecked.verify_checksum = false;
  std::mt19937_64 rng(2024);
  size_t failures = 0;
  for (int round = 0; round < 1500; ++round) {
    std::string corrupt = bytes;
    int mutations = 1 + static_cast<int>(rng() % 4);
    for (int m = 0; m < mutations && !corrupt.empty(); ++m) {
      size_t at = rng() % corrupt.size();
      switch (rng() % 4) {
        case 0:
          corrupt[at] = static_cast<char>(rng());
          break;
        case 1:
          corrupt.erase(at, 1 + rng() % 16);
          break;
        case 2:
          corrupt.insert(at, std::string(1 + rng() % 8, static_cast<char>(rng())));
          break;
        default:
          corrupt[at] = static_cast<char>(0xC0 | (rng() % 64));
          break;
      }
    }
    Keyspace loaded(16);
    if (!load(corrupt, loaded, unchecked)) ++failures;
  }
  EXPECT_GT(failures, 0u);
}

// The same for single values, as RESTORE decodes them.
TEST(Snapshot, MutatedValuesNeverCrash) {
  Keyspace ks(16);
  fill(ks);
  std::mt19937_64 rng(99);
  ks.db(0).for_each([&](Database::Entry& e) {
    StringSink sink;
    Encoder out(sink, {});
    out.typed_value(e.value);
    ASSERT_TRUE(out.finish());
    const std::string payload = sink.str();
    for (int round = 0; round < 200; ++round) {
      std::string corrupt = payload;
      corrupt[rng() % corrupt.size()] = static_cast<char>(rng());
      if (rng() % 3 == 0) corrupt.resize(rng() % corrupt.size());
      if (corrupt.empty()) continue;
      StringSource source(std::string_view(corrupt).substr(1));
      Reader reader(source);
      LoadOptions options;
      Decoder decoder(reader, options);
      (void)decoder.value(static_cast<uint8_t>(corrupt[0]), e.key);
    }
  });
}

}  // namespace
}  // namespace tandem::rdb

namespace tandem::rdb {
namespace {

// rdbLoadObject converts a loaded listpack by its length only: long members stay in it.
TEST(Snapshot, LoadedListpacksConvertByLengthOnlyAsRedis) {
  Keyspace ks(16), loaded(16);
  const std::string long_member(100, 'm');
  auto zset = std::make_shared<SortedSet>();
  zset->add(long_member, 1, 0, {128, 1000});
  ks.db(0).set("z", Value::of(zset));
  auto hash = std::make_shared<Hash>();
  hash->set("f", long_member, {128, 1000});
  ks.db(0).set("h", Value::of(hash));
  ASSERT_TRUE(load(save(ks), loaded));
  EXPECT_EQ(encoding(loaded, 0, "z"), "listpack");
  EXPECT_EQ(encoding(loaded, 0, "h"), "listpack");
  EXPECT_EQ(describe(loaded), describe(ks));
}

}  // namespace
}  // namespace tandem::rdb
