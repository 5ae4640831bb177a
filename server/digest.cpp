#include "server/digest.h"

#include <arpa/inet.h>
#include <openssl/evp.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>

#include "storage/hash.h"
#include "storage/list.h"
#include "storage/set.h"
#include "storage/sorted_set.h"

namespace tandem {
namespace {

// One SHA1 context reused for every hash of a digest run: a dataset digest hashes each key
// four or more times, so avoiding a context allocation per hash matters on large datasets.
class Sha1 {
 public:
  Sha1() : ctx_(EVP_MD_CTX_new(), EVP_MD_CTX_free) {}

  Digest hash(const void* data, size_t length) {
    Digest out{};
    unsigned int out_length = 0;
    EVP_DigestInit_ex(ctx_.get(), EVP_sha1(), nullptr);
    EVP_DigestUpdate(ctx_.get(), data, length);
    EVP_DigestFinal_ex(ctx_.get(), out.data(), &out_length);
    return out;
  }

  // Redis's xorDigest: digest ^= SHA1(data).
  void xor_into(Digest& digest, const void* data, size_t length) {
    Digest h = hash(data, length);
    for (size_t i = 0; i < digest.size(); ++i) digest[i] ^= h[i];
  }

  // Redis's mixDigest: digest ^= SHA1(data); digest = SHA1(digest).
  void mix_into(Digest& digest, const void* data, size_t length) {
    xor_into(digest, data, length);
    digest = hash(digest.data(), digest.size());
  }

  void mix_into(Digest& digest, std::string_view s) { mix_into(digest, s.data(), s.size()); }

  void mix_u32(Digest& digest, uint32_t value) {
    uint32_t big_endian = htonl(value);
    mix_into(digest, &big_endian, sizeof(big_endian));
  }

 private:
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> ctx_;
};

constexpr std::string_view kExpireMarker = "!!expire!!";

// Redis 7.0's "%.17g" text of a sorted set score, which debug.c hashes.
std::string_view score_text(double score, char (&buf)[64]) {
  int n = std::snprintf(buf, sizeof(buf), "%.17g", score);
  return {buf, static_cast<size_t>(n)};
}

// Redis's xorObjectDigest: folds the type, the value and the presence of a TTL into `digest`.
// Lists are mixed element by element (order matters); each member of a set, and each
// field/value or member/score pair (mixed into its own digest first) of a hash or sorted set, is
// xored in, so their iteration order (which differs between encodings and servers) does not.
void add_value(Sha1& sha, Digest& digest, const Value& value, bool has_expire) {
  sha.mix_u32(digest, static_cast<uint32_t>(value.type()));
  switch (value.type()) {
    case ValueType::kString: {
      // Integer-encoded strings are hashed in their decimal form, as Redis decodes them.
      std::string scratch;
      sha.mix_into(digest, value.string_view(scratch));
      break;
    }
    case ValueType::kList:
      value.as<List>()->for_each(0, false, [&](const Listpack::Element& e) {
        if (e.is_int) {
          sha.mix_into(digest, e.to_string());
        } else {
          sha.mix_into(digest, e.str);
        }
        return true;
      });
      break;
    case ValueType::kSet:
      value.as<Set>()->for_each(
          [&](std::string_view member) { sha.xor_into(digest, member.data(), member.size()); });
      break;
    case ValueType::kZSet: {
      char buf[64];
      value.as<SortedSet>()->for_each([&](std::string_view member, double score) {
        Digest element{};
        sha.mix_into(element, member);
        sha.mix_into(element, score_text(score, buf));
        sha.xor_into(digest, element.data(), element.size());
      });
      break;
    }
    case ValueType::kHash:
      value.as<Hash>()->for_each([&](std::string_view field, std::string_view field_value) {
        Digest element{};
        sha.mix_into(element, field);
        sha.mix_into(element, field_value);
        sha.xor_into(digest, element.data(), element.size());
      });
      break;
  }
  if (has_expire) sha.xor_into(digest, kExpireMarker.data(), kExpireMarker.size());
}

}  // namespace

Digest value_digest(const Value& value, bool has_expire) {
  Sha1 sha;
  Digest digest{};
  add_value(sha, digest, value, has_expire);
  return digest;
}

Digest dataset_digest(Keyspace& keyspace) {
  Sha1 sha;
  Digest final_digest{};
  for (int j = 0; j < keyspace.count(); ++j) {
    Database& db = keyspace.db(j);
    if (db.size() == 0) continue;
    // The db number is mixed in so the same keys in another db give another digest.
    sha.mix_u32(final_digest, static_cast<uint32_t>(j));
    db.for_each([&](Database::Entry& entry) {
      Digest key_digest{};
      sha.mix_into(key_digest, entry.key);
      add_value(sha, key_digest, entry.value, db.expire_time(entry.key).has_value());
      sha.xor_into(final_digest, key_digest.data(), key_digest.size());
    });
  }
  return final_digest;
}

std::string digest_hex(const Digest& digest) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(digest.size() * 2);
  for (unsigned char byte : digest) {
    out.push_back(kHex[byte >> 4]);
    out.push_back(kHex[byte & 0xf]);
  }
  return out;
}

}  // namespace tandem
