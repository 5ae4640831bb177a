// Config: every runtime parameter of the server, as a typed public field the server reads directly
// (config.port, config.hz, ...), plus the redis.conf / command-line / CONFIG GET|SET|REWRITE
// machinery over them. Each parameter is one row of a declarative table in config.cpp (name,
// alias, kind, default, bounds, flags) that binds it to its field; parsing, bounds and error
// texts are Redis 7.0.15's, checked against the real server.
//
// Invariants:
// - Fields written only through Config hold a value Redis would accept, and a default-constructed
//   Config holds Redis 7.0's built-in defaults (what CONFIG GET prints on a redis-server started
//   without a config file).
// - Enumerated parameters hold the canonical lower-case name Redis prints ("noeviction").
// - `dir` is the process's working directory: setting it chdir()s, and the constructor reads it.
// - set() is all or nothing: on any error (parse, bounds, immutable, hook) fields are unchanged.
// - Defaults live only in the table; the constructor applies them (the `{}` below are blanks).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tl/expected.hpp"

namespace tandem {

namespace config_detail {
struct Param;
}  // namespace config_detail

// Keyspace notification classes, as bits of Config::notify_keyspace_events (Redis's NOTIFY_*).
inline constexpr int kNotifyKeyspace = 1 << 0;  // K
inline constexpr int kNotifyKeyevent = 1 << 1;  // E
inline constexpr int kNotifyGeneric = 1 << 2;   // g
inline constexpr int kNotifyString = 1 << 3;    // $
inline constexpr int kNotifyList = 1 << 4;      // l
inline constexpr int kNotifySet = 1 << 5;       // s
inline constexpr int kNotifyHash = 1 << 6;      // h
inline constexpr int kNotifyZset = 1 << 7;      // z
inline constexpr int kNotifyExpired = 1 << 8;   // x
inline constexpr int kNotifyEvicted = 1 << 9;   // e
inline constexpr int kNotifyStream = 1 << 10;   // t
inline constexpr int kNotifyKeyMiss = 1 << 11;  // m (not part of A)
inline constexpr int kNotifyModule = 1 << 13;   // d
inline constexpr int kNotifyNew = 1 << 14;      // n (not part of A)
inline constexpr int kNotifyAll = kNotifyGeneric | kNotifyString | kNotifyList | kNotifySet |
                                  kNotifyHash | kNotifyZset | kNotifyExpired | kNotifyEvicted |
                                  kNotifyStream | kNotifyModule;  // A

// One `save <seconds> <changes>` rule: snapshot when `changes` writes happened in `seconds`.
struct SaveRule {
  int64_t seconds = 0;
  int changes = 0;  // an int, as in Redis (larger values wrap the same way)
  bool operator==(const SaveRule&) const = default;
};

// Output buffer limits of one client class; 0 means no limit.
struct OutputBufferLimit {
  uint64_t hard_bytes = 0;
  uint64_t soft_bytes = 0;
  int soft_seconds = 0;
  bool operator==(const OutputBufferLimit&) const = default;
};

// Indexes of Config::client_output_buffer_limit.
enum ClientClass : int { kClientNormal = 0, kClientReplica = 1, kClientPubsub = 2 };

class Config {
 public:
  using Hook = std::function<tl::expected<void, std::string>()>;

  // Redis 7.0's built-in defaults; `dir` is the current working directory.
  Config();

  // Reads a redis.conf (`include <file>` is followed). Errors are Redis's fatal config error,
  // ready to print as is: "\n*** FATAL CONFIG FILE ERROR (tandem) ***\nReading the configuration
  // file, at line N\n>>> 'line'\n<reason>", or "Fatal error, can't open config file '<path>':
  // <strerror>". Remembers the file (as an absolute path) for rewrite().
  tl::expected<void, std::string> load_file(const std::string& path);

  // redis-server's command-line options after the config file: each `--name` starts a directive
  // and the words after it are its arguments (`--port 7000 --save "" --bind 1.2.3.4 ::1`). Like
  // Redis, they are parsed as lines appended to the config file, so the error line numbers
  // continue the file's.
  tl::expected<void, std::string> load_arguments(std::span<const std::string> args);

  // CONFIG GET for one pattern: (name, value) pairs. A pattern without glob characters is an exact
  // case-insensitive lookup reported under the name as given ("PORT"); a glob matches names and
  // aliases case-insensitively, each reported under the name it matched (Redis 7.0 lists
  // "slave-read-only" beside "replica-read-only"). Values are formatted as Redis prints them.
  std::vector<std::pair<std::string, std::string>> get(std::string_view pattern) const;
  // Several patterns at once (CONFIG GET a b c), each parameter name reported once.
  std::vector<std::pair<std::string, std::string>> get(std::span<const std::string> patterns) const;

  // CONFIG SET name value [name value ...]: all or nothing, errors are the full Redis reply text
  // ("ERR Unknown option or number of arguments for CONFIG SET - 'foo'", "ERR CONFIG SET failed
  // (possibly related to argument 'hz') - ..."). Hooks of parameters whose value changed run
  // after every value is in place; a failing hook restores all old values (re-running the hooks
  // that had already run). `client_is_local` lets protected parameters (dir, dbfilename) through
  // when enable-protected-configs is "local".
  tl::expected<void, std::string> set(std::span<const std::pair<std::string, std::string>> pairs,
                                      bool client_is_local = false);

