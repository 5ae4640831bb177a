#include "replication/master_link.h"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <limits>
#include <optional>

#include "fmt/format.h"
#include "replication/background_load.h"
#include "replication/backlog.h"
#include "replication/replication.h"
#include "replication/sync_payload.h"
#include "server/args.h"
#include "server/command_stats.h"
#include "server/command_table.h"
#include "server/dispatch.h"
#include "server/lazy_free.h"
#include "server/log.h"
#include "server/persistence.h"
#include "server/resp_writer.h"
#include "server/server.h"
#include "server/split_args.h"
#include "storage/clock.h"

namespace tandem {
namespace {

constexpr auto kRetryDelay = std::chrono::seconds(1);
constexpr auto kCronPeriod = std::chrono::seconds(1);

std::string encode_request(std::initializer_list<std::string_view> args) {
  std::string out;
  append_multibulk(out, std::span<const std::string_view>(args.begin(), args.size()));
  return out;
}

// The last `max` bytes of the backlog (Redis's showLatestBacklog), to show what led to an error.
std::string latest_backlog(const Backlog* backlog, size_t max) {
  std::string out;
  if (!backlog || backlog->histlen() == 0) return out;
  auto cursor = backlog->cursor_at(std::max(backlog->begin(), backlog->end() - int64_t(max)));
  while (cursor) {
    std::string_view piece = cursor->peek();
    if (piece.empty()) break;
    out += piece;
    cursor->advance(piece.size());
  }
  return out;
}

bool is_getack(std::span<const std::string_view> args) {
  return args.size() >= 2 && iequals(args[0], "replconf") && iequals(args[1], "getack");
}

}  // namespace

// Closes the temp file of a transfer and removes it unless it was kept (renamed to the dump).
struct MasterLink::TempFile {
  int fd = -1;
  std::string path;
  bool keep = false;
  ~TempFile() {
    if (fd >= 0) ::close(fd);
    if (!keep && !path.empty()) ::unlink(path.c_str());
  }
};

struct MasterLink::Session {
  uint64_t generation = 0;
  int connecting_fd = -1;          // the socket while its connect is in flight
  std::unique_ptr<Client> client;  // the connection, once established
  bool registered = false;         // the client is in the server's client list
  int64_t last_io_ms = 0;
  // From +FULLRESYNC, adopted once the snapshot has loaded.
  std::string replid;
  int64_t initial_offset = 0;
  std::optional<SyncPayload> payload;           // set while the RDB is received
  std::optional<LoadingReport> loading_report;  // set while the snapshot decodes (INFO)
  int64_t transfer_last_io_ms = 0;
};

MasterLink::MasterLink(Server& server) : server_(server) {}

MasterLink::~MasterLink() {
  for (auto& load : loads_) {
    load->cancel();
    load->join();
  }
}

bool MasterLink::is_replica() const { return !server_.config().replicaof_host.empty(); }

bool MasterLink::live(const Session& s) const { return s.generation == generation_; }

const Client* MasterLink::master_client() const {
  return state_ == LinkState::kConnected && session_ ? session_->client.get() : nullptr;
}

void MasterLink::start() {
  cron();
  if (!is_replica()) return;
  // Unless resume_from_dump() found the history the loaded dataset follows, the first sync is
  // full (have_cached_master_ starts false).
  server_.keyspace().expiry().delete_expired = false;
  set_log_role('S');
  state_ = LinkState::kConnect;
  run(generation_);
}

void MasterLink::resume_from_dump() {
  const auto& saved = server_.persistence().loaded_replication;
  if (!is_replica() || !saved) return;
  ReplicationState& state = server_.replication_state();
  state.replid = saved->id;
  state.master_repl_offset = saved->offset;
  stream_db_ = saved->stream_db;
  have_cached_master_ = true;
  log(LogLevel::kNotice, "Resuming the replication history of the dump: {}:{}", saved->id,
      saved->offset);
}

int MasterLink::stream_db() const {
  return state_ == LinkState::kConnected && session_ ? session_->client->db : stream_db_;
}

void MasterLink::set_master(const std::string& host, int port) {
  bool was_master = !is_replica();
  drop_session();
  // Redis's disconnectAllBlockedClients: what a blocked client waits for (a key a master would
  // write, replicas acknowledging its writes) will not come from this server's own clients any
  // more. Clients held by CLIENT PAUSE are not blocked in this sense: they are left alone.
  constexpr std::string_view kUnblocked =
      "UNBLOCKED force unblock from blocking operation, instance state changed (master -> "
      "replica?)";
  server_.blocking().unblock_all(kUnblocked);
  server_.replication().unblock_all(kUnblocked);
  server_.config().replicaof_host = host;
  server_.config().replicaof_port = port;
  if (was_master) {
    // Our own history is the cached master: a master we replicated before (a failover) may
    // accept it with +CONTINUE.
    log(LogLevel::kNotice,
        "Before turning into a replica, using my own master parameters to synthesize a cached "
        "master: I may be able to synchronize with the new master with just a partial transfer.");
    have_cached_master_ = true;
    stream_db_ = 0;
    server_.keyspace().expiry().delete_expired = false;
    set_log_role('S');
  }
  state_ = LinkState::kConnect;
  run(generation_);
}

void MasterLink::unset_master() {
  if (!is_replica()) return;
  drop_session();
  server_.config().replicaof_host.clear();
  server_.config().replicaof_port = 0;
  have_cached_master_ = false;
  // A new history starts here; the master's stays valid as replid2 up to our offset.
  server_.replication_state().shift_id();
  server_.replication().forget_selected_db();
  state_ = LinkState::kNone;
  down_since_ms_ = 0;
  server_.keyspace().expiry().delete_expired = true;
  set_log_role('M');
}

// Ends the current attempt: it unwinds at its next resumption (shutting its socket down makes
// that prompt) and a decoding thread stops at its next read.
void MasterLink::drop_session() {
  ++generation_;
  if (Session* s = std::exchange(session_, nullptr)) {
    if (s->connecting_fd >= 0) ::shutdown(s->connecting_fd, SHUT_RDWR);
    if (s->client) s->client->conn.kill();
  }
  for (auto& load : loads_) load->cancel();
}

Task MasterLink::run(uint64_t generation) {
  while (generation == generation_) {
    Session s;
    s.generation = generation;
    session_ = &s;
    co_await attempt(s);
    if (session_ == &s) session_ = nullptr;
    if (live(s)) state_ = LinkState::kConnect;
    if (s.client) {
      if (s.registered) server_.remove_client(s.client.get());
      co_await s.client->conn.close(/*flush_first=*/false);
    }
    if (!live(s)) break;
    co_await server_.reactor().sleep_for(kRetryDelay);
  }
}

Async<> MasterLink::attempt(Session& s) {
  state_ = LinkState::kConnecting;
  if (!co_await connect(s)) co_return;
  state_ = LinkState::kHandshake;
  if (!co_await handshake(s)) co_return;
  PsyncResult result = co_await psync(s);
  if (!live(s)) co_return;
  if (result == PsyncResult::kFullResync) {
    if (!co_await full_sync(s)) co_return;
  } else if (result != PsyncResult::kContinue) {
    co_return;
  }
  co_await stream(s);
}

Async<bool> MasterLink::connect(Session& s) {
  const Config& config = server_.config();
  const std::string host = config.replicaof_host;
  const std::string port = std::to_string(config.replicaof_port);
  log(LogLevel::kNotice, "Connecting to MASTER {}:{}", host, port);
  log(LogLevel::kNotice, "MASTER <-> REPLICA sync started");
  s.last_io_ms = unix_time_ms();
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (int rc = ::getaddrinfo(host.c_str(), port.c_str(), &hints, &found); rc != 0) {
    log(LogLevel::kWarning, "Unable to connect to MASTER: {}", gai_strerror(rc));
    co_return false;
  }
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> addresses(found, &freeaddrinfo);
  int error = 0;
  for (addrinfo* a = found; a; a = a->ai_next) {
    int fd = ::socket(a->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
      error = errno;
      continue;
    }
    s.connecting_fd = fd;
    int rc = co_await server_.reactor().submit(
        [&](io_uring_sqe* sqe) { io_uring_prep_connect(sqe, fd, a->ai_addr, a->ai_addrlen); });
    s.connecting_fd = -1;
    if (!live(s)) {
      ::close(fd);
      co_return false;
    }
    if (rc == 0) {
      int yes = 1;
      setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof(yes));
      s.client = std::make_unique<Client>(server_.reactor(), fd, server_.next_client_id());
      s.client->addr = fmt::format("{}:{}", host, port);
      s.client->reply.set_error_stats(&server_.error_stats());
      s.client->conn.start_receiving();
      s.last_io_ms = unix_time_ms();
      co_return true;
    }
    ::close(fd);
    error = -rc;
  }
  log(LogLevel::kWarning, "Error condition on socket for SYNC: {}", std::strerror(error));
  co_return false;
}

