#include "server/digest.h"

#include <arpa/inet.h>
#include <openssl/evp.h>

#include <cstdint>
#include <cstring>
#include <memory>

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

// Redis's xorObjectDigest: folds the type, the value and the presence of a TTL into `digest`.
void add_value(Sha1& sha, Digest& digest, const Value& value, bool has_expire) {
  std::string scratch;
  sha.mix_u32(digest, static_cast<uint32_t>(value.type()));
  switch (value.type()) {
    case ValueType::kString:
      // Integer-encoded strings are hashed in their decimal form, as Redis decodes them.
      sha.mix_into(digest, value.string_view(scratch));
      break;
    default:
      // Other types are folded in as debug.c does once they exist (lists element by element,
      // sets/hashes order-independently, sorted sets with their scores formatted "%.17g").
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
