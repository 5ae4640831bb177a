// The server: configuration, keyspace, connected clients and counters, wired to one reactor.
//
// Everything here is touched by the main thread only (see docs/ARCHITECTURE.md): commands run
// one at a time in the order their bytes arrived, so no locking is needed and Redis's ordering
// semantics hold.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "server/client.h"
#include "server/config.h"
#include "server/reactor.h"
#include "server/task.h"
#include "storage/keyspace.h"

namespace tandem {

class Listener;

struct ServerStats {
  uint64_t connections_received = 0;
  uint64_t rejected_connections = 0;
  uint64_t commands_processed = 0;
  uint64_t keyspace_hits = 0;
  uint64_t keyspace_misses = 0;
  uint64_t net_input_bytes = 0;
  uint64_t net_output_bytes = 0;
  uint64_t error_replies = 0;
  uint64_t dirty = 0;  // writes since the last save
};

class Server {
 public:
  Server(Config config, Reactor& reactor);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds every configured address; fails if none could be bound (or a mandatory one failed).
  tl::expected<void, std::string> listen();
  // Starts the cron coroutines; the caller then runs the reactor.
  void start();
  void shutdown() { reactor_.stop(); }

  Reactor& reactor() { return reactor_; }
  Config& config() { return config_; }
  Keyspace& keyspace() { return keyspace_; }
  ServerStats& stats() { return stats_; }

  // Clients, ordered by id as CLIENT LIST shows them.
  const std::map<uint64_t, Client*>& clients() const { return clients_; }
  Client* find_client(uint64_t id);
  uint64_t next_client_id() { return next_client_id_++; }
  void add_client(Client* client) { clients_[client->id] = client; }
  void remove_client(Client* client);
  // Queues a client's output to be sent in this loop turn's single submit.
  void queue_write(Client* client);

  const std::string& run_id() const { return run_id_; }
  int64_t start_time_ms() const { return start_time_ms_; }
  int tcp_port() const { return config_.port; }
  int64_t lastsave_seconds() const { return lastsave_seconds_; }

 private:
  Task server_cron();
  void flush_pending_writes();

  Reactor& reactor_;
  Config config_;
  Keyspace keyspace_;
  ServerStats stats_;
  std::map<uint64_t, Client*> clients_;
  std::vector<Client*> pending_writes_;
  std::vector<std::unique_ptr<Listener>> listeners_;
  uint64_t next_client_id_ = 1;
  std::string run_id_;
  int64_t start_time_ms_ = 0;
  int64_t lastsave_seconds_ = 0;
};

// Current wall-clock time in milliseconds and microseconds since the epoch.
int64_t unix_time_ms();
int64_t unix_time_us();

}  // namespace tandem