void MasterLink::send(Session& s, std::initializer_list<std::string_view> args) {
  s.client->conn.output().append(encode_request(args));
  s.client->conn.flush();
}

void MasterLink::send_ack(Session& s) {
  send(s, {"REPLCONF", "ACK", std::to_string(server_.replication_state().master_repl_offset)});
}

// One reply line without its CRLF. False when the link is gone or dropped.
Async<bool> MasterLink::read_line(Session& s, std::string& line) {
  Connection& conn = s.client->conn;
  for (;;) {
    if (!live(s)) co_return false;
    std::string& input = conn.input();
    if (size_t eol = input.find('\n'); eol != std::string::npos) {
      line.assign(input, 0, eol);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      conn.consume_input(eol + 1);
      co_return true;
    }
    if (conn.finished()) {
      log(LogLevel::kWarning, "Master closed the connection during the replication handshake");
      co_return false;
    }
    co_await conn.events().wait();
    if (conn.take_new_input()) s.last_io_ms = s.transfer_last_io_ms = unix_time_ms();
  }
}

// Redis's syncWithMaster up to PSYNC: PING, then AUTH and the REPLCONFs pipelined, their
// replies read in order.
Async<bool> MasterLink::handshake(Session& s) {
  std::string reply;
  send(s, {"PING"});
  if (!co_await read_line(s, reply)) co_return false;
  // An authentication error still proves the master is there: AUTH follows.
  if (reply.starts_with("-") && !reply.starts_with("-NOAUTH") && !reply.starts_with("-NOPERM") &&
      !reply.starts_with("-ERR operation not permitted")) {
    log(LogLevel::kWarning, "Error reply to PING from master: '{}'", reply);
    co_return false;
  }
  log(LogLevel::kNotice, "Master replied to PING, replication can continue...");

  const Config& config = server_.config();
  const bool auth = !config.masterauth.empty();
  if (auth && config.masteruser.empty()) send(s, {"AUTH", config.masterauth});
  if (auth && !config.masteruser.empty()) send(s, {"AUTH", config.masteruser, config.masterauth});
  int port = config.replica_announce_port ? config.replica_announce_port : config.port;
  send(s, {"REPLCONF", "listening-port", std::to_string(port)});
  const bool announce_ip = !config.replica_announce_ip.empty();
  if (announce_ip) send(s, {"REPLCONF", "ip-address", config.replica_announce_ip});
  send(s, {"REPLCONF", "capa", "eof", "capa", "psync2"});

  if (auth) {
    if (!co_await read_line(s, reply)) co_return false;
    if (reply.starts_with("-")) {
      log(LogLevel::kWarning, "Unable to AUTH to MASTER: {}", reply);
      co_return false;
    }
  }
  if (!co_await read_line(s, reply)) co_return false;
  if (reply.starts_with("-")) {
    log(LogLevel::kNotice, "(Non critical) Master does not understand REPLCONF listening-port: {}",
        reply);
  }
  if (announce_ip) {
    if (!co_await read_line(s, reply)) co_return false;
    if (reply.starts_with("-")) {
      log(LogLevel::kNotice, "(Non critical) Master does not understand REPLCONF ip-address: {}",
          reply);
    }
  }
  if (!co_await read_line(s, reply)) co_return false;
  if (reply.starts_with("-")) {
    log(LogLevel::kNotice, "(Non critical) Master does not understand REPLCONF capa: {}", reply);
  }
  co_return true;
}

