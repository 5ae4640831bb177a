// Builds INFO. What tandem reports where it has no counterpart of a Redis mechanism:
// - used_memory counts what operator new handed out (server/memory_usage.h), as Redis's zmalloc
//   counter does. used_memory_rss is resident pages from /proc/self/statm. glibc has no cheap
//   fragmentation figures, so allocator_allocated and allocator_active are used_memory and
//   allocator_resident is the RSS. mem_allocator is "libc", as Redis built with libc malloc.
// - used_memory_overhead is the startup heap plus client buffers plus an estimate of the key
//   tables (one entry node and one bucket pointer per key, per table), as Redis sums its own.
// - Lua, functions, AOF, forks, defrag, tracking, pub/sub and replication-to-replica
//   fields report the values Redis reports when those features are idle (0, -1, "ok").
// - total_reads_processed counts batches of received bytes a client session takes in (Redis counts
//   read(2) calls), total_writes_processed the sends of queued replies, one per client per loop
//   turn (Redis counts writeToClient calls).
#include "server/info.h"

#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <climits>
#include <cstdio>
#include <filesystem>
#include <set>

#include "fmt/format.h"
#include "replication/replication.h"
#include "replication/replication_info.h"
#include "server/args.h"
#include "server/background_save.h"
#include "server/eviction.h"
#include "server/command_table.h"
#include "server/info_field.h"
#include "server/latency_histogram.h"
#include "server/memory_overhead.h"
#include "server/server.h"
#include "server/version.h"

