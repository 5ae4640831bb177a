#include "server/persistence.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>

#include "fmt/format.h"
#include "replication/replication.h"
#include "server/background_save.h"
#include "server/log.h"
#include "server/memory_usage.h"
#include "server/server.h"
#include "server/version.h"
#include "storage/clock.h"

namespace tandem {
namespace {

// Closes the descriptor when it leaves scope.
struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

std::string errno_text() { return std::strerror(errno); }

// Makes `loaded` the live dataset: `live` is emptied first (WATCHers of its keys are touched),
// then each database's tables are swapped, so no key is inserted twice.
void replace_dataset(Keyspace& live, Keyspace& loaded) {
  live.flush_all();
  for (int i = 0; i < loaded.count(); ++i) live.db(i).swap_contents(loaded.db(i));
}

// Moves every key of `loaded` into `live`, keeping live's other keys. Under kAdd a key present
// in both fails before anything moved (Redis panics on it; we refuse and keep the dataset).
tl::expected<void, std::string> merge_dataset(Keyspace& live, Keyspace& loaded, LoadMode mode) {
  for (int i = 0; mode == LoadMode::kAdd && i < loaded.count(); ++i) {
    Database& from = loaded.db(i);
    Database& into = live.db(i);
    std::string duplicate;
    from.for_each([&](Database::Entry& e) {
      if (duplicate.empty() && into.holds(e.key)) duplicate = e.key.view();
    });
    if (!duplicate.empty()) {
      return tl::unexpected(fmt::format("RDB has duplicated key '{}' in DB {}", duplicate, i));
    }
  }
  for (int i = 0; i < loaded.count(); ++i) {
    Database& from = loaded.db(i);
    Database& into = live.db(i);
    from.for_each([&](Database::Entry& e) {
      into.erase(e.key);  // MERGE: the dump's key wins (WATCHers of it are touched)
      into.add_loaded(e.key, std::move(e.value), from.expire_time(e.key).value_or(-1));
    });
  }
  return {};
}

}  // namespace

LoadingReport::LoadingReport(PersistenceStats& stats, bool async, uint64_t total_bytes)
    : stats_(stats), progress_(std::make_shared<rdb::LoadProgress>()) {
  stats_.loading = !async;
  stats_.async_loading = async;
  stats_.loading_start_seconds = unix_time_ms() / 1000;
  stats_.loading_total_bytes = total_bytes;
  stats_.loading_progress = progress_;
}

LoadingReport::~LoadingReport() {
  stats_.loading = false;
  stats_.async_loading = false;
  stats_.loading_progress.reset();
}

rdb::LoadOptions rdb_load_options(const Config& config) {
  rdb::LoadOptions options;
  options.list_fill = config.list_max_listpack_size;
  options.hash = {config.hash_max_listpack_entries, config.hash_max_listpack_value};
  options.zset = {config.zset_max_listpack_entries, config.zset_max_listpack_value};
  options.set_max_intset_entries = config.set_max_intset_entries;
  options.verify_checksum = config.rdbchecksum;
  options.lfu_policy = config.maxmemory_policy.find("lfu") != std::string::npos;
  return options;
}

rdb::SaveOptions rdb_save_options(const Config& config) {
  return {.encode = {.compression = config.rdbcompression},
          .checksum = config.rdbchecksum,
          .key_delay_us = config.rdb_key_save_delay};
}

rdb::FrozenKeyspace freeze_keyspace(Server& server) {
  const int64_t start = monotonic_us();
  rdb::FrozenKeyspace frozen = rdb::freeze(server.keyspace());
  const int64_t pause_us = monotonic_us() - start;
  server.persistence().last_snapshot_pause_usec = pause_us;
  const int64_t threshold_ms = server.config().latency_monitor_threshold;
  if (threshold_ms > 0 && pause_us / 1000 >= threshold_ms) {
    server.latency_monitor().add_sample("fork", pause_us / 1000, unix_time_ms() / 1000);
  }
  return frozen;
}

rdb::SnapshotInfo rdb_snapshot_info() {
  return {.redis_version = std::string(kRedisCompatVersion),
          .ctime = unix_time_ms() / 1000,
          .used_memory = heap_used_bytes(),
          .replication = std::nullopt};
}

tl::expected<void, std::string> save_rdb(Server& server) {
  // Half a dataset must never replace the dump it is being loaded from.
  if (server.persistence().loading) {
    log(LogLevel::kWarning, "Can't save the DB while it is being loaded.");
    return tl::unexpected(std::string("the dataset is being loaded"));
  }
  // Two writers must never race for the dump: a synchronous save supersedes a background one.
  server.background_save().cancel();
  const Config& config = server.config();
  std::string temp = fmt::format("{}/temp-{}.rdb", config.dir, getpid());
  std::string target = fmt::format("{}/{}", config.dir, config.dbfilename);
  auto failed = [&](std::string why) -> tl::expected<void, std::string> {
    ::unlink(temp.c_str());
    log(LogLevel::kWarning, "Write error saving DB on disk: {}", why);
    return tl::unexpected(std::move(why));
  };
  {
    Fd file{::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)};
    if (file.fd < 0) {
      log(LogLevel::kWarning,
          "Failed opening the temp RDB file {} (in server root dir {}) for "
          "saving: {}",
          fmt::format("temp-{}.rdb", getpid()), config.dir, errno_text());
      return tl::unexpected(errno_text());
    }
    rdb::FdSink sink(file.fd);
    rdb::SnapshotInfo info = rdb_snapshot_info();
    info.replication = server.replication().save_info();
    auto saved = rdb::save_keyspace(server.keyspace(), info, rdb_save_options(config), sink);
    if (!saved) return failed(saved.error());
    if (::fsync(file.fd) != 0) return failed(errno_text());
  }
  if (::rename(temp.c_str(), target.c_str()) != 0) return failed(errno_text());
  // The rename itself is durable only once the directory is.
  if (Fd dir{::open(config.dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)}; dir.fd >= 0) {
    ::fsync(dir.fd);
  }
  log(LogLevel::kNotice, "DB saved on disk");
  server.stats().dirty = 0;
  server.set_lastsave_seconds(unix_time_ms() / 1000);
  server.persistence().last_save_ok = true;
  ++server.persistence().rdb_saves;
  return {};
}

