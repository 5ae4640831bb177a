// The server: configuration, keyspace, connected clients and counters, wired to one reactor.
//
// Everything here is touched by the main thread only (see docs/ARCHITECTURE.md): commands run
// one at a time in the order their bytes arrived, so no locking is needed and Redis's ordering
// semantics hold.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "rdb/snapshot.h"
#include "replication/propagation.h"
#include "replication/replication_state.h"
#include "server/blocking.h"
#include "server/client.h"
#include "server/command_stats.h"
#include "server/config.h"
#include "server/latency_monitor.h"
#include "server/lazy_free.h"
#include "server/metrics.h"
#include "server/pubsub.h"
#include "server/reactor.h"
#include "server/slowlog.h"
#include "server/task.h"
#include "server/watched_keys.h"
#include "storage/clock.h"
#include "storage/keyspace.h"

namespace tandem {

class Listener;
class BackgroundSave;
class MasterLink;
class Replication;

// CLIENT PAUSE's mode: kWrite holds back commands that may write or replicate, kAll every one.
enum class ClientPause { kNone, kWrite, kAll };

struct ServerStats {
  uint64_t connections_received = 0;
  uint64_t rejected_connections = 0;
  uint64_t commands_processed = 0;
  uint64_t keyspace_hits = 0;
  uint64_t keyspace_misses = 0;
  uint64_t net_input_bytes = 0;
  uint64_t net_output_bytes = 0;
  uint64_t reads_processed = 0;   // INFO total_reads_processed
  uint64_t writes_processed = 0;  // INFO total_writes_processed
  uint64_t dirty = 0;             // writes since the last save
};

// What INFO persistence reports about saves and loads (server/persistence.h).
struct PersistenceStats {
  uint64_t rdb_saves = 0;
  // Redis's lastbgsave_status: a failed BGSAVE clears it, any successful save sets it again; a
  // failed SAVE leaves it as it was. With stop-writes-on-bgsave-error it refuses writes.
  bool last_save_ok = true;
  // A load runs (INFO loading_*, set by LoadingReport): `loading` while clients wait for it
  // (start-up), `async_loading` while they are served the old dataset (a replica's full sync).
  bool loading = false;
  bool async_loading = false;
  int64_t loading_start_seconds = 0;
  uint64_t loading_total_bytes = 0;  // the file's size; 0 when unknown (a diskless stream)
  std::shared_ptr<rdb::LoadProgress> loading_progress;
  uint64_t last_load_keys_loaded = 0;
  uint64_t last_load_keys_expired = 0;
  int64_t last_bgsave_time_sec = -1;
  // The main thread's pause to freeze the keyspace for the last BGSAVE or full sync
  // (INFO latest_fork_usec, its counterpart in Redis).
  int64_t last_snapshot_pause_usec = 0;
  // The repl-* AUX fields of the dump loaded last (a replica resumes its history from them).
  std::optional<rdb::ReplicationAux> loaded_replication;
};

class Server {
 public:
  Server(Config config, Reactor& reactor);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds every configured address; fails if none could be bound (or a mandatory one failed).
  tl::expected<void, std::string> listen();
  // CONFIG SET port/bind: listens on the configured addresses instead, or answers `failure` and
  // keeps the old sockets.
  tl::expected<void, std::string> rebind(std::string_view failure);
  // Arms the listeners and starts the cron coroutines; the caller then loads the dump
  // (server/startup_load.h), which starts the link to a master, and runs the reactor.
  void start();
  void shutdown() { reactor_.stop(); }

  Reactor& reactor() { return reactor_; }
  Config& config() { return config_; }
  Keyspace& keyspace() { return keyspace_; }
  ServerStats& stats() { return stats_; }
  ErrorStats& error_stats() { return error_stats_; }
  CommandStatsTable& command_stats() { return command_stats_; }

  // Clients, ordered by id as CLIENT LIST shows them.
  const std::map<uint64_t, Client*>& clients() const { return clients_; }
  Client* find_client(uint64_t id);
  uint64_t next_client_id() { return next_client_id_++; }
  void add_client(Client* client) { clients_[client->id] = client; }
  void remove_client(Client* client);
  // Queues a client's output to be sent in this loop turn's single submit.
  void queue_write(Client* client);

