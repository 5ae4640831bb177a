// What a command handler sees: the server, the calling client, its arguments (args[0] is the
// command name as sent) and where to write the reply.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "server/client.h"
#include "server/command_table.h"
#include "server/server.h"

namespace tandem {

struct CommandContext {
  Server& server;
  Client& client;
  const CommandSpec& spec;
  std::span<const std::string_view> args;
  Reply& reply;
  int64_t now_ms;

  Database& db() { return server.keyspace().db(client.db); }
  size_t argc() const { return args.size(); }
  // Redis's lookupKeyRead: the live entry or nullptr, counted as a keyspace hit or miss.
  // `touch` updates the LRU clock (false for OBJECT, TTL and other no-touch lookups).
  Database::Entry* lookup_read(Database& database, std::string_view key, bool touch = true) {
    auto* e = touch ? database.find(key, now_ms) : database.peek(key, now_ms);
    ++(e ? server.stats().keyspace_hits : server.stats().keyspace_misses);
    return e;
  }
  Database::Entry* lookup_read(std::string_view key) { return lookup_read(db(), key); }
  // Marks the dataset changed by this many writes (feeds `save` points and INFO).
  void dirty(uint64_t writes = 1) { server.stats().dirty += writes; }
  // Redis's signalModifiedKey for a value edited in place (LPUSH to an existing list, HSET, ...):
  // fails the EXEC of clients WATCHing it. Storing, deleting and expiring keys signal by
  // themselves (the keyspace's on_modified hook).
  void signal_modified_key(std::string_view key) { server.watched_keys().touch(client.db, key); }
};

}  // namespace tandem
