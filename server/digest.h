// DEBUG DIGEST and DEBUG DIGEST-VALUE: Redis's order-independent SHA1 signature of a dataset.
//
// The digest must equal real Redis 7.0's byte for byte for the same data (replication tests
// compare a tandem replica's digest with its Redis master's), so this follows debug.c exactly:
//
//   xor_digest(d, p)  : d ^= SHA1(p)
//   mix_digest(d, p)  : d ^= SHA1(p); d = SHA1(d)        (order-dependent)
//   value digest v    : v = 0; mix(v, htonl(type)); then by type
//                         string     : mix(v, value)            (integers in decimal)
//                         list       : mix(v, e) for each element, head to tail
//                         set        : xor(v, m) for each member
//                         hash       : e = 0; mix(e, field); mix(e, value); xor(v, e) per pair
//                         sorted set : e = 0; mix(e, member); mix(e, "%.17g" score); xor(v, e)
//                       if the key has a TTL: xor(v, "!!expire!!")
//   (xor makes sets, hashes and sorted sets independent of their iteration order, so every
//   encoding of the same contents digests alike)
//   key digest k      : k = 0; mix(k, key); then the value digest steps applied to k
//   dataset digest D  : D = 0; for each non-empty db j: mix(D, htonl(j));
//                       for each key in it: xor(D, k)   (i.e. D ^= SHA1(k): order-independent)
//
// Like Redis, the dataset digest walks the hash tables as they are: a key whose TTL passed but
// that no lookup or expiry cycle removed yet still counts. An empty dataset digests to 20 zero
// bytes, printed as 40 '0' characters.
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "storage/database.h"
#include "storage/keyspace.h"
#include "storage/value.h"

namespace tandem {

using Digest = std::array<unsigned char, 20>;

// The digest of one value as DEBUG DIGEST-VALUE reports it (the key name is not part of it).
Digest value_digest(const Value& value, bool has_expire);
// The digest of the whole keyspace as DEBUG DIGEST reports it.
Digest dataset_digest(Keyspace& keyspace);
// 40 lowercase hex characters.
std::string digest_hex(const Digest& digest);

}  // namespace tandem