// Redis's slaveTryPartialResynchronization.
Async<MasterLink::PsyncResult> MasterLink::psync(Session& s) {
  ReplicationState& state = server_.replication_state();
  if (have_cached_master_) {
    std::string offset = std::to_string(state.master_repl_offset + 1);
    log(LogLevel::kNotice, "Trying a partial resynchronization (request {}:{}).", state.replid,
        offset);
    send(s, {"PSYNC", state.replid, offset});
  } else {
    log(LogLevel::kNotice, "Partial resynchronization not possible (no cached master)");
    send(s, {"PSYNC", "?", "-1"});
  }
  std::string reply;
  do {  // a master may send newlines to keep the link alive before it answers
    if (!co_await read_line(s, reply)) co_return PsyncResult::kError;
  } while (reply.empty());

  if (reply.starts_with("+FULLRESYNC")) {
    std::string_view rest = std::string_view(reply).substr(11);
    size_t space = rest.find(' ', 1);
    if (!rest.starts_with(" ") || space != 1 + 40) {
      log(LogLevel::kWarning, "Master replied with wrong +FULLRESYNC syntax.");
      s.replid = std::string(40, '0');  // the next PSYNC must not match anything
      s.initial_offset = 0;
    } else {
      s.replid = std::string(rest.substr(1, 40));
      s.initial_offset = std::strtoll(std::string(rest.substr(space + 1)).c_str(), nullptr, 10);
      log(LogLevel::kNotice, "Full resync from master: {}:{}", s.replid, s.initial_offset);
    }
    // The cached master stays until the new dataset is in: a failed transfer leaves the old
    // dataset, and its history, in place (Redis 7.0 PSYNCs from it again too).
    co_return PsyncResult::kFullResync;
  }
  if (reply.starts_with("+CONTINUE")) {
    log(LogLevel::kNotice, "Successful partial resynchronization with master.");
    std::string_view id = std::string_view(reply).substr(9);
    if (id.starts_with(" ")) id.remove_prefix(1);
    if (id.size() == 40 && id != state.replid) {
      log(LogLevel::kNotice, "Master replication ID changed to {}", id);
      // The master was promoted: its new history continues ours, which stays valid as
      // replid2 up to where it ended.
      state.shift_id();
      state.replid = std::string(id);
      // Our replicas learn the new ID by reconnecting: they continue through our replid2.
      server_.replication().disconnect_replicas();
    }
    co_return PsyncResult::kContinue;
  }
  if (reply.starts_with("-NOMASTERLINK") || reply.starts_with("-LOADING")) {
    log(LogLevel::kNotice, "Master is currently unable to PSYNC but should be in the future: {}",
        reply);
    co_return PsyncResult::kTryLater;
  }
  if (reply.starts_with("-ERR")) {
    log(LogLevel::kWarning, "Master does not support PSYNC or is in error state (reply: {})",
        reply);
  } else {
    log(LogLevel::kWarning, "Unexpected reply to PSYNC from master: {}", reply);
  }
  co_return PsyncResult::kNotSupported;
}