  // SLOWLOG and LATENCY (server/commands/introspection.cpp), fed by dispatch.
  SlowLog& slowlog() { return slowlog_; }
  LatencyMonitor& latency_monitor() { return latency_monitor_; }
  // Clients in MONITOR mode, in the order they entered it; dispatch feeds them.
  std::vector<Client*>& monitors() { return monitors_; }
  // Clients blocked by BLPOP & co. (server/blocking.h).
  Blocking& blocking() { return blocking_; }
  // WATCHed keys of every client (server/watched_keys.h), touched by the keyspace's hooks.
  WatchedKeys& watched_keys() { return watched_keys_; }
  // Channel, pattern and shard channel subscriptions (server/pubsub.h).
  PubSub& pubsub() { return pubsub_; }
  // The client-output-buffer-limit class that applies to a client (Redis's getClientType).
  ClientClass client_class(const Client& client) const {
    if (client.replica) return kClientReplica;
    return pubsub_.subscribed(client) ? kClientPubsub : kClientNormal;
  }
  // CLIENT PAUSE / UNPAUSE. A pause keeps the latest end time asked for and the last mode, as
  // Redis. Clients held by it park in client_session.cpp with `paused` set and are
  // woken (from the reactor loop, never from inside a command) when it ends.
  void pause_clients(ClientPause mode, int64_t end_ms);
  void unpause_clients();
  // The pause in force now (kNone once it expired).
  ClientPause pause_mode();

  const std::string& run_id() const { return run_id_; }
  int64_t start_time_ms() const { return start_time_ms_; }
  int tcp_port() const { return config_.port; }
  int64_t lastsave_seconds() const { return lastsave_seconds_; }
  void set_lastsave_seconds(int64_t seconds) { lastsave_seconds_ = seconds; }
  PersistenceStats& persistence() { return persistence_; }
  // BGSAVE and the `save` rules (server/background_save.h).
  BackgroundSave& background_save() { return *background_save_; }
  // Replication ID and offsets (replication/replication_state.h); replid is unrelated to
  // run_id, as in Redis.
  ReplicationState& replication_state() { return replication_state_; }
  // The replica side: REPLICAOF and the link to our master (replication/master_link.h).
  MasterLink& master_link() { return *master_link_; }
  // The master side: backlog, attached replicas, PSYNC, WAIT (replication/replication.h).
  Replication& replication() { return *replication_; }
  // What each execution unit sends to replicas (replication/propagation.h): dispatch's call()
  // and the serving of blocked clients delimit the commands, handlers rewrite their forms
  // through CommandContext, expired keys add their DEL.
  Propagation& propagation() { return propagation_; }
  // DEBUG SET-ACTIVE-EXPIRE: when off, the cron leaves expired keys to lazy expiry.
  bool active_expire_enabled() const { return active_expire_enabled_; }
  void set_active_expire_enabled(bool enabled) { active_expire_enabled_ = enabled; }
  // The thread UNLINK and FLUSHALL ASYNC hand what they drop to (server/lazy_free.h).
  LazyFree& lazy_free() { return lazy_free_; }
  // Rates the cron samples for INFO's instantaneous_* fields.
  ServerMetrics& metrics() { return metrics_; }
  // Heap in use once started, and the most seen since (INFO used_memory_startup / _peak).
  uint64_t used_memory_startup() const { return used_memory_startup_; }
  uint64_t& used_memory_peak() { return used_memory_peak_; }

 private:
  tl::expected<std::vector<std::unique_ptr<Listener>>, std::string> open_listeners(
      const std::vector<std::string>& bind, int port);
  Task server_cron();
  void sample_metrics(int64_t now_ms);
  void flush_pending_writes();
  Task wake_paused_clients_when_unpaused();

  Reactor& reactor_;
  Config config_;
  Keyspace keyspace_;
  LazyFree lazy_free_;
  ServerStats stats_;
  ErrorStats error_stats_;
  CommandStatsTable command_stats_;
  std::map<uint64_t, Client*> clients_;
  std::vector<Client*> pending_writes_;
  // Before the other members that register before-sleep hooks: its hook must run first.
  std::unique_ptr<Replication> replication_;
  SlowLog slowlog_;
  LatencyMonitor latency_monitor_;
  std::vector<Client*> monitors_;
  Blocking blocking_{*this};
  WatchedKeys watched_keys_{keyspace_};
  PubSub pubsub_;
  ClientPause pause_ = ClientPause::kNone;
  int64_t pause_end_ms_ = 0;
  std::vector<std::unique_ptr<Listener>> listeners_;
  // Listeners closed by CONFIG SET port/bind, kept because the ring may still name them.
  std::vector<std::unique_ptr<Listener>> closed_listeners_;
  std::pair<std::vector<std::string>, int> bound_;  // the bind list and port listened on
  uint64_t next_client_id_ = 1;
  std::string run_id_;
  int64_t start_time_ms_ = 0;
  int64_t lastsave_seconds_ = 0;
  PersistenceStats persistence_;
  std::unique_ptr<BackgroundSave> background_save_;
  ReplicationState replication_state_;
  std::unique_ptr<MasterLink> master_link_;
  Propagation propagation_;
  bool active_expire_enabled_ = true;
  ServerMetrics metrics_;
  uint64_t used_memory_startup_ = 0;
  uint64_t used_memory_peak_ = 0;
};

}  // namespace tandem
