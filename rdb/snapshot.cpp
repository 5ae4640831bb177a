#include "rdb/snapshot.h"

#include <charconv>
#include <chrono>
#include <optional>
#include <thread>
#include <utility>

#include "fmt/format.h"
#include "rdb/format.h"
#include "storage/clock.h"

namespace tandem::rdb {

namespace {

// The file around the databases: header and AUX fields first, EOF and checksum last.
// `databases(out)` writes every non-empty database.
template <typename WriteDatabases>
tl::expected<void, std::string> write_file(const SnapshotInfo& info, const SaveOptions& options,
                                           Sink& sink, WriteDatabases&& databases) {
  Encoder out(sink, options.encode);
  out.header();
  // rdbSaveInfoAuxFields, in its order.
  out.aux("redis-ver", info.redis_version);
  out.aux("redis-bits", int64_t{64});
  out.aux("ctime", info.ctime);
  out.aux("used-mem", static_cast<int64_t>(info.used_memory));
  if (info.replication) {
    out.aux("repl-stream-db", int64_t{info.replication->stream_db});
    out.aux("repl-id", info.replication->id);
    out.aux("repl-offset", info.replication->offset);
  }
  out.aux("aof-base", int64_t{0});
  databases(out);
  out.eof(options.checksum);
  return out.finish();
}

// The IDLE or FREQ opcode that precedes a key under an LRU or LFU policy.
void write_key_access(Encoder& out, const SaveOptions& options, const Value& value) {
  switch (options.key_access) {
    case SaveOptions::KeyAccess::kNone:
      return;
    case SaveOptions::KeyAccess::kIdle:
      out.idle_seconds(static_cast<uint64_t>(idle_seconds(value, options.access_now_ms)));
      return;
    case SaveOptions::KeyAccess::kFreq:
      out.lfu_frequency(
          lfu::decayed(value.access_time(), options.access_now_ms, options.lfu_decay_time));
      return;
  }
}

}  // namespace

tl::expected<void, std::string> save_keyspace(Keyspace& keyspace, const SnapshotInfo& info,
                                              const SaveOptions& options, Sink& sink) {
  return write_file(info, options, sink, [&](Encoder& out) {
    for (int i = 0; i < keyspace.count(); ++i) {
      Database& db = keyspace.db(i);
      if (db.size() == 0) continue;
      out.select_db(i);
      out.resize_db(db.size(), db.expires_count());
      db.for_each([&](Database::Entry& entry) {
        if (auto when = db.expire_time(entry.key)) out.expire_ms(*when);
        write_key_access(out, options, entry.value);
        out.key_value(entry.key, entry.value);
      });
    }
  });
}

FrozenKeyspace freeze(Keyspace& keyspace) {
  FrozenKeyspace frozen;
  for (int i = 0; i < keyspace.count(); ++i) {
    Database& db = keyspace.db(i);
    if (db.size() == 0) continue;
    frozen.push_back({.index = i, .view = db.snapshot()});
  }
  return frozen;
}

uint64_t key_count(const FrozenKeyspace& frozen) {
  uint64_t keys = 0;
  for (const FrozenDatabase& db : frozen) keys += db.view.keys.size();
  return keys;
}

tl::expected<void, std::string> save_frozen(const FrozenKeyspace& frozen, const SnapshotInfo& info,
                                            const SaveOptions& options, Sink& sink) {
  uint64_t keys = 0;
  return write_file(info, options, sink, [&](Encoder& out) {
    for (const FrozenDatabase& db : frozen) {
      out.select_db(db.index);
      out.resize_db(db.view.keys.size(), db.view.expires.size());
      db.view.keys.for_each([&](const Dict<Value>::Entry& entry) {
        if (const auto* when = db.view.expires.find(entry.key)) out.expire_ms(when->value);
        write_key_access(out, options, entry.value);
        out.key_value(entry.key, entry.value);
        ++keys;
        if (auto* n = options.keys_saved) n->store(keys, std::memory_order_relaxed);
        if (options.key_offsets) options.key_offsets->key_ends(out.position(), keys);
        if (options.key_delay_us > 0) {
          std::this_thread::sleep_for(std::chrono::microseconds(options.key_delay_us));
        }
      });
    }
  });
}

namespace {
// Redis's rdbLoadRio keeps repl-stream-db, repl-id and repl-offset for a replica's restart.
void read_replication_aux(const std::string& name, const std::string& value, LoadStats& stats) {
  auto number = [&]() -> std::optional<int64_t> {
    int64_t out = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), out);
    if (ec != std::errc() || end != value.data() + value.size()) return std::nullopt;
    return out;
  };
  if (name != "repl-id" && name != "repl-offset" && name != "repl-stream-db") return;
  if (!stats.replication)
    stats.replication = ReplicationAux{.stream_db = 0, .id = "", .offset = -1};
  ReplicationAux& aux = *stats.replication;
  if (name == "repl-id" && value.size() == 40) aux.id = value;
  if (name == "repl-offset") aux.offset = number().value_or(-1);
  if (name == "repl-stream-db") aux.stream_db = static_cast<int>(number().value_or(0));
}
}  // namespace