std::string dump_path(const Config& config) {
  return fmt::format("{}/{}", config.dir, config.dbfilename);
}

tl::expected<void, std::string> adopt_loaded(Server& server, Keyspace& loaded,
                                             const rdb::LoadStats& result, LoadMode mode,
                                             int64_t start_ms) {
  if (mode == LoadMode::kReplace) {
    replace_dataset(server.keyspace(), loaded);
  } else if (auto merged = merge_dataset(server.keyspace(), loaded, mode); !merged) {
    return tl::unexpected(merged.error());
  }
  PersistenceStats& stats = server.persistence();
  stats.last_load_keys_loaded = result.keys_loaded;
  stats.last_load_keys_expired = result.keys_expired;
  stats.loaded_replication = result.replication;
  log(LogLevel::kNotice, "Done loading RDB, keys loaded: {}, keys expired: {}.",
      result.keys_loaded, result.keys_expired);
  log(LogLevel::kNotice, "DB loaded from disk: {:.3f} seconds",
      static_cast<double>(unix_time_ms() - start_ms) / 1000);
  return {};
}

tl::expected<LoadOutcome, std::string> load_rdb(Server& server, LoadMode mode) {
  const Config& config = server.config();
  std::string path = dump_path(config);
  Fd file{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
  if (file.fd < 0) {
    if (errno == ENOENT) return LoadOutcome::kNoFile;
    return tl::unexpected(fmt::format("Can't open {}: {}", path, errno_text()));
  }
  const int64_t start_ms = unix_time_ms();
  struct stat st {};
  std::optional<LoadingReport> report;
  report.emplace(server.persistence(), false,
                 ::fstat(file.fd, &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0);
  rdb::LoadOptions options = rdb_load_options(config);
  options.progress = report->progress();
  Keyspace loaded(server.keyspace().count());
  rdb::FdSource source(file.fd);
  auto result = rdb::load_keyspace(source, options, start_ms, loaded);
  report.reset();
  if (!result) return tl::unexpected(result.error().to_string());
  if (auto adopted = adopt_loaded(server, loaded, *result, mode, start_ms); !adopted) {
    return tl::unexpected(adopted.error());
  }
  return LoadOutcome::kLoaded;
}

}  // namespace tandem