namespace tandem {
namespace {

using Sections = std::set<std::string, std::less<>>;

// What INFO's arguments select (genInfoSectionDict).
struct Selection {
  Sections names;
  bool all = false;
  bool has(std::string_view name) const { return all || names.count(name) > 0; }
};

constexpr std::string_view kDefaultSections[] = {
    "server", "clients",     "memory",     "persistence", "stats",   "replication",
    "cpu",    "module_list", "errorstats", "cluster",     "keyspace"};

Selection select_sections(std::span<const std::string_view> args) {
  Selection selection;
  auto add_defaults = [&] {
    for (std::string_view name : kDefaultSections) selection.names.emplace(name);
  };
  if (args.empty()) add_defaults();
  for (std::string_view arg : args) {
    std::string name = ascii_lower(arg);
    if (name == "default") {
      add_defaults();
    } else if (name == "all" || name == "everything") {
      selection.all = true;  // no modules, so "everything" adds nothing to "all"
    } else {
      selection.names.insert(std::move(name));
    }
  }
  return selection;
}

// Appends "name:value\r\n".
// C's "%.2f" for a float Redis computes in single precision.
std::string fixed2(double value) { return fmt::format("{:.2f}", value); }

// Linux process times as Redis prints them: "%ld.%06ld".
std::string cpu_time(const timeval& tv) {
  return fmt::format("{}.{:06}", static_cast<long>(tv.tv_sec), static_cast<long>(tv.tv_usec));
}

const utsname& cached_uname() {
  static const utsname name = [] {
    utsname n{};
    uname(&n);
    return n;
  }();
  return name;
}

std::string executable_path() {
  std::error_code ec;
  auto path = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : path.string();
}

uint64_t system_memory_bytes() {
  return static_cast<uint64_t>(sysconf(_SC_PHYS_PAGES)) *
         static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
}

// A stable per-build identifier in the shape of Redis's redis_build_id (hex).
std::string build_id() {
  std::string_view stamp = __DATE__ " " __TIME__;
  uint64_t h = 14695981039346656037ull;  // FNV-1a over the build stamp and version
  for (char c : stamp) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  for (char c : kTandemVersion) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  return fmt::format("{:x}", h >> 4);
}

void server_section(Server& server, std::string& out) {
  int64_t now_us = unix_time_us();
  int64_t uptime = now_us / 1'000'000 - server.start_time_ms() / 1000;
  const utsname& os = cached_uname();
  std::string config_file = server.config().config_file();
  out += "# Server\r\n";
  info_field(out, "redis_version", kRedisCompatVersion);
  info_field(out, "tandem_version", kTandemVersion);
  info_field(out, "redis_git_sha1", "00000000");
  info_field(out, "redis_git_dirty", 0);
  info_field(out, "redis_build_id", build_id());
  info_field(out, "redis_mode", "standalone");
  info_field(out, "os", fmt::format("{} {} {}", os.sysname, os.release, os.machine));
  info_field(out, "arch_bits", sizeof(void*) * CHAR_BIT);
  info_field(out, "monotonic_clock", "POSIX clock_gettime");
  info_field(out, "multiplexing_api", "io_uring");
  info_field(out, "atomicvar_api", "c11-builtin");
  info_field(out, "gcc_version", fmt::format("{}.{}.{}", __GNUC__, __GNUC_MINOR__, __GNUC_PATCHLEVEL__));
  info_field(out, "process_id", getpid());
  info_field(out, "process_supervised", "no");
  info_field(out, "run_id", server.run_id());
  info_field(out, "tcp_port", server.tcp_port());
  info_field(out, "server_time_usec", now_us);
  info_field(out, "uptime_in_seconds", uptime);
  info_field(out, "uptime_in_days", uptime / (3600 * 24));
  info_field(out, "hz", server.config().hz);
  info_field(out, "configured_hz", server.config().hz);
  info_field(out, "lru_clock", lru_clock(now_us / 1000));
  info_field(out, "executable", executable_path());
  info_field(out, "config_file", config_file);
  info_field(out, "io_threads_active", 0);
}

void clients_section(Server& server, std::string& out) {
  size_t max_input = 0;
  size_t max_output = 0;
  size_t blocked = 0;  // Redis counts clients held by CLIENT PAUSE as blocked (BLOCKED_POSTPONE)
  for (const auto& [id, client] : server.clients()) {
    max_input = std::max(max_input, client->conn.input().size());
    max_output = std::max(max_output, client->conn.pending_output());
    if (client->paused || client->blocked) ++blocked;
  }
  out += "# Clients\r\n";
  info_field(out, "connected_clients", server.clients().size());
  info_field(out, "cluster_connections", 0);
  info_field(out, "maxclients", server.config().maxclients);
  info_field(out, "client_recent_max_input_buffer", max_input);
  info_field(out, "client_recent_max_output_buffer", max_output);
  info_field(out, "blocked_clients", blocked);
  info_field(out, "tracking_clients", 0);
  info_field(out, "clients_in_timeout_table", server.blocking().clients_with_timeout());
}

void memory_section(Server& server, std::string& out) {
  MemoryOverhead mh = memory_overhead(server);
  uint64_t used = mh.total_allocated;
  uint64_t peak = mh.peak_allocated;
  uint64_t rss = mh.rss;
  uint64_t clients_memory = mh.clients_normal;
  uint64_t startup = mh.startup_allocated;
  uint64_t overhead = mh.overhead_total;
  uint64_t dataset = mh.dataset;
  uint64_t allocated = mh.allocator_allocated;
  uint64_t active = mh.allocator_active;
  uint64_t resident = mh.allocator_resident;
  uint64_t system_memory = system_memory_bytes();
  auto ratio = [](float value) { return fixed2(value); };
  const Config& config = server.config();

  out += "# Memory\r\n";
  info_field(out, "used_memory", used);
  info_field(out, "used_memory_human", bytes_to_human(used));
  info_field(out, "used_memory_rss", rss);
  info_field(out, "used_memory_rss_human", bytes_to_human(rss));
  info_field(out, "used_memory_peak", peak);
  info_field(out, "used_memory_peak_human", bytes_to_human(peak));
  info_field(out, "used_memory_peak_perc", fixed2(mh.peak_perc) + "%");
  info_field(out, "used_memory_overhead", overhead);
  info_field(out, "used_memory_startup", startup);
  info_field(out, "used_memory_dataset", dataset);
  info_field(out, "used_memory_dataset_perc", fixed2(mh.dataset_perc) + "%");
  info_field(out, "allocator_allocated", allocated);
  info_field(out, "allocator_active", active);
  info_field(out, "allocator_resident", resident);
  info_field(out, "total_system_memory", system_memory);
  info_field(out, "total_system_memory_human", bytes_to_human(system_memory));
  info_field(out, "used_memory_lua", 0);
  info_field(out, "used_memory_vm_eval", 0);
  info_field(out, "used_memory_lua_human", "0B");
  info_field(out, "used_memory_scripts_eval", 0);
  info_field(out, "number_of_cached_scripts", 0);
  info_field(out, "number_of_functions", 0);
  info_field(out, "number_of_libraries", 0);
  info_field(out, "used_memory_vm_functions", 0);
  info_field(out, "used_memory_vm_total", 0);
  info_field(out, "used_memory_vm_total_human", "0B");
  info_field(out, "used_memory_functions", 0);
  info_field(out, "used_memory_scripts", 0);
  info_field(out, "used_memory_scripts_human", "0B");
  info_field(out, "maxmemory", config.maxmemory);
  info_field(out, "maxmemory_human", bytes_to_human(config.maxmemory));
  info_field(out, "maxmemory_policy", config.maxmemory_policy);
  info_field(out, "allocator_frag_ratio", ratio(mh.allocator_frag()));
  info_field(out, "allocator_frag_bytes", mh.allocator_frag_bytes());
  info_field(out, "allocator_rss_ratio", ratio(mh.allocator_rss()));
  info_field(out, "allocator_rss_bytes", mh.allocator_rss_bytes());
  info_field(out, "rss_overhead_ratio", ratio(mh.rss_extra()));
  info_field(out, "rss_overhead_bytes", mh.rss_extra_bytes());
  info_field(out, "mem_fragmentation_ratio", ratio(mh.total_frag()));
  info_field(out, "mem_fragmentation_bytes", mh.total_frag_bytes());
  info_field(out, "mem_not_counted_for_evict", memory_not_counted_for_evict(server));
  // As in Redis 7.0, the replicas' stream is the backlog's own chunks: what lagging replicas hold
  // beyond the window counts as theirs.
  const Backlog* backlog = server.replication().backlog();
  const size_t repl_buffers = backlog ? backlog->allocated_bytes() : 0;
  const size_t backlog_bytes = backlog ? std::min(backlog->window_bytes(), repl_buffers) : 0;
  info_field(out, "mem_replication_backlog", backlog_bytes);
  info_field(out, "mem_total_replication_buffers", repl_buffers);
  info_field(out, "mem_clients_slaves", repl_buffers - backlog_bytes);
  info_field(out, "mem_clients_normal", clients_memory);
  info_field(out, "mem_cluster_links", 0);
  info_field(out, "mem_aof_buffer", 0);
  info_field(out, "mem_allocator", "libc");
  info_field(out, "active_defrag_running", 0);
  info_field(out, "lazyfree_pending_objects", server.lazy_free().pending());
  info_field(out, "lazyfreed_objects", server.lazy_free().freed());
}

// The progress of a running load, computed as Redis 7.0's INFO does: the share of the file read,
// or of the file's used-mem when its size is unknown (capped below 100%), and an ETA from the
// rate so far (a fake 1 s in the first second).
void loading_fields(const PersistenceStats& persistence, std::string& out) {
  const uint64_t loaded = persistence.loading_progress->loaded_bytes.load();
  const uint64_t used_mem = persistence.loading_progress->rdb_used_mem.load();
  const uint64_t total = persistence.loading_total_bytes;
  double perc = 0;
  int64_t remaining = 1;
  if (total != 0) {
    perc = static_cast<double>(loaded) / static_cast<double>(total) * 100;
    remaining = static_cast<int64_t>(total) - static_cast<int64_t>(loaded);
  } else if (used_mem != 0) {
    perc = std::min(99.99, static_cast<double>(loaded) / static_cast<double>(used_mem) * 100);
    remaining = std::max<int64_t>(1, static_cast<int64_t>(used_mem) - static_cast<int64_t>(loaded));
  }
  const int64_t elapsed = unix_time_ms() / 1000 - persistence.loading_start_seconds;
  const int64_t eta = elapsed == 0 ? 1 : elapsed * remaining / static_cast<int64_t>(loaded + 1);
  info_field(out, "loading_start_time", persistence.loading_start_seconds);
  info_field(out, "loading_total_bytes", total);
  info_field(out, "loading_rdb_used_mem", used_mem);
  info_field(out, "loading_loaded_bytes", loaded);
  info_field(out, "loading_loaded_perc", fmt::format("{:.2f}", perc));
  info_field(out, "loading_eta_seconds", eta);
}

void persistence_section(Server& server, std::string& out) {
  out += "# Persistence\r\n";
  const PersistenceStats& persistence = server.persistence();
  info_field(out, "loading", persistence.loading ? 1 : 0);
  info_field(out, "async_loading", persistence.async_loading ? 1 : 0);
  info_field(out, "current_cow_peak", 0);
  info_field(out, "current_cow_size", 0);
  info_field(out, "current_cow_size_age", 0);
  // A running BGSAVE's or diskless transfer's progress, as Redis's RDB child reports it (exact
  // here, where Redis's child sends it about once a second); perc is processed / total.
  BackgroundSave& bgsave = server.background_save();
  auto [keys_processed, keys_total] = server.replication().diskless_keys();
  if (bgsave.in_progress()) {
    keys_processed = bgsave.keys_processed();
    keys_total = bgsave.keys_total();
  }
  const double fork_perc =
      keys_total == 0 ? 0.0
                      : static_cast<double>(keys_processed) / static_cast<double>(keys_total) * 100;
  info_field(out, "current_fork_perc", fmt::format("{:.2f}", fork_perc));
  info_field(out, "current_save_keys_processed", keys_processed);
  info_field(out, "current_save_keys_total", keys_total);
  info_field(out, "rdb_changes_since_last_save", server.stats().dirty);
  // A diskless transfer counts: Redis's RDB child writes it.
  const int64_t save_started_ms =
      bgsave.in_progress() ? bgsave.started_ms() : server.replication().diskless_started_ms();
  info_field(out, "rdb_bgsave_in_progress", save_started_ms != 0 ? 1 : 0);
  info_field(out, "rdb_last_save_time", server.lastsave_seconds());
  info_field(out, "rdb_last_bgsave_status", persistence.last_save_ok ? "ok" : "err");
  info_field(out, "rdb_last_bgsave_time_sec", persistence.last_bgsave_time_sec);
  info_field(out, "rdb_current_bgsave_time_sec",
        save_started_ms != 0 ? (unix_time_ms() - save_started_ms) / 1000 : -1);
  info_field(out, "rdb_saves", persistence.rdb_saves);
  info_field(out, "rdb_last_cow_size", 0);
  info_field(out, "rdb_last_load_keys_expired", persistence.last_load_keys_expired);
  info_field(out, "rdb_last_load_keys_loaded", persistence.last_load_keys_loaded);
  info_field(out, "aof_enabled", 0);
  info_field(out, "aof_rewrite_in_progress", 0);
  info_field(out, "aof_rewrite_scheduled", 0);
  info_field(out, "aof_last_rewrite_time_sec", -1);
  info_field(out, "aof_current_rewrite_time_sec", -1);
  info_field(out, "aof_last_bgrewrite_status", "ok");
  info_field(out, "aof_rewrites", 0);
  info_field(out, "aof_rewrites_consecutive_failures", 0);
  info_field(out, "aof_last_write_status", "ok");
  info_field(out, "aof_last_cow_size", 0);
  info_field(out, "module_fork_in_progress", 0);
  info_field(out, "module_fork_last_cow_size", 0);
  if (persistence.loading_progress) loading_fields(persistence, out);
}

void stats_section(Server& server, std::string& out) {
  const ServerStats& stats = server.stats();
  ServerMetrics& metrics = server.metrics();
  auto kbps = [](const InstantaneousMetric& m) {
    return fixed2(static_cast<float>(m.per_second()) / 1024);
  };
  out += "# Stats\r\n";
  info_field(out, "total_connections_received", stats.connections_received);
  info_field(out, "total_commands_processed", stats.commands_processed);
  info_field(out, "instantaneous_ops_per_sec", metrics.ops.per_second());
  info_field(out, "total_net_input_bytes", stats.net_input_bytes);
  info_field(out, "total_net_output_bytes", stats.net_output_bytes);
  info_field(out, "total_net_repl_input_bytes", server.replication().stats().net_input_bytes);
  info_field(out, "total_net_repl_output_bytes", server.replication().stats().net_output_bytes);
  info_field(out, "instantaneous_input_kbps", kbps(metrics.net_input));
  info_field(out, "instantaneous_output_kbps", kbps(metrics.net_output));
  info_field(out, "instantaneous_input_repl_kbps", kbps(metrics.net_repl_input));
  info_field(out, "instantaneous_output_repl_kbps", kbps(metrics.net_repl_output));
  info_field(out, "rejected_connections", stats.rejected_connections);
  const ReplicationStats& sync = server.replication().stats();
  info_field(out, "sync_full", sync.sync_full);
  info_field(out, "sync_partial_ok", sync.sync_partial_ok);
  info_field(out, "sync_partial_err", sync.sync_partial_err);
  info_field(out, "expired_keys", server.keyspace().expiry().expired_keys);
  info_field(out, "expired_stale_perc", "0.00");
  info_field(out, "expired_time_cap_reached_count", 0);
  info_field(out, "expire_cycle_cpu_milliseconds", 0);
  info_field(out, "evicted_keys", server.eviction().evicted_keys());
  info_field(out, "evicted_clients", 0);
  info_field(out, "total_eviction_exceeded_time", server.eviction().total_exceeded_ms());
  info_field(out, "current_eviction_exceeded_time", server.eviction().current_exceeded_ms());
  info_field(out, "keyspace_hits", stats.keyspace_hits);
  info_field(out, "keyspace_misses", stats.keyspace_misses);
  info_field(out, "pubsub_channels", server.pubsub().size(PubSubKind::kChannel));
  info_field(out, "pubsub_patterns", server.pubsub().size(PubSubKind::kPattern));
  info_field(out, "pubsubshard_channels", server.pubsub().size(PubSubKind::kShardChannel));
  // The pause to freeze the keyspace for a snapshot: what a fork costs Redis (INFO keeps Redis's
  // field names exactly, so no field of our own).
  info_field(out, "latest_fork_usec", server.persistence().last_snapshot_pause_usec);
  info_field(out, "total_forks", 0);
  info_field(out, "migrate_cached_sockets", 0);
  info_field(out, "slave_expires_tracked_keys", 0);
  info_field(out, "active_defrag_hits", 0);
  info_field(out, "active_defrag_misses", 0);
  info_field(out, "active_defrag_key_hits", 0);
  info_field(out, "active_defrag_key_misses", 0);
  info_field(out, "total_active_defrag_time", 0);
  info_field(out, "current_active_defrag_time", 0);
  info_field(out, "tracking_total_keys", 0);
  info_field(out, "tracking_total_items", 0);
  info_field(out, "tracking_total_prefixes", 0);
  info_field(out, "unexpected_error_replies", server.replication().stats().unexpected_error_replies);
  info_field(out, "total_error_replies", total_error_replies(server));
  info_field(out, "dump_payload_sanitizations", 0);
  info_field(out, "total_reads_processed", stats.reads_processed);
  info_field(out, "total_writes_processed", stats.writes_processed);
  info_field(out, "io_threaded_reads_processed", 0);
  info_field(out, "io_threaded_writes_processed", 0);
  info_field(out, "reply_buffer_shrinks", 0);
  info_field(out, "reply_buffer_expands", 0);
}

void replication_section(Server& server, std::string& out) {
  out += "# Replication\r\n";
  append_replication_info(server, out);
}

void cpu_section(std::string& out) {
  rusage self{}, children{}, thread{};
  getrusage(RUSAGE_SELF, &self);
  getrusage(RUSAGE_CHILDREN, &children);
  getrusage(RUSAGE_THREAD, &thread);
  out += "# CPU\r\n";
  info_field(out, "used_cpu_sys", cpu_time(self.ru_stime));
  info_field(out, "used_cpu_user", cpu_time(self.ru_utime));
  info_field(out, "used_cpu_sys_children", cpu_time(children.ru_stime));
  info_field(out, "used_cpu_user_children", cpu_time(children.ru_utime));
  info_field(out, "used_cpu_sys_main_thread", cpu_time(thread.ru_stime));
  info_field(out, "used_cpu_user_main_thread", cpu_time(thread.ru_utime));
}

void keyspace_section(Server& server, std::string& out) {
  out += "# Keyspace\r\n";
  for (int i = 0; i < server.keyspace().count(); ++i) {
    Database& db = server.keyspace().db(i);
    if (db.size() == 0 && db.expires_count() == 0) continue;
    fmt::format_to(std::back_inserter(out), "db{}:keys={},expires={},avg_ttl={}\r\n", i, db.size(),
                   db.expires_count(), db.avg_ttl());
  }
}

void commandstats_section(Server& server, std::string& out) {
  out += "# Commandstats\r\n";
  for (const auto& [spec, stats] : server.command_stats()) {
    double per_call = stats.calls ? static_cast<double>(stats.usec) / stats.calls : 0;
    fmt::format_to(std::back_inserter(out),
                   "cmdstat_{}:calls={},usec={},usec_per_call={:.2f},rejected_calls={},"
                   "failed_calls={}\r\n",
                   spec->name, stats.calls, stats.usec, per_call, stats.rejected_calls,
                   stats.failed_calls);
  }
}

// One line per command that recorded latencies, at the configured percentiles (Redis's
// fillPercentileDistributionLatencies).
void latencystats_section(Server& server, std::string& out) {
  out += "# Latencystats\r\n";
  if (!server.config().latency_tracking) return;  // histograms kept are hidden, as in Redis
  const std::vector<double>& percentiles = server.config().latency_tracking_info_percentiles;
  for (const auto& [spec, stats] : server.command_stats()) {
    if (stats.latency.empty()) continue;
    fmt::format_to(std::back_inserter(out), "latency_percentiles_usec_{}:", spec->name);
    for (size_t i = 0; i < percentiles.size(); ++i) {
      double usec = static_cast<double>(stats.latency.value_at_percentile(percentiles[i])) / 1000.0;
      fmt::format_to(std::back_inserter(out), "{}p{}={:.3f}", i ? "," : "",
                     percentile_name(percentiles[i]), usec);
    }
    out += "\r\n";
  }
}

void errorstats_section(Server& server, std::string& out) {
  out += "# Errorstats\r\n";
  for (const auto& [code, count] : server.error_stats().by_code()) {
    fmt::format_to(std::back_inserter(out), "errorstat_{}:count={}\r\n", code, count);
  }
}

}  // namespace

uint64_t total_error_replies(Server& server) { return server.error_stats().total(); }

void reset_info_stats(Server& server) {
  ServerStats& stats = server.stats();
  stats.connections_received = 0;
  stats.rejected_connections = 0;
  stats.commands_processed = 0;
  stats.keyspace_hits = 0;
  stats.keyspace_misses = 0;
  stats.net_input_bytes = 0;
  stats.net_output_bytes = 0;
  stats.reads_processed = 0;
  stats.writes_processed = 0;
  server.error_stats().reset();
  server.command_stats().clear();
  server.keyspace().expiry().expired_keys = 0;
  server.replication().stats() = {};
  server.lazy_free().reset_stats();
  server.eviction().reset_stats();
  int64_t now = unix_time_ms();
  ServerMetrics& metrics = server.metrics();
  metrics.ops.reset(now, stats.commands_processed);
  metrics.net_input.reset(now, stats.net_input_bytes);
  metrics.net_output.reset(now, stats.net_output_bytes);
  metrics.net_repl_input.reset(now, 0);
  metrics.net_repl_output.reset(now, 0);
}

std::string bytes_to_human(uint64_t n) {
  constexpr double kK = 1024.0;
  if (n < 1024) return fmt::format("{}B", n);
  double d = static_cast<double>(n);
  if (n < 1024ull * 1024) return fmt::format("{:.2f}K", d / kK);
  if (n < 1024ull * 1024 * 1024) return fmt::format("{:.2f}M", d / (kK * kK));
  if (n < 1024ull * 1024 * 1024 * 1024) return fmt::format("{:.2f}G", d / (kK * kK * kK));
  if (n < 1024ull * 1024 * 1024 * 1024 * 1024) {
    return fmt::format("{:.2f}T", d / (kK * kK * kK * kK));
  }
  if (n < 1024ull * 1024 * 1024 * 1024 * 1024 * 1024) {
    return fmt::format("{:.2f}P", d / (kK * kK * kK * kK * kK));
  }
  return fmt::format("{}B", n);
}

std::string build_info(Server& server, std::span<const std::string_view> args) {
  Selection selection = select_sections(args);
  std::string out;
  int sections = 0;
  // Every section after the first is preceded by an empty line.
  auto begin = [&](std::string_view name) {
    if (!selection.has(name)) return false;
    if (sections++) out += "\r\n";
    return true;
  };
  if (begin("server")) server_section(server, out);
  if (begin("clients")) clients_section(server, out);
  if (begin("memory")) memory_section(server, out);
  if (begin("persistence")) persistence_section(server, out);
  if (begin("stats")) stats_section(server, out);
  if (begin("replication")) replication_section(server, out);
  if (begin("cpu")) cpu_section(out);
  if (selection.all || selection.names.count("module_list") || selection.names.count("modules")) {
    if (sections++) out += "\r\n";
    out += "# Modules\r\n";
  }
  if (begin("commandstats")) commandstats_section(server, out);
  if (begin("errorstats")) errorstats_section(server, out);
  if (begin("latencystats")) latencystats_section(server, out);
  if (begin("cluster")) {
    out += "# Cluster\r\n";
    info_field(out, "cluster_enabled", 0);
  }
  if (begin("keyspace")) keyspace_section(server, out);
  return out;
}

}  // namespace tandem