// Counts what the decoder reads into its LoadProgress as it goes.
class CountingSource final : public Source {
 public:
  CountingSource(Source& inner, LoadProgress& progress) : inner_(inner), progress_(progress) {}
  tl::expected<size_t, std::string> read(char* dst, size_t max) override {
    auto n = inner_.read(dst, max);
    if (n) progress_.loaded_bytes.fetch_add(*n, std::memory_order_relaxed);
    return n;
  }

 private:
  Source& inner_;
  LoadProgress& progress_;
};

tl::expected<LoadStats, Error> load_keyspace(Source& raw_source, const LoadOptions& options,
                                             int64_t now_ms, Keyspace& target) {
  std::optional<CountingSource> counting;
  if (options.progress) counting.emplace(raw_source, *options.progress);
  Source& source = counting ? static_cast<Source&>(*counting) : raw_source;
  Reader reader(source);
  Decoder in(reader, options);
  return in.guarded([&] {
    LoadStats stats;
    std::string header;
    reader.read(header, 9);
    if (header.compare(0, 5, "REDIS") != 0) in.fail("Wrong signature trying to load DB from file");
    int version = 0;
    for (char c : header.substr(5)) {
      if (c < '0' || c > '9') in.fail("Wrong signature trying to load DB from file");
      version = version * 10 + (c - '0');
    }
    if (version < 1 || version > kVersion) {
      in.fail(fmt::format("Can't handle RDB format version {}", version));
    }
    stats.rdb_version = version;

    // New values are stamped the way the loading server keeps access fields.
    target.expiry().access = options.access;
    Database* db = &target.db(0);
    int64_t expire_ms = -1;
    int64_t idle = -1;  // from an IDLE opcode, for the key that follows it
    int freq = -1;      // from a FREQ opcode, likewise
    for (;;) {
      uint8_t type = reader.byte();
      switch (type) {
        case kOpExpireTime:
          expire_ms = int64_t{in.u32_le()} * 1000;
          continue;
        case kOpExpireTimeMs:
          expire_ms = static_cast<int64_t>(in.u64_le());
          continue;
        // The next key's access frequency (LFU) or idle seconds (LRU), as Redis writes them
        // under such a maxmemory policy; each is applied only under a policy of its kind
        // (Redis's objectSetLRUOrLFU), so OBJECT FREQ and OBJECT IDLETIME carry over.
        case kOpFreq:
          freq = reader.byte();
          continue;
        case kOpIdle:
          idle = static_cast<int64_t>(in.length());
          continue;
        case kOpSelectDb: {
          uint64_t index = in.length();
          if (index >= static_cast<uint64_t>(target.count())) {
            in.fail(
                fmt::format("Data file was created with a server configured to handle more than {} "
                            "databases (it selects database {})",
                            target.count(), index));
          }
          db = &target.db(static_cast<int>(index));
          continue;
        }
        case kOpResizeDb: {
          uint64_t keys = in.length();
          db->reserve(keys, in.length());
          continue;
        }
        case kOpAux: {
          std::string name = in.string();
          std::string value = in.string();
          read_replication_aux(name, value, stats);
          if (name == "used-mem" && options.progress) {
            uint64_t used = 0;
            std::from_chars(value.data(), value.data() + value.size(), used);
            options.progress->rdb_used_mem = used;
          }
          continue;
        }
        case kOpModuleAux:
          in.fail("Module auxiliary data is not supported");
        case kOpFunction:
        case kOpFunction2:
          in.fail("Function libraries in RDB files are not supported yet");
        case kOpEof:
          break;
        default: {
          std::string key = in.string();
          std::optional<Value> value = in.load_value(type, key);
          const int64_t when = expire_ms;
          const int64_t idle_seconds = std::exchange(idle, -1);
          const int frequency = std::exchange(freq, -1);
          expire_ms = -1;
          if (when != -1 && when < now_ms) {
            ++stats.keys_expired;
            continue;
          }
          if (!value) continue;  // an empty collection, skipped as Redis skips it
          if (options.access.lfu) {
            if (frequency >= 0) {
              value->touch(lfu::field(unix_time_ms(), static_cast<uint8_t>(frequency)));
            }
          } else if (idle_seconds >= 0) {
            value->touch(backdated_access_time(unix_time_ms(), idle_seconds));
          }
          if (!db->add_loaded(key, std::move(*value), when)) {
            in.fail(fmt::format("Duplicate key '{}' found in RDB file", key));
          }
          ++stats.keys_loaded;
          continue;
        }
      }
      break;
    }
    if (stats.replication && (stats.replication->id.empty() || stats.replication->offset < 0)) {
      stats.replication.reset();  // both are needed to continue a history
    }
    if (version >= 5) {
      const uint64_t expected = reader.crc();
      const uint64_t stored = in.u64_le();
      if (stored != 0 && options.verify_checksum && stored != expected) {
        in.fail(
            fmt::format("Wrong RDB checksum expected: ({:016x}) got: ({:016x})", stored, expected));
      }
    }
    return stats;
  });
}

}  // namespace tandem::rdb
