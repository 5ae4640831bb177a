#include "server/blocking.h"

#include <algorithm>
#include <chrono>

#include "server/args.h"
#include "server/command_context.h"
#include "server/server.h"

namespace tandem {
namespace {

// How often, at most, the timeout task looks for expired deadlines: the reactor's timers cannot
// be cancelled, so it polls while some blocked client has a deadline instead of arming one timer
// per client. A timeout is thus late by at most this much.
constexpr int64_t kTimeoutPollMs = 10;

// Commands run by EXEC may not block (Redis's CLIENT_DENY_BLOCKING); they answer as if their
// timeout had expired.
bool may_block(const Client& client) { return !client.multi.executing; }

}  // namespace

std::optional<int64_t> parse_block_timeout(CommandContext& ctx, std::string_view arg) {
  long double seconds;
  if (!parse_long_double(arg, seconds)) {
    ctx.reply.error("ERR timeout is not a float or out of range");
    return std::nullopt;
  }
  // Redis converts with a C cast, which yields LLONG_MIN for anything out of range (inf too):
  // that reads as negative.
  long double ms = seconds * 1000.0L;
  if (!(ms < 9.2233720368547758e18L) || !(ms > -9.2233720368547758e18L) ||
      static_cast<int64_t>(ms) < 0) {
    ctx.reply.error("ERR timeout is negative");
    return std::nullopt;
  }
  int64_t relative = static_cast<int64_t>(ms);
  if (relative == 0) return 0;
  int64_t deadline;
  if (__builtin_add_overflow(relative, ctx.now_ms, &deadline)) deadline = INT64_MAX;
  return deadline;
}

bool Blocking::block(CommandContext& ctx, std::span<const std::string_view> keys,
                     int64_t deadline_ms, ValueType type) {
  Client& client = ctx.client;
  if (serving_ != 0 && serving_ == client.id) {
    reblocked_ = true;  // served too late: keep the place in line and the first deadline
    return true;
  }
  if (!may_block(client)) return false;
  Blocked blocked{&client, &ctx.spec, {}, {}, client.db, deadline_ms, type};
  blocked.args.assign(ctx.args.begin(), ctx.args.end());
  KeyQueues& queues = by_key_[client.db];
  for (std::string_view key : keys) {
    if (std::find(blocked.keys.begin(), blocked.keys.end(), key) != blocked.keys.end()) continue;
    blocked.keys.emplace_back(key);
    auto it = queues.find(key);
    if (it == queues.end()) it = queues.emplace(std::string(key), std::deque<uint64_t>()).first;
    it->second.push_back(client.id);
  }
  if (deadline_ms > 0) {
    deadlines_.emplace(deadline_ms, client.id);
    if (!timeout_task_running_) expire_timeouts();
  }
  by_client_.emplace(client.id, std::move(blocked));
  client.blocked = true;
  return true;
}

void Blocking::signal_key_ready(int db, std::string_view key) {
  if (by_client_.empty()) return;
  auto queues = by_key_.find(db);
  if (queues == by_key_.end() || !queues->second.contains(key)) return;
  std::pair<int, std::string> entry(db, std::string(key));
  if (ready_set_.insert(entry).second) ready_.push_back(std::move(entry));
}

void Blocking::signal_db_ready(int db) {
  auto queues = by_key_.find(db);
  if (queues == by_key_.end()) return;
  const Database& database = server_.keyspace().db(db);
  for (const auto& [key, waiting] : queues->second) {
    if (database.holds(key)) signal_key_ready(db, key);
  }
}

void Blocking::handle_ready_keys() {
  while (!ready_.empty()) {
    std::vector<std::pair<int, std::string>> ready;
    ready.swap(ready_);
    ready_set_.clear();
    for (const auto& [db, key] : ready) serve_key(db, key);
  }
}

void Blocking::serve_key(int db, const std::string& key) {
  auto queues = by_key_.find(db);
  if (queues == by_key_.end()) return;
  auto it = queues->second.find(key);
  if (it == queues->second.end()) return;
  // A copy: serving unblocks clients, which edits the queue.
  std::vector<uint64_t> waiting(it->second.begin(), it->second.end());
  Database& database = server_.keyspace().db(db);
  for (uint64_t id : waiting) {
    Database::Entry* entry = database.peek(key, unix_time_ms());
    if (!entry) break;  // emptied by the clients served before
    auto blocked = by_client_.find(id);
    if (blocked == by_client_.end()) continue;
    // Redis 7.0 serves only a key of the type the client waits for; otherwise it waits on.
    if (entry->value.type() != blocked->second.type) continue;
    serve(id);
  }
}

void Blocking::serve(uint64_t id) {
  Blocked& blocked = by_client_.at(id);
  Client& client = *blocked.client;
  // The handler may make keys ready and so add to ready_, never remove from by_client_.
  std::vector<std::string_view> args(blocked.args.begin(), blocked.args.end());
  CommandContext ctx{server_, client, *blocked.spec, args, client.reply, unix_time_ms()};
  serving_ = id;
  reblocked_ = false;
  // A served client's command is an execution unit of its own; its handler propagates the
  // non-blocking form of what it did (BLPOP -> LPOP).
  uint64_t dirty_before = server_.stats().dirty;
  server_.propagation().begin_command(args);
  blocked.spec->handler(ctx);
  server_.propagation().end_command(client.db, server_.stats().dirty > dirty_before);
  serving_ = 0;
  if (!reblocked_) finish(id);
}

void Blocking::finish(uint64_t id) {
  auto it = by_client_.find(id);
  if (it == by_client_.end()) return;
  Blocked& blocked = it->second;
  auto queues = by_key_.find(blocked.db);
  for (const std::string& key : blocked.keys) {
    auto q = queues->second.find(key);
    if (q == queues->second.end()) continue;
    std::erase(q->second, id);
    if (q->second.empty()) queues->second.erase(q);
  }
  if (queues->second.empty()) by_key_.erase(queues);
  if (blocked.deadline_ms > 0) deadlines_.erase({blocked.deadline_ms, id});
  Client* client = blocked.client;
  by_client_.erase(it);
  client->blocked = false;
  server_.queue_write(client);
  to_resume_.push_back(id);
}

bool Blocking::unblock(uint64_t client_id, bool with_error) {
  auto it = by_client_.find(client_id);
  if (it == by_client_.end()) return false;
  Client& client = *it->second.client;
  if (with_error) {
    client.reply.error("UNBLOCKED client unblocked via CLIENT UNBLOCK");
  } else {
    client.reply.null_array();
  }
  finish(client_id);
  return true;
}

void Blocking::unblock_all(std::string_view error) {
  std::vector<uint64_t> ids;
  for (const auto& [id, blocked] : by_client_) ids.push_back(id);
  for (uint64_t id : ids) {
    Client& client = *by_client_.at(id).client;
    client.reply.error(error);
    client.close_after_reply = true;
    finish(id);
  }
}

void Blocking::remove_client(Client& client) {
  if (!client.blocked) return;
  finish(client.id);
  std::erase(to_resume_, client.id);
}

void Blocking::resume_unblocked() {
  // A resumed client runs its next requests at once and may unblock others: loop until done.
  while (!to_resume_.empty()) {
    std::vector<uint64_t> ids;
    ids.swap(to_resume_);
    for (uint64_t id : ids) {
      Client* client = server_.find_client(id);
      if (client && !client->blocked) client->conn.events().wake();
    }
  }
}

Task Blocking::expire_timeouts() {
  timeout_task_running_ = true;
  while (!deadlines_.empty()) {
    int64_t now = unix_time_ms();
    while (!deadlines_.empty() && deadlines_.begin()->first <= now) {
      uint64_t id = deadlines_.begin()->second;
      Client& client = *by_client_.at(id).client;
      client.reply.null_array();
      finish(id);
    }
    if (deadlines_.empty()) break;
    int64_t wait = std::clamp<int64_t>(deadlines_.begin()->first - now, 1, kTimeoutPollMs);
    co_await server_.reactor().sleep_for(std::chrono::milliseconds(wait));
  }
  timeout_task_running_ = false;
}

}  // namespace tandem