// repl-diskless-load: decode the payload as it arrives (swapdb; on-empty-db when we hold no key)
// or receive it to disk first (disabled). Either way the old dataset stays until the new one has
// loaded completely, which is what Redis's swapdb promises; on-empty-db only adds the condition.
bool MasterLink::load_from_socket() const {
  const std::string& mode = server_.config().repl_diskless_load;
  if (mode == "swapdb") return true;
  if (mode != "on-empty-db") return false;
  Keyspace& keyspace = server_.keyspace();
  for (int i = 0; i < keyspace.count(); ++i) {
    if (keyspace.db(i).size() > 0) return false;
  }
  return true;
}

// Waits for more of the payload; false when the link is gone or dropped.
Async<bool> MasterLink::read_payload(Session& s) {
  Connection& conn = s.client->conn;
  for (;;) {
    if (!live(s)) co_return false;
    if (!conn.input().empty()) co_return true;
    if (conn.finished()) {
      log(LogLevel::kWarning, "I/O error trying to sync with MASTER: connection lost");
      co_return false;
    }
    co_await conn.events().wait();
    if (conn.take_new_input()) s.last_io_ms = s.transfer_last_io_ms = unix_time_ms();
  }
}

// Moves the next piece of the payload out of the connection's input into `chunk`.
void MasterLink::take_payload(Session& s, std::string& chunk) {
  std::string& input = s.client->conn.input();
  size_t n = s.payload->take(input);
  server_.replication().stats().net_input_bytes += n;
  if (n == input.size()) {
    chunk.clear();
    chunk.swap(input);
  } else {
    chunk.assign(input, 0, n);
    s.client->conn.consume_input(n);
  }
}

