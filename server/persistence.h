// The server's RDB file: SAVE writes the whole dataset to `dir`/`dbfilename` and start-up (and
// DEBUG RELOAD) reads it back, through the encoder and decoder in rdb/.
//
// A save writes temp-<pid>.rdb in `dir`, fsyncs it, renames it over the dump and fsyncs the
// directory, so a crash at any point leaves either the old or the new file whole, never a torn
// one. A load builds a new Keyspace and moves it into the live one only once the whole file
// decoded, so a corrupt file leaves the running dataset untouched.
#pragma once

#include <memory>
#include <string>

#include "rdb/decoder.h"
#include "rdb/snapshot.h"
#include "tl/expected.hpp"

namespace tandem {

class Server;
class Config;
class Keyspace;
struct PersistenceStats;

// Shows a load in INFO persistence (loading or async_loading, and the loading_* fields) for as
// long as it lives; progress() goes into the decoder's LoadOptions.
class LoadingReport {
 public:
  LoadingReport(PersistenceStats& stats, bool async, uint64_t total_bytes);
  ~LoadingReport();
  LoadingReport(const LoadingReport&) = delete;
  LoadingReport& operator=(const LoadingReport&) = delete;
  const std::shared_ptr<rdb::LoadProgress>& progress() const { return progress_; }

 private:
  PersistenceStats& stats_;
  std::shared_ptr<rdb::LoadProgress> progress_;
};

rdb::LoadOptions rdb_load_options(const Config& config);
rdb::SaveOptions rdb_save_options(const Config& config);
rdb::SnapshotInfo rdb_snapshot_info();
// rdb::freeze of the live keyspace for BGSAVE or a full sync, timing the main thread's pause
// (INFO and the latency monitor's "fork" event, as Redis times its fork).
rdb::FrozenKeyspace freeze_keyspace(Server& server);

// SAVE: writes the dump (stopping a background save first); on success resets the change counter
// and sets LASTSAVE. The error text is also logged, as Redis logs it.
tl::expected<void, std::string> save_rdb(Server& server);

enum class LoadOutcome { kLoaded, kNoFile };
// How a loaded dump meets the live dataset (DEBUG RELOAD's options, as Redis 7.0).
enum class LoadMode {
  kReplace,  // the dump becomes the dataset (start-up, DEBUG RELOAD)
  kAdd,      // NOFLUSH: the dump's keys join the dataset; a key in both fails the load
  kMerge,    // NOFLUSH MERGE: the dump's keys join the dataset, replacing keys of the same name
};
// `dir`/`dbfilename`.
std::string dump_path(const Config& config);
// Moves a decoded dump into the live keyspace as `mode` says, records what INFO reports of the
// load (keys loaded and expired, its replication AUX fields) and logs Redis's lines for it.
tl::expected<void, std::string> adopt_loaded(Server& server, Keyspace& loaded,
                                             const rdb::LoadStats& result, LoadMode mode,
                                             int64_t start_ms);
// Loads the dump into the live keyspace. kNoFile when there is no dump, which is not an error.
// On any failure the live dataset is left as it was.
tl::expected<LoadOutcome, std::string> load_rdb(Server& server, LoadMode mode = LoadMode::kReplace);

}  // namespace tandem