  // Registers `hook` to run after a CONFIG SET changed parameter `name` (or its alias). A hook's
  // error string becomes the reason in "ERR CONFIG SET failed (possibly related to argument ...)
  // - <reason>". Hooks do not run for load_file/load_arguments.
  void on_change(std::string_view name, Hook hook);

  // CONFIG REWRITE: rewrites config_file() in place, keeping comments, unknown lines and line
  // order, replacing the lines of each parameter with its current value, appending the rest after
  // "# Generated by CONFIG REWRITE" and dropping lines Redis drops (e.g. a bind back at default).
  // Written to a temporary file, fsynced, then renamed over. Errors: "ERR The server is running
  // without a config file", or the bare strerror() text of a failed I/O step (the caller replies
  // "ERR Rewriting config file: <it>" like Redis).
  tl::expected<void, std::string> rewrite();

  // Absolute path of the file given to load_file(), empty if none.
  std::string config_file() const { return config_file_; }

  // --- Networking
  int port{};
  std::vector<std::string> bind{};  // a leading '-' marks an address whose failure is not fatal
  bool protected_mode{};
  int tcp_backlog{};
  std::string unixsocket{};
  int timeout{};        // seconds; 0 disables the idle timeout
  int tcp_keepalive{};  // seconds
  unsigned int maxclients{};

  // --- Process and logging
  bool daemonize{};
  std::string pidfile{};
  std::string loglevel{};  // debug | verbose | notice | warning
  std::string logfile{};   // empty: standard output
  int databases{};
  std::string dir{};  // the working directory, absolute

  // --- Security
  std::string requirepass{};
  std::string masterauth{};
  std::string masteruser{};
  std::string enable_debug_command{};      // no | yes | local
  std::string enable_protected_configs{};  // no | yes | local

  // --- Persistence
  std::string dbfilename{};
  std::vector<SaveRule> save{};
  bool rdbcompression{};
  bool rdbchecksum{};
  int rdb_key_save_delay{};  // microseconds a background save waits after each key (tests)
  bool stop_writes_on_bgsave_error{};
  bool appendonly{};                    // always false: AOF is not supported
  std::string sanitize_dump_payload{};  // no | yes | clients

  // --- Event loop
  int hz{};  // always within 1..500 (Redis clamps)
  bool dynamic_hz{};
  int active_expire_effort{};
  bool activerehashing{};

  // --- Clients and protocol
  int64_t proto_max_bulk_len{};
  uint64_t client_query_buffer_limit{};
  std::array<OutputBufferLimit, 3> client_output_buffer_limit{};  // by ClientClass

  // --- Memory
  uint64_t maxmemory{};            // bytes; 0: no limit
  std::string maxmemory_policy{};  // volatile-lru ... noeviction
  int maxmemory_samples{};
  bool lazyfree_lazy_eviction{};
  bool lazyfree_lazy_expire{};
  bool lazyfree_lazy_server_del{};
  bool lazyfree_lazy_user_del{};
  bool lazyfree_lazy_user_flush{};
  bool replica_lazy_flush{};  // a replica frees its old dataset on the lazy-free thread

  // --- Replication
  std::string replicaof_host{};  // empty: this server is a master
  int replicaof_port{};
  bool replica_read_only{};
  bool replica_serve_stale_data{};
  int64_t repl_backlog_size{};  // bytes
  int64_t repl_backlog_ttl{};   // seconds
  int repl_timeout{};
  int repl_ping_replica_period{};
  bool repl_diskless_sync{};
  int repl_diskless_sync_delay{};
  int repl_diskless_sync_max_replicas{};
  std::string repl_diskless_load{};  // disabled | on-empty-db | swapdb
  int min_replicas_to_write{};
  int min_replicas_max_lag{};
  std::string replica_announce_ip{};
  int replica_announce_port{};
  int replica_priority{};

  // --- Monitoring
  int64_t slowlog_log_slower_than{};  // microseconds; -1 disables, 0 logs everything
  int64_t slowlog_max_len{};
  int64_t latency_monitor_threshold{};  // milliseconds
  bool latency_tracking{};              // per-command histograms for INFO latencystats
  std::vector<double> latency_tracking_info_percentiles{};
  int notify_keyspace_events{};  // kNotify* bits

  // --- Encodings
  int list_max_listpack_size{};
  size_t hash_max_listpack_entries{};
  size_t hash_max_listpack_value{};
  size_t set_max_intset_entries{};
  size_t zset_max_listpack_entries{};
  size_t zset_max_listpack_value{};

 private:
  // Parses redis.conf text whose first line is line `first_line` (for error messages).
  // `fresh`: a new text (file or include) rather than the command line continuing the file.
  tl::expected<void, std::string> load_string(std::string_view content, int first_line, int depth,
                                              bool fresh);
  // Puts back every parameter value of `snapshot` (chdir-ing back if dir changed), keeping hooks.
  void restore(const Config& snapshot);

  std::string config_file_;
  int file_newlines_ = 0;       // command-line options continue config_file_'s line numbers
  bool save_loaded_ = false;    // the first `save` while loading replaces the default rules
  bool reading_config_ = true;  // Redis's reading_config_file (see load_string)
  std::vector<std::pair<const config_detail::Param*, Hook>> hooks_;
};

}  // namespace tandem
