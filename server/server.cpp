#include "server/server.h"

#include <unistd.h>

#include <algorithm>
#include <random>

#include "replication/master_link.h"
#include "replication/replication.h"
#include "server/background_save.h"
#include "server/eviction.h"
#include "server/listener.h"
#include "server/keyspace_events.h"
#include "server/lazy_free.h"
#include "server/log.h"
#include "server/memory_usage.h"
#include "server/output_buffer_limit.h"

namespace tandem {
namespace {}  // namespace

Server::Server(Config config, Reactor& reactor)
    : reactor_(reactor),
      config_(std::move(config)),
      keyspace_(config_.databases),
      replication_(std::make_unique<Replication>(*this)),
      run_id_(random_hex_id()),
      start_time_ms_(unix_time_ms()),
      lastsave_seconds_(start_time_ms_ / 1000),
      background_save_(std::make_unique<BackgroundSave>()),
      master_link_(std::make_unique<MasterLink>(*this)),
      eviction_(std::make_unique<Eviction>(*this)) {
  // Unblocked clients resume first, so the replies of what they run next go out this turn.
  reactor_.add_before_sleep([this] { blocking_.resume_unblocked(); });
  reactor_.add_before_sleep([this] { flush_pending_writes(); });
  keyspace_.expiry().on_set = [this](int db, std::string_view key) {
    blocking_.signal_key_ready(db, key);
  };
  keyspace_.expiry().on_modified = [this](int db, std::string_view key) {
    watched_keys_.touch(db, key);
  };
  // What each execution unit propagates goes into the backlog, one command at a time.
  propagation_.set_feed(
      [this](int db, std::span<const std::string_view> args) { replication_->feed(db, args); });
  // A master deletes an expired key on its replicas too (Redis's propagateDeletion); a replica
  // never deletes one itself (ExpiryPolicy::delete_expired), so this runs on masters only.
  keyspace_.expiry().on_expired = [this](int db, std::string_view key) {
    std::string command = config_.lazyfree_lazy_expire ? "UNLINK" : "DEL";
    propagation_.also_propagate(db, {std::move(command), std::string(key)});
    notify_keyspace_event(*this, kNotifyExpired, "expired", key, db);
  };
  keyspace_.expiry().on_flush = [this](int db) { watched_keys_.touch_all_in(db); };
  keyspace_.expiry().on_created = [this](int db, std::string_view key) {
    notify_keyspace_event(*this, kNotifyNew, "new", key, db);
  };
  keyspace_.expiry().on_drop = [this](Value&& value, ExpiryPolicy::Drop why) {
    const bool lazy = why == ExpiryPolicy::Drop::kExpired ? config_.lazyfree_lazy_expire
                                                          : config_.lazyfree_lazy_server_del;
    if (lazy && free_effort(value) > kLazyFreeThreshold) lazy_free_.dispose(std::move(value), 1);
  };
  // Like Redis's changeListenPort / changeBindAddr (see rebind()); connected clients stay.
  config_.on_change("port",
                    [this] { return rebind("Unable to listen on this port. Check server logs."); });
  config_.on_change("bind", [this] { return rebind("Failed to bind to specified addresses."); });
  config_.on_change("repl-backlog-size", [this]() -> tl::expected<void, std::string> {
    replication_->resize_backlog();
    return {};
  });
  // Values' access fields follow the policy: LRU clock or LFU counter (storage/lfu.h).
  keyspace_.expiry().access = access_tracking(config_);
  for (const char* name : {"maxmemory-policy", "lfu-log-factor", "lfu-decay-time"}) {
    config_.on_change(name, [this]() -> tl::expected<void, std::string> {
      keyspace_.expiry().access = access_tracking(config_);
      return {};
    });
  }
  // A lower limit takes effect at once: evict from the next loop turn on (Redis's
  // updateMaxmemory).
  config_.on_change("maxmemory", [this]() -> tl::expected<void, std::string> {
    if (config_.maxmemory == 0) return {};
    uint64_t used = heap_used_bytes();
    uint64_t not_counted = memory_not_counted_for_evict(*this);
    used = used > not_counted ? used - not_counted : 0;
    if (config_.maxmemory < used) {
      log(LogLevel::kWarning,
          "WARNING: the new maxmemory value set via CONFIG SET ({}) is smaller than the current "
          "memory usage ({}). This will result in key eviction and/or the inability to accept "
          "new write commands depending on the maxmemory-policy.",
          config_.maxmemory, used);
    }
    eviction_->start_background();
    return {};
  });
  config_.on_change("loglevel", [this]() -> tl::expected<void, std::string> {
    set_log_level(parse_log_level(config_.loglevel).value_or(LogLevel::kNotice));
    return {};
  });
}

Server::~Server() = default;

tl::expected<std::vector<std::unique_ptr<Listener>>, std::string> Server::open_listeners(
    const std::vector<std::string>& bind, int port) {
  std::vector<std::unique_ptr<Listener>> opened;
  for (const std::string& configured : bind) {
    bool optional = !configured.empty() && configured[0] == '-';
    std::string address = optional ? configured.substr(1) : configured;
    auto fd = Listener::open_socket(address, port, config_.tcp_backlog);
    if (!fd) {
      if (optional) {
        log(LogLevel::kWarning, "{} (optional address skipped)", fd.error());
        continue;
      }
      return tl::unexpected(fd.error());
    }
    opened.push_back(std::make_unique<Listener>(*this, *fd));
  }
  if (opened.empty()) return tl::unexpected(std::string("Failed listening on any address"));
  return opened;
}

tl::expected<void, std::string> Server::listen() {
  auto opened = open_listeners(config_.bind, config_.port);
  if (!opened) return tl::unexpected(opened.error());
  listeners_ = std::move(*opened);
  bound_ = {config_.bind, config_.port};
  return {};
}

tl::expected<void, std::string> Server::rebind(std::string_view failure) {
  // A no-op when nothing changed: a failed CONFIG SET re-runs this hook with the old values.
  if (bound_ == std::pair(config_.bind, config_.port)) return {};
  // The old sockets close first, since the new set may share addresses with them (Redis's
  // changeBindAddr); if the new set fails, the old one is bound again.
  for (auto& listener : listeners_) {
    listener->close();
    closed_listeners_.push_back(std::move(listener));
  }
  listeners_.clear();
  auto opened = open_listeners(config_.bind, config_.port);
  if (!opened) {
    log(LogLevel::kWarning, "{}", opened.error());
    opened = open_listeners(bound_.first, bound_.second);
    if (!opened) {
      log(LogLevel::kWarning, "Failed to restore the old listening sockets: {}", opened.error());
    }
  } else {
    bound_ = {config_.bind, config_.port};
  }
  if (opened) listeners_ = std::move(*opened);
  for (auto& listener : listeners_) listener->arm();
  if (bound_ != std::pair(config_.bind, config_.port)) return tl::unexpected(std::string(failure));
  return {};
}

void Server::start() {
  for (auto& listener : listeners_) listener->arm();
  used_memory_startup_ = used_memory_peak_ = heap_used_bytes();
  metrics_.last_sample_ms = unix_time_ms();
  server_cron();
  replication_->start();
}

Client* Server::find_client(uint64_t id) {
  auto it = clients_.find(id);
  return it == clients_.end() ? nullptr : it->second;
}

void Server::remove_client(Client* client) {
  clients_.erase(client->id);
  if (client->monitor) std::erase(monitors_, client);
  blocking_.remove_client(*client);
  watched_keys_.unwatch_all(client->multi.watch);
  pubsub_.unsubscribe_all(*client);
  replication_->remove_client(*client);
  if (client->queued_for_write) {
    std::erase(pending_writes_, client);
    client->queued_for_write = false;
  }
}

void Server::pause_clients(ClientPause mode, int64_t end_ms) {
  bool was_paused = pause_mode() != ClientPause::kNone;
  pause_ = mode;
  pause_end_ms_ = std::max(pause_end_ms_, end_ms);
  keyspace_.expiry().paused = true;
  if (!was_paused) wake_paused_clients_when_unpaused();
}

void Server::unpause_clients() {
  pause_ = ClientPause::kNone;
  pause_end_ms_ = 0;
  keyspace_.expiry().paused = false;
}

ClientPause Server::pause_mode() {
  if (pause_ != ClientPause::kNone && unix_time_ms() >= pause_end_ms_) unpause_clients();
  return pause_;
}

// Runs while a pause lasts, then resumes the clients it held. Polling UNPAUSE every few
// milliseconds keeps this to one timer per pause, whatever extends or ends it.
Task Server::wake_paused_clients_when_unpaused() {
  for (;;) {
    int64_t now = unix_time_ms();
    if (pause_mode() == ClientPause::kNone) break;
    int64_t wait_ms = std::clamp<int64_t>(pause_end_ms_ - now, 1, 10);
    co_await reactor_.sleep_for(std::chrono::milliseconds(wait_ms));
  }
  std::vector<uint64_t> held;
  for (auto& [id, client] : clients_) {
    if (client->paused) held.push_back(id);
  }
  // A woken client runs its commands at once and may disconnect others: look each one up again.
  for (uint64_t id : held) {
    Client* client = find_client(id);
    if (client && client->paused) client->conn.events().wake();
  }
}

void Server::queue_write(Client* client) {
  if (client->queued_for_write) return;
  client->queued_for_write = true;
  pending_writes_.push_back(client);
}

void Server::flush_pending_writes() {
  if (pending_writes_.empty()) return;
  int64_t now = unix_time_ms();
  for (Client* client : pending_writes_) {
    client->queued_for_write = false;
    stats_.net_output_bytes += client->conn.output().size();
    const OutputBufferLimit& limit = config_.client_output_buffer_limit[client_class(*client)];
    if (output_buffer_limit_reached(limit, client->conn.pending_output(),
                                    client->output_soft_limit_since_ms, now)) {
      log(LogLevel::kWarning,
          "Client id={} addr={} scheduled to be closed ASAP for overcoming of output buffer "
          "limits.",
          client->id, client->addr);
      client->conn.kill();
      continue;
    }
    if (!client->conn.output().empty()) ++stats_.writes_processed;
    client->conn.flush();
  }
  pending_writes_.clear();
}

// Redis samples its instantaneous metrics every 100 ms whatever hz is, and refreshes the
// memory peak on the same beat.
void Server::sample_metrics(int64_t now_ms) {
  if (now_ms - metrics_.last_sample_ms < 100) return;
  metrics_.last_sample_ms = now_ms;
  metrics_.ops.sample(now_ms, stats_.commands_processed);
  metrics_.net_input.sample(now_ms, stats_.net_input_bytes);
  metrics_.net_output.sample(now_ms, stats_.net_output_bytes);
  metrics_.net_repl_input.sample(now_ms, replication_->stats().net_input_bytes);
  metrics_.net_repl_output.sample(now_ms, replication_->stats().net_output_bytes);
  used_memory_peak_ = std::max(used_memory_peak_, heap_used_bytes());
}

Task Server::server_cron() {
  for (;;) {
    int hz = std::clamp(config_.hz, 1, 500);
    auto period = std::chrono::milliseconds(1000 / hz);
    co_await reactor_.sleep_for(period);
    int64_t now = unix_time_ms();

    // Active expiry gets at most a quarter of each period, as Redis's slow cycle.
    int64_t deadline = monotonic_ns() + period.count() * 1'000'000 / 4;
    // A replica never expires keys itself: it waits for its master's DEL.
    if (active_expire_enabled_ && pause_mode() == ClientPause::kNone &&
        config_.replicaof_host.empty()) {
      for (int i = 0; i < keyspace_.count(); ++i) keyspace_.db(i).active_expire(now, deadline);
    }
    if (config_.activerehashing) {
      for (int i = 0; i < keyspace_.count(); ++i) keyspace_.db(i).rehash_for(1000);
    }

    sample_metrics(now);
    background_save_->cron(*this, now);

    if (config_.timeout > 0) {
      std::vector<Client*> idle;
      for (auto& [id, client] : clients_) {
        // Subscribers only listen, replicas only acknowledge and a master speaks when it has
        // writes: none is closed for being idle.
        if (pubsub_.subscribed(*client) || client->replica || client->is_master) continue;
        if (now - client->last_interaction_ms > int64_t{config_.timeout} * 1000) {
          idle.push_back(client);
        }
      }
      for (Client* client : idle) {
        log(LogLevel::kVerbose, "Closing idle client id={} addr={}", client->id, client->addr);
        client->conn.kill();
      }
    }
  }
}

}  // namespace tandem