// Writes `bytes` to `fd` through the ring (the main thread never waits for the disk or for the
// decoder); false with a log line on failure. `offset` is ignored by a pipe.
Async<bool> MasterLink::write_all(int fd, std::string_view bytes, uint64_t& offset,
                                  std::string_view what) {
  for (size_t done = 0; done < bytes.size();) {
    int rc = co_await server_.reactor().submit([&](io_uring_sqe* sqe) {
      io_uring_prep_write(sqe, fd, bytes.data() + done, bytes.size() - done, offset);
    });
    if (rc <= 0) {
      log(LogLevel::kWarning, "Write error or short write {}: {}", what,
          rc < 0 ? std::strerror(-rc) : "no space written");
      co_return false;
    }
    done += static_cast<size_t>(rc);
    offset += static_cast<uint64_t>(rc);
  }
  co_return true;
}

// Receives the snapshot into a temp file, then starts decoding it (repl-diskless-load disabled).
Async<std::shared_ptr<BackgroundLoad>> MasterLink::receive_to_disk(Session& s, TempFile& temp) {
  const Config& config = server_.config();
  temp.path = fmt::format("{}/temp-{}.{}.rdb", config.dir, unix_time_ms() / 1000, getpid());
  temp.fd = ::open(temp.path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (temp.fd < 0) {
    log(LogLevel::kWarning,
        "Opening the temp file needed for MASTER <-> REPLICA synchronization: {}",
        std::strerror(errno));
    co_return nullptr;
  }
  uint64_t written = 0;
  std::string chunk;
  while (!s.payload->done()) {
    if (!co_await read_payload(s)) co_return nullptr;
    take_payload(s, chunk);
    if (!co_await write_all(temp.fd, chunk, written,
                            "writing to the DB dump file needed for MASTER <-> REPLICA "
                            "synchronization")) {
      co_return nullptr;
    }
  }
  if (::ftruncate(temp.fd, static_cast<off_t>(written - s.payload->trailer_length())) != 0) {
    log(LogLevel::kWarning,
        "Failed trying to truncate the temp DB in MASTER <-> REPLICA synchronization: {}",
        std::strerror(errno));
    co_return nullptr;
  }
  log(LogLevel::kNotice, "MASTER <-> REPLICA sync: Loading DB in memory");
  // The old dataset stays served while the file decodes: an async load, for INFO.
  s.loading_report.emplace(server_.persistence(), true, written - s.payload->trailer_length());
  rdb::LoadOptions options = rdb_load_options(config);
  options.progress = s.loading_report->progress();
  auto load =
      std::make_shared<BackgroundLoad>(temp.path, server_.keyspace().count(), std::move(options));
  loads_.push_back(load);
  co_return load;
}

// Decodes the snapshot while it arrives: `load`'s thread reads a pipe the payload is written
// into (swapdb / on-empty-db). The EOF mark of a diskless master is held back, never decoded.
// False when the transfer failed (logged); the decoder then still waits for input.
Async<bool> MasterLink::receive_to_parser(Session& s, BackgroundLoad& load) {
  const size_t trailer = s.payload->trailer_length();
  std::string pending;  // received, not yet written: at least the last `trailer` bytes
  std::string chunk;
  uint64_t offset = 0;
  bool writing = true;  // until the decoder stops reading (it failed: its result says why)
  while (!s.payload->done()) {
    if (!co_await read_payload(s)) co_return false;
    take_payload(s, chunk);
    pending += chunk;
    if (!writing || pending.size() <= trailer) continue;
    size_t n = pending.size() - trailer;
    // The load may be cancelled (its pipe closed) while a write is suspended.
    if (load.input_fd() < 0 ||
        !co_await write_all(load.input_fd(), std::string_view(pending).substr(0, n), offset,
                            "feeding the RDB parser")) {
      writing = false;
    }
    pending.erase(0, n);
    if (!live(s)) co_return false;
  }
  load.close_input();
  co_return true;
}

// A +FULLRESYNC: receives and decodes the snapshot, and swaps it in only when it decoded
// completely.
Async<bool> MasterLink::full_sync(Session& s) {
  state_ = LinkState::kTransfer;
  s.transfer_last_io_ms = unix_time_ms();
  std::string header;
  do {  // newlines: the master is still preparing the snapshot
    if (!co_await read_line(s, header)) co_return false;
  } while (header.empty());
  // The header line is replication traffic; the keepalive newlines before it are not (Redis
  // counts neither end of them).
  server_.replication().stats().net_input_bytes += header.size() + 2;
  auto payload = SyncPayload::parse_header(header);
  if (!payload) {
    log(LogLevel::kWarning, "{}", payload.error());
    co_return false;
  }
  s.payload = *payload;
  const bool to_parser = load_from_socket();
  const std::string_view target = to_parser ? "to parser" : "to disk";
  if (payload->diskless()) {
    log(LogLevel::kNotice,
        "MASTER <-> REPLICA sync: receiving streamed RDB from master with EOF {}", target);
  } else {
    log(LogLevel::kNotice, "MASTER <-> REPLICA sync: receiving {} bytes from master {}",
        payload->size(), target);
  }

  const Config& config = server_.config();
  TempFile temp;
  std::shared_ptr<BackgroundLoad> load;  // (not a ?: of two co_awaits: GCC miscompiles it)
  if (to_parser) {
    log(LogLevel::kNotice, "MASTER <-> REPLICA sync: Loading DB in memory");
    s.loading_report.emplace(server_.persistence(), true,
                             payload->diskless() ? 0 : payload->size());
    rdb::LoadOptions options = rdb_load_options(config);
    options.progress = s.loading_report->progress();
    load = std::make_shared<BackgroundLoad>(BackgroundLoad::FromPipe{}, server_.keyspace().count(),
                                            std::move(options));
    loads_.push_back(load);
    if (!co_await receive_to_parser(s, *load)) {
      // The thread holds a partial dataset: end it and let it go before the next attempt.
      load->cancel();
      co_await load->wait(server_.reactor());
      std::erase(loads_, load);
      s.loading_report.reset();
      co_return false;
    }
  } else {
    load = co_await receive_to_disk(s, temp);
  }
  if (!load) co_return false;
  co_await load->wait(server_.reactor());
  std::erase(loads_, load);
  s.loading_report.reset();
  if (!live(s)) co_return false;
  if (!load->result()) {
    log(LogLevel::kWarning, "Failed trying to load the MASTER synchronization DB from {}: {}",
        to_parser ? "socket" : "disk", load->result().error());
    log(LogLevel::kWarning, "MASTER <-> REPLICA sync: keeping the previous dataset, will retry");
    co_return false;
  }
  if (!to_parser) {
    // The snapshot is our dump now, as in Redis (a restart loads it).
    std::string dump = fmt::format("{}/{}", config.dir, config.dbfilename);
    if (::rename(temp.path.c_str(), dump.c_str()) == 0) {
      temp.keep = true;
    } else {
      log(LogLevel::kWarning,
          "Failed trying to rename the temp DB into {} in MASTER <-> REPLICA synchronization: {}",
          config.dbfilename, std::strerror(errno));
    }
  }

  log(LogLevel::kNotice, "MASTER <-> REPLICA sync: Flushing old data");
  Keyspace& keyspace = server_.keyspace();
  for (int i = 0; i < keyspace.count(); ++i) {
    if (keyspace.expiry().on_flush) keyspace.expiry().on_flush(i);  // WATCH sees the change
    keyspace.db(i).swap_contents(load->keyspace().db(i));
    // replica-lazy-flush: the old dataset is freed on the lazy-free thread, not here.
    Database& old = load->keyspace().db(i);
    if (config.replica_lazy_flush && old.size() > 0) {
      const uint64_t keys = old.size();
      server_.lazy_free().dispose(old.detach_contents(), keys);
    }
  }
  const rdb::LoadStats& stats = *load->result();
  server_.persistence().last_load_keys_loaded = stats.keys_loaded;
  server_.persistence().last_load_keys_expired = stats.keys_expired;
  log(LogLevel::kNotice, "Done loading RDB, keys loaded: {}, keys expired: {}.", stats.keys_loaded,
      stats.keys_expired);

  ReplicationState& state = server_.replication_state();
  state.replid = s.replid;
  state.master_repl_offset = s.initial_offset;
  state.clear_id2();
  server_.replication().restart_history();  // our own replicas followed the old dataset
  have_cached_master_ = true;
  stream_db_ = 0;
  s.payload.reset();
  log(LogLevel::kNotice, "MASTER <-> REPLICA sync: Finished with success");
  co_return true;
}

// Applies the master's stream until the link breaks: every command runs through dispatch() as
// the master client, its reply discarded.
Async<> MasterLink::stream(Session& s) {
  Client& client = *s.client;
  client.is_master = true;
  client.authenticated = true;
  client.db = stream_db_;
  client.created_ms = client.last_interaction_ms = unix_time_ms();
  server_.add_client(&client);
  s.registered = true;
  state_ = LinkState::kConnected;
  down_since_ms_ = 0;
  server_.replication().ensure_backlog();
  s.last_io_ms = unix_time_ms();
  // Stream bytes read together with the end of the snapshot (or the +CONTINUE line).
  server_.replication().stats().net_input_bytes += client.conn.input().size();
  // The first ACK tells a diskless master the snapshot is loaded: it starts the stream then.
  send_ack(s);
  for (;;) {
    if (!apply_input(s)) break;
    if (!live(s)) co_return;
    if (client.conn.finished()) {
      log(LogLevel::kNotice, "Connection with master lost.");
      break;
    }
    const size_t unread = client.conn.input().size();
    co_await client.conn.events().wait();
    if (!live(s)) co_return;
    if (client.conn.take_new_input()) s.last_io_ms = client.last_interaction_ms = unix_time_ms();
    // Counted as read, as Redis does (a stream held by CLIENT PAUSE is read all the same).
    server_.replication().stats().net_input_bytes += client.conn.input().size() - unread;
  }
  stream_db_ = client.db;
  down_since_ms_ = unix_time_ms();
  log(LogLevel::kNotice, "Caching the disconnected master state.");
}

// Runs every complete command in the input; false on a protocol error (the link is dropped and
// PSYNC resumes after the last command applied).
bool MasterLink::apply_input(Session& s) {
  Client& client = *s.client;
  std::string& input = client.conn.input();
  client.parser.set_authenticated(true);
  client.parser.set_max_bulk_len(std::numeric_limits<int64_t>::max());  // a master is trusted
  size_t consumed = 0;
  bool ok = true;
  client.paused = false;
  while (consumed < input.size() && live(s)) {
    auto result = client.parser.parse(std::string_view(input).substr(consumed));
    if (result.status == RespParser::Status::kNeedMore) break;
    if (result.status == RespParser::Status::kError) {
      log(LogLevel::kWarning, "Protocol error ({}) from MASTER {}: dropping the link",
          client.parser.error(), client.addr);
      ok = false;
      break;
    }
    if (result.status == RespParser::Status::kCommand) {
      std::span<const std::string_view> args = client.parser.args();
      // CLIENT PAUSE holds the master's stream as it holds any client's (Redis 7.0 exempts
      // only replicas, not the master): the command and what follows wait in the buffer,
      // already read (slave_read_repl_offset) but not applied, and the server wakes us when
      // the pause ends.
      if (postponed_by_pause(server_, client, args)) {
        client.paused = true;
        break;
      }
      if (is_getack(args)) {
        send_ack(s);  // the offset before this command, as Redis answers it
      } else {
        execute(s, args);
      }
    }
    // Counted (and relayed to our replicas) once applied, so PSYNC resumes after it.
    server_.replication().relay(std::string_view(input).substr(consumed, result.consumed));
    consumed += result.consumed;
  }
  client.conn.consume_input(consumed);
  return ok;
}

// Runs one command of the master's stream, its reply discarded. An error it answers is logged
// as Redis's afterErrorReply logs it (the master never sees it, and the link stays up): a
// command we do not know, or one that failed here, means our dataset may now differ.
void MasterLink::execute(Session& s, std::span<const std::string_view> args) {
  Client& client = *s.client;
  std::string& output = client.conn.output();
  size_t mark = output.size();
  std::vector<std::string> errors;
  ErrorStats& error_stats = server_.error_stats();
  error_stats.capture(&errors);
  dispatch(server_, client, args);
  error_stats.capture(nullptr);
  output.resize(mark);  // a master gets no replies
  server_.blocking().handle_ready_keys();
  if (errors.empty()) return;
  const CommandTable& table = CommandTable::instance();
  const CommandSpec* spec = table.find(args[0]);
  if (spec && !spec->subcommands.empty() && args.size() > 1) {
    if (const CommandSpec* sub = table.find_subcommand(*spec, args[1])) spec = sub;
  }
  const std::string name = spec ? std::string(spec->name) : "<unknown>";
  for (std::string_view error : errors) {
    // Redis logs an error raised with addReplyError without its "ERR " and any other (a
    // shared error object such as WRONGTYPE) with its leading '-'.
    std::string text =
        error.starts_with("ERR ") ? std::string(error.substr(4)) : fmt::format("-{}", error);
    if (text.size() > 4096) text.resize(4096);
    log(LogLevel::kWarning,
        "== CRITICAL == This replica is sending an error to its master: '{}' after processing "
        "the command '{}'",
        text, name);
    ++server_.replication().stats().unexpected_error_replies;
    std::string latest = latest_backlog(server_.replication().backlog(), 256);
    if (!latest.empty()) log(LogLevel::kWarning, "Latest backlog is: '{}'", repr(latest));
  }
}

Task MasterLink::cron() {
  for (;;) {
    co_await server_.reactor().sleep_for(kCronPeriod);
    Session* s = session_;
    if (!s) continue;
    if (check_timeout(*s, unix_time_ms())) continue;
    if (state_ == LinkState::kConnected && !s->client->conn.finished()) send_ack(*s);
  }
}

// Redis's replicationCron timeouts; true when the attempt was aborted.
bool MasterLink::check_timeout(Session& s, int64_t now_ms) {
  const int64_t timeout_ms = int64_t{server_.config().repl_timeout} * 1000;
  std::string_view why;
  if ((state_ == LinkState::kConnecting || state_ == LinkState::kHandshake) &&
      now_ms - s.last_io_ms > timeout_ms) {
    why = "Timeout connecting to the MASTER...";
  } else if (state_ == LinkState::kTransfer && s.payload && !s.payload->done() &&
             now_ms - s.transfer_last_io_ms > timeout_ms) {
    why =
        "Timeout receiving bulk data from MASTER... If the problem persists try to set the "
        "'repl-timeout' parameter in redis.conf to a larger value.";
  } else if (state_ == LinkState::kConnected && now_ms - s.last_io_ms > timeout_ms) {
    why = "MASTER timeout: no data nor PING received...";
  } else {
    return false;
  }
  log(LogLevel::kWarning, "{}", why);
  if (s.connecting_fd >= 0) ::shutdown(s.connecting_fd, SHUT_RDWR);
  if (s.client) s.client->conn.kill();
  return true;
}

int64_t MasterLink::processed_offset() const {
  // Redis reports the master's (or cached master's) offset, and 1 when it has neither.
  if (state_ == LinkState::kConnected || have_cached_master_) {
    return server_.replication_state().master_repl_offset;
  }
  return 1;
}

int64_t MasterLink::read_offset() const {
  int64_t offset = processed_offset();
  if (state_ == LinkState::kConnected && session_) {
    offset += static_cast<int64_t>(session_->client->conn.input().size());
  }
  return offset;
}

int64_t MasterLink::last_io_seconds_ago() const {
  if (state_ != LinkState::kConnected || !session_) return -1;
  return (unix_time_ms() - session_->last_io_ms) / 1000;
}

int64_t MasterLink::down_since_seconds() const {
  return down_since_ms_ ? (unix_time_ms() - down_since_ms_) / 1000 : -1;
}

MasterLink::TransferProgress MasterLink::transfer_progress() const {
  TransferProgress progress;
  if (state_ != LinkState::kTransfer || !session_) return progress;
  const Session& s = *session_;
  if (s.payload) {
    progress.total = s.payload->diskless() ? 0 : s.payload->size();
    progress.read = s.payload->received();
  }
  progress.last_io_seconds_ago = (unix_time_ms() - s.transfer_last_io_ms) / 1000;
  return progress;
}

}  // namespace tandem
