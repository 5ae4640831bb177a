// Whole-dataset RDB files: writing every database of a Keyspace (SAVE, DEBUG RELOAD, later full
// sync) and loading one into a Keyspace (start-up, DEBUG RELOAD), as Redis's rdbSaveRio and
// rdbLoadRio do.
#pragma once

#include <cstdint>
#include <string>

#include "rdb/decoder.h"
#include "rdb/encoder.h"
#include "storage/keyspace.h"

namespace tandem::rdb {

// The AUX fields written after the header.
struct SnapshotInfo {
  std::string redis_version;  // redis-ver
  int64_t ctime = 0;          // seconds
  uint64_t used_memory = 0;   // used-mem
};

struct SaveOptions {
  EncodeOptions encode;
  bool checksum = true;  // rdbchecksum
};

// Writes the header, the AUX fields, every non-empty database (keys already expired included,
// as Redis does) and the EOF trailer, then flushes. Errors are the sink's.
tl::expected<void, std::string> save_keyspace(Keyspace& keyspace, const SnapshotInfo& info,
                                              const SaveOptions& options, Sink& sink);

struct LoadStats {
  uint64_t keys_loaded = 0;
  uint64_t keys_expired = 0;  // skipped because their TTL had passed
  int rdb_version = 0;
};

// Reads a whole RDB file from `source` into `target`, which should be empty: on error `target`
// holds part of the data and the caller drops it, so a live dataset is only ever replaced by a
// complete load. Keys whose expiry time is before `now_ms` are skipped (we are a master).
tl::expected<LoadStats, Error> load_keyspace(Source& source, const LoadOptions& options,
                                             int64_t now_ms, Keyspace& target);

}  // namespace tandem::rdb
