#include "server/client_session.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>

#include "replication/replication.h"
#include "server/dispatch.h"
#include "server/log.h"
#include "server/server.h"

namespace tandem {
namespace {
// Past this much unsent output the client stops reading more requests until the peer catches
// up, so a client that pipelines without reading cannot grow our memory without bound.
constexpr size_t kOutputHighWater = 4 * 1024 * 1024;

std::string format_address(const sockaddr_storage& storage) {
  char host[INET6_ADDRSTRLEN] = "?";
  int port = 0;
  if (storage.ss_family == AF_INET) {
    const auto* a = reinterpret_cast<const sockaddr_in*>(&storage);
    inet_ntop(AF_INET, &a->sin_addr, host, sizeof(host));
    port = ntohs(a->sin_port);
  } else if (storage.ss_family == AF_INET6) {
    const auto* a = reinterpret_cast<const sockaddr_in6*>(&storage);
    inet_ntop(AF_INET6, &a->sin6_addr, host, sizeof(host));
    port = ntohs(a->sin6_port);
  }
  return fmt::format("{}:{}", host, port);
}

void describe_socket(Client& client, int fd) {
  sockaddr_storage storage{};
  socklen_t length = sizeof(storage);
  if (getpeername(fd, reinterpret_cast<sockaddr*>(&storage), &length) == 0) {
    client.addr = format_address(storage);
  }
  length = sizeof(storage);
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&storage), &length) == 0) {
    client.laddr = format_address(storage);
  }
}

void configure_socket(int fd, int keepalive_seconds) {
  int yes = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof(yes));
  if (keepalive_seconds > 0) {
    setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &yes, sizeof(yes));
    setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &keepalive_seconds, sizeof(keepalive_seconds));
    int interval = std::max(1, keepalive_seconds / 3);
    setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &interval, sizeof(interval));
    int count = 3;
    setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &count, sizeof(count));
  }
}

// Parses and runs every complete request in the input buffer. Returns false when the client
// must be closed after its replies are sent (protocol error, QUIT, limits). Stops early, with
// `held_by_pause` set and the held request left in the buffer, when CLIENT PAUSE holds it back.
bool process_input(Server& server, Client& client, bool& held_by_pause) {
  std::string& input = client.conn.input();
  size_t offset = 0;
  bool keep_open = true;
  held_by_pause = false;
  while (offset < input.size() && !client.close_after_reply) {
    client.parser.set_authenticated(client.authenticated);
    client.parser.set_max_bulk_len(server.config().proto_max_bulk_len);  // CONFIG SET may change it
    auto result = client.parser.parse(std::string_view(input).substr(offset));
    if (result.status == RespParser::Status::kNeedMore) {
      if (size_t more = client.parser.pending_bulk_bytes(); more > 32 * 1024) {
        input.reserve(input.size() + more);  // big bulk: grow once, not per received chunk
      }
      break;
    }
    if (result.status == RespParser::Status::kError) {
      log(LogLevel::kVerbose, "Protocol error ({}) from client: id={} addr={}",
          client.parser.error(), client.id, client.addr);
      client.reply.error("ERR " + client.parser.error());  // as Redis's addReplyError does
      keep_open = false;
      break;
    }
    if (result.status == RespParser::Status::kCommand &&
        postponed_by_pause(server, client, client.parser.args())) {
      held_by_pause = true;  // parsed again once the pause ends
      break;
    }
    offset += result.consumed;
    if (result.status == RespParser::Status::kCommand) {
      dispatch(server, client, client.parser.args());
      server.blocking().handle_ready_keys();
      if (client.blocked) break;  // the rest waits until it is served (server/blocking.h)
    }
  }
  server.stats().net_input_bytes += offset;
  client.conn.consume_input(offset);
  if (input.size() > server.config().client_query_buffer_limit) {
    log(LogLevel::kWarning, "Closing client that reached max query buffer length: id={} addr={}",
        client.id, client.addr);
    keep_open = false;
    client.conn.kill();
  }
  return keep_open && !client.close_after_reply;
}
}  // namespace

Task serve_client(Server& server, int fd) {
  auto owned = std::make_unique<Client>(server.reactor(), fd, server.next_client_id());
  Client& client = *owned;
  client.reply.set_error_stats(&server.error_stats());
  ++server.stats().connections_received;
  if (server.clients().size() >= static_cast<size_t>(server.config().maxclients)) {
    ++server.stats().rejected_connections;
    client.reply.error("ERR max number of clients reached");
    co_await client.conn.close(/*flush_first=*/true);
    co_return;
  }
  describe_socket(client, fd);
  configure_socket(fd, server.config().tcp_keepalive);
  client.authenticated = server.config().requirepass.empty();
  client.created_ms = client.last_interaction_ms = unix_time_ms();
  server.add_client(&client);
  client.conn.start_receiving();

  bool keep_open = true;
  bool held_by_pause = false;
  while (keep_open) {
    if (held_by_pause) {
      // CLIENT PAUSE: park until the server wakes the held clients (or this one goes away),
      // then offer the held request again.
      client.paused = true;
      while (server.pause_mode() != ClientPause::kNone && !client.conn.finished()) {
        co_await client.conn.events().wait();
      }
      client.paused = false;
      if (client.conn.finished()) break;
    } else if (client.blocked) {
      // BLPOP & co.: parked until served, timed out or unblocked (server/blocking.h).
      while (client.blocked && !client.conn.finished()) co_await client.conn.events().wait();
      if (client.conn.finished()) break;
    } else if (client.replica && !client.conn.take_new_input()) {
      // A replica link (after SYNC/PSYNC): what goes out is the replication stream, sent by
      // Replication::pump(); what comes in (REPLCONF ACK) is processed below as usual.
      if (client.conn.finished()) break;
      co_await server.replication().pump(client);
      continue;
    } else if (!client.replica && !client.conn.take_new_input()) {
      // Whatever is left in the buffer is an incomplete request: wait for more bytes.
      if (client.conn.finished()) break;
      co_await client.conn.events().wait();
      continue;
    } else {
      ++server.stats().reads_processed;  // new bytes taken in (INFO total_reads_processed)
    }
    client.last_interaction_ms = unix_time_ms();
    keep_open = process_input(server, client, held_by_pause);
    server.queue_write(&client);
    while (keep_open && client.conn.pending_output() > kOutputHighWater && !client.conn.failed()) {
      co_await client.conn.events().wait();
    }
    if (client.conn.failed()) break;
  }
  server.remove_client(&client);
  co_await client.conn.close(/*flush_first=*/!client.conn.failed());
}

}  // namespace tandem
