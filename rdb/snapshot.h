// Whole-dataset RDB files: writing every database of a Keyspace (SAVE, DEBUG RELOAD, later full
// sync) and loading one into a Keyspace (start-up, DEBUG RELOAD), as Redis's rdbSaveRio and
// rdbLoadRio do.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rdb/decoder.h"
#include "rdb/encoder.h"
#include "rdb/key_offsets.h"
#include "storage/keyspace.h"

namespace tandem::rdb {

// The replication AUX fields (rdbPopulateSaveInfo): the database the stream continues in, and
// the replication ID and offset the snapshot was taken at.
struct ReplicationAux {
  int stream_db = 0;   // repl-stream-db
  std::string id;      // repl-id
  int64_t offset = 0;  // repl-offset
};

// The AUX fields written after the header.
struct SnapshotInfo {
  std::string redis_version;                  // redis-ver
  int64_t ctime = 0;                          // seconds
  uint64_t used_memory = 0;                   // used-mem
  std::optional<ReplicationAux> replication{};  // written when set, as Redis with a backlog
};

struct SaveOptions {
  EncodeOptions encode;
  bool checksum = true;  // rdbchecksum
  // rdb-key-save-delay: save_frozen sleeps this many microseconds after each key, as Redis's
  // child does, so that tests can hold a background save or a diskless transfer open.
  int key_delay_us = 0;
  // What rdbSaveKeyValuePair writes before each key besides its expiry: nothing, its idle
  // seconds under an LRU policy, or its decayed LFU counter under an LFU policy, both as of
  // `access_now_ms` (the moment the snapshot was taken, as Redis's fork freezes its clock).
  enum class KeyAccess { kNone, kIdle, kFreq };
  KeyAccess key_access = KeyAccess::kNone;
  int64_t access_now_ms = 0;
  int lfu_decay_time = 1;
  // When set, save_frozen counts the keys it has encoded into it. Only the saving thread writes
  // it; any thread may read it meanwhile (INFO's current_save_keys_processed, a diskless
  // transfer's keys sent per replica).
  std::atomic<uint64_t>* keys_saved = nullptr;
  // When set, save_frozen records in it where the keys end in the file, on the saving thread.
  KeyOffsets* key_offsets = nullptr;
};

// Writes the header, the AUX fields, every non-empty database (keys already expired included,
// as Redis does) and the EOF trailer, then flushes. Errors are the sink's.
tl::expected<void, std::string> save_keyspace(Keyspace& keyspace, const SnapshotInfo& info,
                                              const SaveOptions& options, Sink& sink);

// A point-in-time view of a keyspace for a background save or a full sync: one Database::Snapshot
// per non-empty database, which shares the dict chunks and entries with the live keyspace (the
// main thread copies what it writes to while the view holds it; see storage/dict.h), and
// collections through the copy-on-write contract of storage/collection.h. Taking it costs the
// main thread O(buckets / 64) reference increments. Build it on the main thread; read it on one
// other thread; destroy it on the main thread (values it may free must not die on another
// thread while a command runs).
struct FrozenDatabase {
  int index = 0;
  Database::Snapshot view;
};
using FrozenKeyspace = std::vector<FrozenDatabase>;

FrozenKeyspace freeze(Keyspace& keyspace);
// The keys a save of `frozen` writes (expired ones included, as Redis writes them).
uint64_t key_count(const FrozenKeyspace& frozen);
// save_keyspace for a frozen copy; safe to call on another thread.
tl::expected<void, std::string> save_frozen(const FrozenKeyspace& frozen, const SnapshotInfo& info,
                                            const SaveOptions& options, Sink& sink);

struct LoadStats {
  uint64_t keys_loaded = 0;
  uint64_t keys_expired = 0;  // skipped because their TTL had passed
  int rdb_version = 0;
  // The repl-* AUX fields, when the file has repl-id and repl-offset (a replica restarted from
  // its dump PSYNCs from them).
  std::optional<ReplicationAux> replication;
};

// Reads a whole RDB file from `source` into `target`, which should be empty: on error `target`
// holds part of the data and the caller drops it, so a live dataset is only ever replaced by a
// complete load. Keys whose expiry time is before `now_ms` are skipped (we are a master).
tl::expected<LoadStats, Error> load_keyspace(Source& source, const LoadOptions& options,
                                             int64_t now_ms, Keyspace& target);

}  // namespace tandem::rdb
