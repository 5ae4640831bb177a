// The server's RDB file: SAVE writes the whole dataset to `dir`/`dbfilename` and start-up (and
// DEBUG RELOAD) reads it back, through the encoder and decoder in rdb/.
//
// A save writes temp-<pid>.rdb in `dir`, fsyncs it, renames it over the dump and fsyncs the
// directory, so a crash at any point leaves either the old or the new file whole, never a torn
// one. A load builds a new Keyspace and moves it into the live one only once the whole file
// decoded, so a corrupt file leaves the running dataset untouched.
#pragma once

#include <string>

#include "rdb/decoder.h"
#include "rdb/snapshot.h"
#include "tl/expected.hpp"

namespace tandem {

class Server;
class Config;

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
// Loads the dump into the live keyspace, replacing it (start-up, DEBUG RELOAD). kNoFile when
// there is no dump, which is not an error.
tl::expected<LoadOutcome, std::string> load_rdb(Server& server);

}  // namespace tandem
