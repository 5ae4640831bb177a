#include "replication/replication.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

#include "fmt/format.h"
#include "replication/diskless_transfer.h"
#include "replication/master_link.h"
#include "server/args.h"
#include "server/background_save.h"
#include "server/client.h"
#include "server/log.h"
#include "server/output_buffer_limit.h"
#include "server/persistence.h"
#include "server/resp_writer.h"
#include "server/server.h"
#include "storage/clock.h"

namespace tandem {
namespace {

// Most bytes handed to one send: a backlog catch-up goes out in pieces this big.
constexpr size_t kMaxSendBytes = 1024 * 1024;
constexpr size_t kMaxSendPieces = 64;
// The RDB file goes out in pieces this big.
constexpr int64_t kRdbPieceBytes = 256 * 1024;

// The sizes of the parts Redis's replicationFeedSlaves appends to its backlog one by one for a
// command (append_multibulk writes them at once): "*<argc>\r\n", then per argument
// "$<len>\r\n", the argument and "\r\n". The backlog's window follows Redis's blocks with them.
void note_redis_pieces(std::span<const std::string_view> args, std::vector<size_t>& pieces) {
  auto header = [](size_t n) {
    size_t digits = 1;
    while (n >= 10) n /= 10, ++digits;
    return digits + 3;
  };
  pieces.push_back(header(args.size()));
  for (std::string_view arg : args) {
    pieces.push_back(header(arg.size()));
    pieces.push_back(arg.size());
    pieces.push_back(2);
  }
}

bool streaming(const ReplicaLink& link) {
  return link.state == ReplicaState::kOnline && !link.stream_on_ack && link.cursor;
}

bool in_diskless_transfer(const ReplicaLink& link) {
  return link.state == ReplicaState::kWaitBgsaveEnd && link.diskless;
}

bool has_work(const ReplicaLink& link) {
  return !link.pending.empty() || link.state == ReplicaState::kSendBulk ||
         in_diskless_transfer(link) || (streaming(link) && link.cursor->lag() > 0);
}

}  // namespace

Replication::Replication(Server& server) : server_(server) {
  // Registered before the server's own hooks, so the replies of WAITs served here are flushed
  // in the same loop turn.
  server_.reactor().add_before_sleep([this] { before_sleep(); });
}

Replication::~Replication() {
  for (auto& link : replicas_) {
    if (link->rdb_fd >= 0) ::close(link->rdb_fd);
  }
}

void Replication::start() {
  no_replicas_since_ms_ = unix_time_ms();
  cron();
}

// ---------------------------------------------------------------------------------------------
// The stream

void Replication::feed(int db, std::span<const std::string_view> args) {
  // A replica's replicas get its master's stream byte for byte (relay()), never our own.
  if (!backlog_ || !server_.config().replicaof_host.empty()) return;
  std::string& out = feed_buffer_;  // reused: one write must not cost an allocation
  out.clear();
  std::vector<size_t>& pieces = feed_pieces_;
  pieces.clear();
  if (db != selected_db_) {
    std::string index = std::to_string(db);
    const std::array<std::string_view, 2> select{"SELECT", index};
    append_multibulk(out, select);
    pieces.push_back(out.size());  // Redis appends the whole SELECT at once (a shared object)
    selected_db_ = db;
  }
  append_multibulk(out, args);
  note_redis_pieces(args, pieces);
  append(out, pieces);
  if (out.capacity() > kMaxSendBytes) out = std::string();  // after a huge value
}

void Replication::append(std::string_view bytes, std::span<const size_t> pieces) {
  backlog_->append(bytes, pieces);
  server_.replication_state().master_repl_offset += static_cast<int64_t>(bytes.size());
  check_output_limits(unix_time_ms());
}

void Replication::relay(std::string_view bytes) {
  if (backlog_ && !history_restart_pending_) return append(bytes);
  server_.replication_state().master_repl_offset += static_cast<int64_t>(bytes.size());
}

void Replication::restart_history() {
  for (auto& link : replicas_) drop(*link, "");
  if (replicas_.empty()) {
    backlog_.reset();
    create_backlog();
  } else {
    history_restart_pending_ = true;  // remove_client() finishes it
  }
}

void Replication::disconnect_replicas() {
  for (auto& link : replicas_) drop(*link, "");
}

void Replication::create_backlog() {
  ReplicationState& state = server_.replication_state();
  // Redis's changeReplicationId + clearReplicationId2: the history starts here. A replica keeps
  // the ID it adopted from its master: its replicas continue that history.
  if (server_.config().replicaof_host.empty()) {
    state.replid = random_hex_id();
    state.clear_id2();
  }
  backlog_ = std::make_unique<Backlog>(state.master_repl_offset,
                                       static_cast<size_t>(server_.config().repl_backlog_size));
  log(LogLevel::kNotice, "Replication backlog created, my new replication IDs are '{}' and '{}'",
      state.replid, state.replid2);
}

void Replication::resume_from_dump() {
  const auto& saved = server_.persistence().loaded_replication;
  if (!saved || !server_.config().replicaof_host.empty() || saved->offset < 0) return;
  ReplicationState& state = server_.replication_state();
  state.replid = random_hex_id();
  state.replid2 = saved->id;
  state.second_repl_offset = saved->offset + 1;
  state.master_repl_offset = saved->offset;
  backlog_ = std::make_unique<Backlog>(state.master_repl_offset,
                                       static_cast<size_t>(server_.config().repl_backlog_size));
  log(LogLevel::kNotice,
      "Replication backlog created, my new replication IDs are '{}' and '{}' (continuing the "
      "dump's history up to offset {})",
      state.replid, state.replid2, saved->offset);
}

void Replication::resize_backlog() {
  if (backlog_) backlog_->resize(static_cast<size_t>(server_.config().repl_backlog_size));
}

std::optional<rdb::ReplicationAux> Replication::save_info() const {
  if (!backlog_) return std::nullopt;
  const ReplicationState& state = server_.replication_state();
  // A replica's stream is its master's: the database that stream last selected.
  int stream_db = server_.master_link().is_replica() ? server_.master_link().stream_db()
                                                     : std::max(selected_db_, 0);
  return rdb::ReplicationAux{
      .stream_db = stream_db, .id = state.replid, .offset = state.master_repl_offset};
}

// ---------------------------------------------------------------------------------------------
// Replicas

ReplicaLink* Replication::find(const Client& client) {
  for (auto& link : replicas_) {
    if (link->client == &client) return link.get();
  }
  return nullptr;
}

ReplicaAnnounce& Replication::announce(const Client& client) {
  if (ReplicaLink* link = find(client)) return link->announce;
  return announced_[client.id];
}

std::string Replication::replica_ip(const ReplicaLink& link) {
  if (!link.announce.ip_address.empty()) return link.announce.ip_address;
  std::string_view addr = link.client->addr;
  addr = addr.substr(0, addr.rfind(':'));
  return std::string(addr);
}

std::string Replication::replica_name(const ReplicaLink& link) {
  std::string ip = replica_ip(link);
  if (link.announce.listening_port == 0) return ip + ":<unknown-replica-port>";
  if (ip.find(':') != std::string::npos) {
    return fmt::format("[{}]:{}", ip, link.announce.listening_port);
  }
  return fmt::format("{}:{}", ip, link.announce.listening_port);
}

void Replication::ack(Client& client, int64_t offset) {
  ReplicaLink* link = find(client);
  if (!link) return;  // only replicas acknowledge
  link->ack_offset = std::max(link->ack_offset, offset);
  link->ack_time_ms = unix_time_ms();
  acks_changed_ = true;
  if (link->stream_on_ack) {
    link->stream_on_ack = false;
    log(LogLevel::kNotice, "Synchronization with replica {} succeeded", replica_name(*link));
  }
}

void Replication::attach(std::unique_ptr<ReplicaLink> link) {
  link->client->replica = true;
  link->ack_time_ms = link->wait_since_ms = unix_time_ms();
  announced_.erase(link->client->id);
  replicas_.push_back(std::move(link));
}

void Replication::sync(Client& client, std::span<const std::string_view> args, bool psync) {
  if (client.replica) return;  // a replica asking again is ignored, as Redis does
  // A replica serves SYNC only while it follows its master: while it connects, or loads a new
  // snapshot, what it holds may be a history the master is about to replace (Redis 7.0).
  const MasterLink& master_link = server_.master_link();
  if (master_link.is_replica() && master_link.state() != LinkState::kConnected) {
    return client.reply.error("NOMASTERLINK Can't SYNC while not connected with my master");
  }
  if (client.conn.pending_output() > 0) {
    return client.reply.error("ERR SYNC and PSYNC are invalid with pending output");
  }
  auto link = std::make_unique<ReplicaLink>();
  link->client = &client;
  if (auto it = announced_.find(client.id); it != announced_.end()) link->announce = it->second;
  log(LogLevel::kNotice, "Replica {} asks for synchronization", replica_name(*link));
  if (history_restart_pending_) {
    client.reply.error("LOADING Redis is loading the dataset in memory");
    return;
  }
  if (psync) {
    if (try_partial(link, args)) {
      ++stats_.sync_partial_ok;
      return;
    }
    if (!args[1].starts_with('?')) ++stats_.sync_partial_err;
  } else {
    link->pre_psync = true;
  }
  ++stats_.sync_full;
  if (!backlog_) create_backlog();
  ReplicaLink& attached = *link;
  attach(std::move(link));

  BackgroundSave& save = server_.background_save();
  if (save.in_progress()) {
    // A disk save for other replicas is running: this one shares its snapshot and its offset.
    for (auto& other : replicas_) {
      if (other->state == ReplicaState::kWaitBgsaveEnd && !other->diskless &&
          other->save_generation == save.generation()) {
        attached.state = ReplicaState::kWaitBgsaveEnd;
        attached.save_generation = other->save_generation;
        attached.cursor = other->cursor;
        if (!attached.pre_psync) {
          attached.add_reply(fmt::format("+FULLRESYNC {} {}\r\n",
                                         server_.replication_state().replid,
                                         attached.cursor->position()));
        }
        log(LogLevel::kNotice, "Waiting for end of BGSAVE for SYNC");
        return;
      }
    }
    log(LogLevel::kNotice,
        "Can't attach the replica to the current BGSAVE. Waiting for next BGSAVE for SYNC");
    return;
  }
  if (transfer_) {
    log(LogLevel::kNotice, "Current BGSAVE has socket target. Waiting for next BGSAVE for SYNC");
    return;
  }
  const Config& config = server_.config();
  if (config.repl_diskless_sync && attached.announce.capa_eof &&
      config.repl_diskless_sync_delay > 0) {
    log(LogLevel::kNotice, "Delay next BGSAVE for diskless SYNC");
    // The cron starts it after the delay; repl-diskless-sync-max-replicas arrivals start it at
    // once (Redis notices them at its next cron tick, up to a second later).
  }
  start_pending_syncs(unix_time_ms());
}

bool Replication::try_partial(std::unique_ptr<ReplicaLink>& link,
                              std::span<const std::string_view> args) {
  const ReplicationState& state = server_.replication_state();
  std::string_view replid = args[1];
  // A bad offset is answered with an error, and Redis then goes on with a full resync.
  auto offset = int_arg(args[2], link->client->reply);
  if (!offset) return false;
  if (!iequals(replid, state.replid) &&
      (!iequals(replid, state.replid2) || *offset > state.second_repl_offset)) {
    if (replid.starts_with('?')) {
      log(LogLevel::kNotice, "Full resync requested by replica {}", replica_name(*link));
    } else if (!iequals(replid, state.replid2)) {
      log(LogLevel::kNotice,
          "Partial resynchronization not accepted: Replication ID mismatch (Replica asked for "
          "'{}', my replication IDs are '{}' and '{}')",
          replid, state.replid, state.replid2);
    } else {
      log(LogLevel::kNotice,
          "Partial resynchronization not accepted: Requested offset for second ID was {}, but I "
          "can reply up to {}",
          *offset, state.second_repl_offset);
    }
    return false;
  }
  // Redis offsets name bytes from 1: the replica wants the byte at position offset - 1.
  std::optional<Backlog::Cursor> cursor;
  if (backlog_) cursor = backlog_->cursor_at(*offset - 1);
  if (!cursor) {
    log(LogLevel::kNotice,
        "Unable to partial resync with replica {} for lack of backlog (Replica request was: {}).",
        replica_name(*link), *offset);
    if (*offset > state.master_repl_offset) {
      log(LogLevel::kWarning,
          "Warning: replica {} tried to PSYNC with an offset that is greater than the master "
          "replication offset.",
          replica_name(*link));
    }
    return false;
  }
  link->state = ReplicaState::kOnline;
  link->add_reply(link->announce.capa_psync2 ? fmt::format("+CONTINUE {}\r\n", state.replid)
                                             : std::string("+CONTINUE\r\n"));
  const int64_t backlog_bytes = cursor->lag();
  link->cursor = std::move(cursor);
  std::string name = replica_name(*link);
  attach(std::move(link));
  log(LogLevel::kNotice,
      "Partial resynchronization request from {} accepted. Sending {} bytes of backlog starting "
      "from offset {}.",
      name, backlog_bytes, *offset);
  refresh_good_replicas(unix_time_ms());
  return true;
}

// Redis's replicationStartPendingFork: starts the sync of the replicas waiting for one, unless a
// snapshot is being made; a diskless one after its delay.
void Replication::start_pending_syncs(int64_t now_ms) {
  size_t waiting = 0;
  bool all_eof = true;
  int64_t max_idle_seconds = 0;
  for (auto& link : replicas_) {
    if (link->state != ReplicaState::kWaitBgsaveStart) continue;
    ++waiting;
    all_eof = all_eof && link->announce.capa_eof;
    max_idle_seconds = std::max(max_idle_seconds, (now_ms - link->wait_since_ms) / 1000);
  }
  if (waiting == 0 || server_.background_save().in_progress() || transfer_) return;
  const Config& config = server_.config();
  if (!config.repl_diskless_sync || !all_eof) return start_save_for_replicas();
  const bool enough = config.repl_diskless_sync_max_replicas > 0 &&
                      waiting >= static_cast<size_t>(config.repl_diskless_sync_max_replicas);
  if (enough || max_idle_seconds >= config.repl_diskless_sync_delay) start_diskless();
}

// Redis's startBgsaveForReplication, socket target: one snapshot streamed to every waiting
// replica, at the offset the stream has now.
void Replication::start_diskless() {
  log(LogLevel::kNotice, "Starting BGSAVE for SYNC with target: replicas sockets");
  rdb::SnapshotInfo info = rdb_snapshot_info();
  info.replication = save_info();
  rdb::FrozenKeyspace frozen = freeze_keyspace(server_);
  const uint64_t total_keys = rdb::key_count(frozen);
  transfer_ = std::make_unique<DisklessTransfer>(std::move(frozen), std::move(info),
                                                 rdb_save_options(server_.config()));
  transfer_started_ms_ = unix_time_ms();
  log(LogLevel::kNotice, "Background RDB transfer started");
  const ReplicationState& state = server_.replication_state();
  for (auto& link : replicas_) {
    if (link->state != ReplicaState::kWaitBgsaveStart) continue;
    link->state = ReplicaState::kWaitBgsaveEnd;
    link->diskless = true;
    link->transfer_piece = 0;
    link->transfer_sent = 0;
    link->transfer_keys = 0;
    link->transfer_total_keys = total_keys;
    link->cursor = backlog_->cursor_at(backlog_->end());
    if (!link->pre_psync) {
      link->add_reply(fmt::format("+FULLRESYNC {} {}\r\n", state.replid, state.master_repl_offset));
    }
  }
  selected_db_ = -1;
}

// Lets the transfer drop what every replica sent; ends it once no replica reads it any more.
void Replication::release_transfer_pieces() {
  if (!transfer_) return;
  size_t slowest = SIZE_MAX;
  for (auto& link : replicas_) {
    if (in_diskless_transfer(*link)) slowest = std::min(slowest, link->transfer_piece);
  }
  if (slowest != SIZE_MAX) return transfer_->consumed_up_to(slowest);
  // Redis's backgroundSaveDoneHandlerSocket: the child is done, its time is the last save's.
  const bool ok = transfer_->done() && !transfer_->failed();
  transfer_.reset();  // stops the writer if every replica left early; frees the frozen copy
  const int64_t now = unix_time_ms();
  log(ok ? LogLevel::kNotice : LogLevel::kWarning, "{}",
      ok ? "Background RDB transfer terminated with success" : "Background transfer error");
  server_.persistence().last_bgsave_time_sec = (now - transfer_started_ms_) / 1000;
  start_pending_syncs(now);
}

void Replication::kill_transfer() {
  if (!transfer_) return;
  transfer_.reset();  // stops and joins the writer; a session sending a piece keeps its bytes
  const int64_t now = unix_time_ms();
  // Redis kills its child with SIGUSR1 (10); the replicas of the transfer then fail their sync.
  log(LogLevel::kWarning, "Background transfer terminated by signal 10");
  server_.persistence().last_bgsave_time_sec = (now - transfer_started_ms_) / 1000;
  for (auto& link : replicas_) {
    if (!in_diskless_transfer(*link)) continue;
    log(LogLevel::kWarning, "SYNC failed. BGSAVE child returned an error");
    drop(*link, "");
  }
}

// Redis's startBgsaveForReplication, disk target: every replica waiting for a save gets this
// one, at the offset the stream has now.
void Replication::start_save_for_replicas() {
  log(LogLevel::kNotice, "Starting BGSAVE for SYNC with target: disk");
  BackgroundSave& save = server_.background_save();
  if (auto started = save.start(server_); !started) {
    log(LogLevel::kWarning, "BGSAVE for replication failed");
    for (auto& link : replicas_) {
      if (link->state == ReplicaState::kWaitBgsaveStart) {
        link->pending += "-ERR BGSAVE failed, replication can't continue\r\n";
        drop(*link, "");
      }
    }
    return;
  }
  const ReplicationState& state = server_.replication_state();
  for (auto& link : replicas_) {
    if (link->state != ReplicaState::kWaitBgsaveStart) continue;
    link->state = ReplicaState::kWaitBgsaveEnd;
    link->save_generation = save.generation();
    link->cursor = backlog_->cursor_at(backlog_->end());
    if (!link->pre_psync) {
      link->add_reply(fmt::format("+FULLRESYNC {} {}\r\n", state.replid, state.master_repl_offset));
    }
  }
  selected_db_ = -1;  // the stream after a snapshot starts with SELECT
}

// Redis's updateSlavesWaitingBgsave.
std::pair<uint64_t, uint64_t> Replication::diskless_keys() const {
  if (!transfer_) return {0, 0};
  return {transfer_->keys_encoded(), transfer_->keys_total()};
}

void Replication::on_background_save_done(uint64_t generation, bool ok,
                                          std::shared_ptr<const rdb::KeyOffsets> offsets) {
  bool another_save = false;
  const Config& config = server_.config();
  for (auto& link : replicas_) {
    if (link->state == ReplicaState::kWaitBgsaveStart) another_save = true;
    if (link->state != ReplicaState::kWaitBgsaveEnd || link->save_generation != generation) {
      continue;
    }
    if (!ok) {
      log(LogLevel::kWarning, "SYNC failed. BGSAVE child returned an error");
      drop(*link, "");
      continue;
    }
    std::string path = fmt::format("{}/{}", config.dir, config.dbfilename);
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    struct stat st {};
    if (fd < 0 || ::fstat(fd, &st) != 0) {
      log(LogLevel::kWarning, "SYNC failed. Can't open/stat DB after BGSAVE: {}", strerror(errno));
      if (fd >= 0) ::close(fd);
      drop(*link, "");
      continue;
    }
    link->rdb_fd = fd;
    link->rdb_size = st.st_size;
    link->rdb_sent = 0;
    link->rdb_keys = offsets;
    link->state = ReplicaState::kSendBulk;
    link->pending += fmt::format("${}\r\n", link->rdb_size);
  }
  if (another_save) start_pending_syncs(unix_time_ms());
}

void Replication::put_online(ReplicaLink& link) {
  ::close(link.rdb_fd);
  link.rdb_fd = -1;
  link.rdb_keys.reset();
  if (link.announce.rdb_only) {
    log(LogLevel::kNotice, "Close the connection with replica {} as RDB transfer is complete",
        replica_name(link));
    link.client->conn.kill();
    return;
  }
  link.state = ReplicaState::kOnline;
  link.ack_time_ms = unix_time_ms();
  log(LogLevel::kNotice, "Synchronization with replica {} succeeded", replica_name(link));
  refresh_good_replicas(link.ack_time_ms);
}

void Replication::drop(ReplicaLink& link, std::string_view why) {
  if (!why.empty()) log(LogLevel::kWarning, "{}", why);
  link.client->conn.kill();
}

void Replication::remove_client(Client& client) {
  announced_.erase(client.id);
  std::erase_if(waiters_, [&](const Waiter& w) { return w.client == &client; });
  auto it = std::find_if(replicas_.begin(), replicas_.end(),
                         [&](const auto& link) { return link->client == &client; });
  if (it == replicas_.end()) return;
  log(LogLevel::kNotice, "Connection with replica {} lost.", replica_name(**it));
  if ((*it)->rdb_fd >= 0) ::close((*it)->rdb_fd);
  const bool was_in_transfer = in_diskless_transfer(**it);
  replicas_.erase(it);
  client.replica = false;
  if (was_in_transfer) release_transfer_pieces();
  if (replicas_.empty()) no_replicas_since_ms_ = unix_time_ms();
  if (replicas_.empty() && history_restart_pending_) {
    backlog_.reset();
    history_restart_pending_ = false;
    create_backlog();
  }
  refresh_good_replicas(unix_time_ms());
}

// A replica's output is what its cursor has not sent yet, plus what waits in its socket
// buffers: past client-output-buffer-limit replica it is dropped and must resync.
void Replication::check_output_limits(int64_t now_ms) {
  const OutputBufferLimit& limit = server_.config().client_output_buffer_limit[kClientReplica];
  for (auto& link : replicas_) {
    Client& client = *link->client;
    if (!link->cursor || client.conn.failed()) continue;
    size_t used = static_cast<size_t>(link->cursor->lag()) + client.conn.pending_output() +
                  link->pending.size();
    if (output_buffer_limit_reached(limit, used, link->output_soft_limit_since_ms, now_ms)) {
      drop(*link, fmt::format("Client id={} addr={} scheduled to be closed ASAP for overcoming of "
                              "output buffer limits.",
                              client.id, client.addr));
    }
  }
}

void Replication::refresh_good_replicas(int64_t now_ms) {
  const int64_t max_lag = server_.config().min_replicas_max_lag;
  good_replicas_ = 0;
  for (auto& link : replicas_) {
    if (link->state == ReplicaState::kOnline && (now_ms - link->ack_time_ms) / 1000 <= max_lag) {
      ++good_replicas_;
    }
  }
}

bool Replication::enough_good_replicas() const {
  const Config& config = server_.config();
  return !config.replicaof_host.empty() || config.min_replicas_max_lag == 0 ||
         config.min_replicas_to_write == 0 || good_replicas_ >= config.min_replicas_to_write;
}

// ---------------------------------------------------------------------------------------------
// Sending

Async<> Replication::send(Client& client, std::string_view bytes, size_t uncounted) {
  while (!bytes.empty() && !client.conn.failed()) {
    int sent = co_await server_.reactor().submit([&](io_uring_sqe* sqe) {
      io_uring_prep_send(sqe, client.conn.fd(), bytes.data(), bytes.size(), MSG_NOSIGNAL);
    });
    if (sent <= 0) {
      client.conn.kill();
      break;
    }
    size_t not_counted = std::min(uncounted, static_cast<size_t>(sent));
    uncounted -= not_counted;
    stats_.net_output_bytes += static_cast<uint64_t>(sent) - not_counted;
    bytes.remove_prefix(static_cast<size_t>(sent));
  }
}

Async<> Replication::send_rdb_piece(Client& client, ReplicaLink& link) {
  std::string piece(static_cast<size_t>(std::min(kRdbPieceBytes, link.rdb_size - link.rdb_sent)),
                    '\0');
  int got = co_await server_.reactor().submit([&](io_uring_sqe* sqe) {
    io_uring_prep_read(sqe, link.rdb_fd, piece.data(), static_cast<unsigned>(piece.size()),
                       static_cast<uint64_t>(link.rdb_sent));
  });
  if (got <= 0) {
    log(LogLevel::kWarning, "Read error sending DB to replica: {}",
        got < 0 ? strerror(-got) : "premature EOF");
    client.conn.kill();
    co_return;
  }
  piece.resize(static_cast<size_t>(got));
  co_await send(client, piece);
  link.rdb_sent += got;
  if (link.rdb_sent == link.rdb_size && !client.conn.failed()) put_online(link);
}

Async<> Replication::send_transfer_piece(Client& client, ReplicaLink& link) {
  if (!transfer_) co_return;
  if (auto piece = transfer_->piece(link.transfer_piece)) {
    const uint64_t keys = transfer_->keys_through(link.transfer_piece);
    co_await send(client, *piece);  // `piece` keeps its bytes alive whatever the transfer does
    ++link.transfer_piece;
    link.transfer_sent += static_cast<int64_t>(piece->size());
    link.transfer_keys = keys;
    link.last_piece_ms = unix_time_ms();
    release_transfer_pieces();
    co_return;
  }
  if (!transfer_->done()) {
    // The writer is behind the sockets: look again shortly.
    co_await server_.reactor().sleep_for(std::chrono::milliseconds(1));
    co_return;
  }
  if (transfer_->failed() || link.transfer_piece != transfer_->pieces_written()) {
    log(LogLevel::kWarning, "SYNC failed. BGSAVE child returned an error");
    link.client->conn.kill();
    co_return;
  }
  link.diskless = false;
  link.state = ReplicaState::kOnline;
  link.stream_on_ack = true;
  link.ack_time_ms = unix_time_ms();
  log(LogLevel::kNotice,
      "Streamed RDB transfer with replica {} succeeded (socket). Waiting for REPLCONF ACK from "
      "replica to enable streaming",
      replica_name(link));
  refresh_good_replicas(link.ack_time_ms);
  release_transfer_pieces();
}

// Invariant: a ReplicaLink lives until its own session calls remove_client(), which it does only
// after pump() returned, so `link` stays valid across the suspensions below; others only kill
// the connection.
Async<> Replication::pump(Client& client) {
  Connection& conn = client.conn;
  ReplicaLink* link = find(client);
  if (!link) {
    co_await conn.events().wait();
    co_return;
  }
  if (conn.pending_output() > 0) {  // replies from before it became a replica go first
    conn.flush();
    co_await conn.events().wait();
    co_return;
  }
  if (!link->pending.empty()) {
    std::string bytes = std::exchange(link->pending, {});
    co_await send(client, bytes, std::exchange(link->pending_uncounted, 0));
    co_return;
  }
  if (link->state == ReplicaState::kSendBulk) {
    co_await send_rdb_piece(client, *link);
    co_return;
  }
  if (in_diskless_transfer(*link)) {
    co_await send_transfer_piece(client, *link);
    co_return;
  }
  if (streaming(*link) && link->cursor->lag() > 0) {
    // Straight from the backlog's chunks: `reader` holds the first one, and through it the rest.
    Backlog::Cursor reader = *link->cursor;
    std::array<iovec, kMaxSendPieces> pieces{};
    size_t count = 0, total = 0;
    for (std::string_view piece = reader.peek();
         !piece.empty() && count < kMaxSendPieces && total < kMaxSendBytes; piece = reader.peek()) {
      pieces[count++] = {const_cast<char*>(piece.data()), piece.size()};
      total += piece.size();
      reader.advance(piece.size());
    }
    Backlog::Cursor hold = *link->cursor;
    msghdr message{};
    message.msg_iov = pieces.data();
    message.msg_iovlen = count;
    int sent = co_await server_.reactor().submit(
        [&](io_uring_sqe* sqe) { io_uring_prep_sendmsg(sqe, conn.fd(), &message, MSG_NOSIGNAL); });
    if (sent <= 0) {
      conn.kill();
      co_return;
    }
    link->cursor->advance(static_cast<size_t>(sent));
    stats_.net_output_bytes += static_cast<uint64_t>(sent);
    // The next send waits for the before-sleep hook, so that it carries every write of the
    // loop turn rather than the few fed before this completion was seen.
    co_await conn.events().wait();
    co_return;
  }
  co_await conn.events().wait();
}

void Replication::before_sleep() {
  if (get_ack_ && backlog_) {
    const std::array<std::string_view, 3> getack{"REPLCONF", "GETACK", "*"};
    feed(selected_db_, getack);
  }
  get_ack_ = false;
  if (acks_changed_ && !waiters_.empty()) serve_waiters(unix_time_ms());
  acks_changed_ = false;
  for (uint64_t id : std::exchange(to_resume_, {})) {
    if (Client* client = server_.find_client(id)) client->conn.events().wake();
  }
  // Wake the replica sessions that have something to send and sleep on their connection.
  std::vector<uint64_t> to_wake;
  for (auto& link : replicas_) {
    if (has_work(*link) && link->client->conn.events().has_waiter()) {
      to_wake.push_back(link->client->id);
    }
  }
  // A woken session may end and take its client (and others) with it: look each one up again.
  for (uint64_t id : to_wake) {
    if (Client* client = server_.find_client(id)) client->conn.events().wake();
  }
}

// ---------------------------------------------------------------------------------------------
// WAIT

int Replication::count_acks(int64_t offset) const {
  int count = 0;
  for (auto& link : replicas_) {
    if (link->state == ReplicaState::kOnline && link->ack_offset >= offset) ++count;
  }
  return count;
}

void Replication::wait(Client& client, int64_t offset, int64_t numreplicas, int64_t deadline_ms) {
  waiters_.push_back({&client, offset, numreplicas, deadline_ms});
  client.blocked = true;
  get_ack_ = true;  // Redis's replicationRequestAckFromSlaves
  if (!waiter_task_running_) expire_waiters();
}

bool Replication::unblock(uint64_t client_id, bool with_error) {
  auto it = std::find_if(waiters_.begin(), waiters_.end(),
                         [&](const Waiter& w) { return w.client->id == client_id; });
  if (it == waiters_.end()) return false;
  Client& client = *it->client;
  if (with_error) {
    client.reply.error("UNBLOCKED client unblocked via CLIENT UNBLOCK");
  } else {
    client.reply.integer(count_acks(it->offset));
  }
  waiters_.erase(it);
  client.blocked = false;
  server_.queue_write(&client);
  to_resume_.push_back(client_id);  // never resumed from inside the command unblocking it
  return true;
}

void Replication::unblock_all(std::string_view error) {
  for (const Waiter& w : waiters_) {
    w.client->reply.error(error);
    w.client->close_after_reply = true;
    w.client->blocked = false;
    server_.queue_write(w.client);
    to_resume_.push_back(w.client->id);
  }
  waiters_.clear();
}

void Replication::serve_waiters(int64_t now_ms) {
  std::vector<std::pair<uint64_t, int>> served;
  std::erase_if(waiters_, [&](const Waiter& w) {
    int acks = count_acks(w.offset);
    if (acks < w.numreplicas && (w.deadline_ms == 0 || now_ms < w.deadline_ms)) return false;
    served.emplace_back(w.client->id, acks);
    return true;
  });
  for (auto [id, acks] : served) {
    Client* client = server_.find_client(id);
    if (!client) continue;
    client->blocked = false;
    client->reply.integer(acks);
    server_.queue_write(client);
    client->conn.events().wake();
  }
}

Task Replication::expire_waiters() {
  waiter_task_running_ = true;
  while (!waiters_.empty()) {
    int64_t now = unix_time_ms();
    int64_t next = now + 100;
    for (const Waiter& w : waiters_) {
      if (w.deadline_ms != 0) next = std::min(next, w.deadline_ms);
    }
    co_await server_.reactor().sleep_for(
        std::chrono::milliseconds(std::max<int64_t>(1, next - now)));
    serve_waiters(unix_time_ms());
  }
  waiter_task_running_ = false;
}

// ---------------------------------------------------------------------------------------------
// Cron: Redis's replicationCron, once a second.

Task Replication::cron() {
  for (;;) {
    co_await server_.reactor().sleep_for(std::chrono::milliseconds(1000));
    const Config& config = server_.config();
    const int64_t now = unix_time_ms();
    if (!replicas_.empty() && config.repl_ping_replica_period > 0 &&
        cron_loops_ % static_cast<uint64_t>(config.repl_ping_replica_period) == 0) {
      const std::array<std::string_view, 1> ping{"PING"};
      feed(selected_db_, ping);
    }
    ++cron_loops_;
    BackgroundSave& save = server_.background_save();
    bool waiting_for_save = false;
    for (auto& link : replicas_) {
      switch (link->state) {
        case ReplicaState::kWaitBgsaveStart:
          waiting_for_save = true;
          link->add_reply("\n");  // keeps the link alive while the snapshot is prepared
          break;
        case ReplicaState::kWaitBgsaveEnd:
          if (link->diskless) {
            // The payload is on its way: no newline may interleave; a replica that stopped
            // reading it is dropped after repl-timeout.
            if (link->last_piece_ms != 0 &&
                (now - link->last_piece_ms) / 1000 > config.repl_timeout &&
                !link->client->conn.failed()) {
              drop(*link, fmt::format("Disconnecting timedout replica (full sync): {}",
                                      replica_name(*link)));
            }
            break;
          }
          link->add_reply("\n");
          // Its save was cancelled (SAVE, FLUSHALL, SHUTDOWN): it will never get a file.
          if (!save.in_progress() || save.generation() != link->save_generation) {
            drop(*link, "SYNC failed. BGSAVE child returned an error");
          }
          break;
        case ReplicaState::kSendBulk:
          break;
        case ReplicaState::kOnline:
          if (!link->pre_psync && (now - link->ack_time_ms) / 1000 > config.repl_timeout &&
              !link->client->conn.failed()) {
            drop(*link, fmt::format("Disconnecting timedout replica (streaming sync): {}",
                                    replica_name(*link)));
          }
          break;
      }
    }
    if (waiting_for_save) start_pending_syncs(now);
    if (replicas_.empty() && backlog_ && config.repl_backlog_ttl > 0 &&
        config.replicaof_host.empty() &&
        (now - no_replicas_since_ms_) / 1000 > config.repl_backlog_ttl) {
      ReplicationState& state = server_.replication_state();
      state.replid = random_hex_id();
      state.clear_id2();
      backlog_.reset();
      log(LogLevel::kNotice,
          "Replication backlog freed after {} seconds without connected replicas.",
          config.repl_backlog_ttl);
    }
    refresh_good_replicas(now);
    check_output_limits(now);
  }
}

}  // namespace tandem
