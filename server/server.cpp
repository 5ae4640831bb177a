#include "server/server.h"

#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <random>

#include "server/listener.h"
#include "server/log.h"

namespace tandem {
namespace {
std::string random_hex(size_t length) {
  std::random_device device;
  std::mt19937_64 generator(device());
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(length, '0');
  for (char& c : out) c = kDigits[generator() % 16];
  return out;
}

int64_t monotonic_ns() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}
}  // namespace

int64_t unix_time_us() {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return int64_t{ts.tv_sec} * 1'000'000 + ts.tv_nsec / 1000;
}

int64_t unix_time_ms() { return unix_time_us() / 1000; }

Server::Server(Config config, Reactor& reactor)
    : reactor_(reactor),
      config_(std::move(config)),
      keyspace_(config_.databases),
      run_id_(random_hex(40)),
      start_time_ms_(unix_time_ms()),
      lastsave_seconds_(start_time_ms_ / 1000) {
  reactor_.add_before_sleep([this] { flush_pending_writes(); });
}

Server::~Server() = default;

tl::expected<void, std::string> Server::listen() {
  for (const std::string& configured : config_.bind) {
    bool optional = !configured.empty() && configured[0] == '-';
    std::string address = optional ? configured.substr(1) : configured;
    auto fd = Listener::open_socket(address, config_.port, config_.tcp_backlog);
    if (!fd) {
      if (optional) {
        log(LogLevel::kWarning, "{} (optional address skipped)", fd.error());
        continue;
      }
      return tl::unexpected(fd.error());
    }
    listeners_.push_back(std::make_unique<Listener>(*this, *fd));
  }
  if (listeners_.empty()) return tl::unexpected(std::string("Failed listening on any address"));
  return {};
}

void Server::start() {
  for (auto& listener : listeners_) listener->arm();
  server_cron();
}

Client* Server::find_client(uint64_t id) {
  auto it = clients_.find(id);
  return it == clients_.end() ? nullptr : it->second;
}

void Server::remove_client(Client* client) {
  clients_.erase(client->id);
  if (client->queued_for_write) {
    std::erase(pending_writes_, client);
    client->queued_for_write = false;
  }
}

void Server::queue_write(Client* client) {
  if (client->queued_for_write) return;
  client->queued_for_write = true;
  pending_writes_.push_back(client);
}

void Server::flush_pending_writes() {
  for (Client* client : pending_writes_) {
    client->queued_for_write = false;
    stats_.net_output_bytes += client->conn.output().size();
    client->conn.flush();
  }
  pending_writes_.clear();
}

Task Server::server_cron() {
  for (;;) {
    int hz = std::clamp(config_.hz, 1, 500);
    auto period = std::chrono::milliseconds(1000 / hz);
    co_await reactor_.sleep_for(period);
    int64_t now = unix_time_ms();

    // Active expiry gets at most a quarter of each period, as Redis's slow cycle.
    int64_t deadline = monotonic_ns() + period.count() * 1'000'000 / 4;
    for (int i = 0; i < keyspace_.count(); ++i) keyspace_.db(i).active_expire(now, deadline);
    if (config_.activerehashing) {
      for (int i = 0; i < keyspace_.count(); ++i) keyspace_.db(i).rehash_for(1000);
    }

    if (config_.timeout > 0) {
      std::vector<Client*> idle;
      for (auto& [id, client] : clients_) {
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
