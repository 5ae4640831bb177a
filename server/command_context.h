// What a command handler sees: the server, the calling client, its arguments (args[0] is the
// command name as sent) and where to write the reply.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "server/client.h"
#include "server/command_table.h"
#include "server/config.h"
#include "server/keyspace_events.h"
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
  // A miss is a "keymiss" keyspace event unless `notify_miss` is false (OBJECT).
  Database::Entry* lookup_read(Database& database, std::string_view key, bool touch = true,
                               bool notify_miss = true) {
    auto* e = touch ? database.find(key, now_ms) : database.peek(key, now_ms);
    ++(e ? server.stats().keyspace_hits : server.stats().keyspace_misses);
    if (!e && notify_miss) {
      notify_keyspace_event(server, kNotifyKeyMiss, "keymiss", key, database.index());
    }
    return e;
  }
  Database::Entry* lookup_read(std::string_view key) { return lookup_read(db(), key); }
  // Redis's lookupKeyWrite: the live entry or nullptr; no hit/miss counting.
  Database::Entry* lookup_write(std::string_view key) { return db().find(key, now_ms); }
  // Publishes a keyspace notification for `key` in the client's database (keyspace_events.h).
  void notify(int type, std::string_view event, std::string_view key) {
    notify_keyspace_event(server, type, event, key, client.db);
  }
  // Marks the dataset changed by this many writes (feeds `save` points and INFO).
  void dirty(uint64_t writes = 1) { server.stats().dirty += writes; }
  // Redis's signalModifiedKey for a value edited in place (LPUSH to an existing list, HSET, ...):
  // fails the EXEC of clients WATCHing it. Storing, deleting and expiring keys signal by
  // themselves (the keyspace's on_modified hook).
  void signal_modified_key(std::string_view key) { server.watched_keys().touch(client.db, key); }

  // Replication (replication/propagation.h). A command that wrote reaches replicas as called
  // unless its handler says otherwise, the way Redis's commands do:
  // Send `args` instead (rewriteClientCommandVector): SET EX -> SET PXAT, BLPOP -> LPOP, ...
  void propagate_as(std::vector<std::string> args) {
    server.propagation().rewrite(std::move(args));
  }
  // Send the deletion of `key` instead, as UNLINK when the lazyfree-lazy-* setting that
  // governs this deletion is on (Redis names the lazy form).
  void propagate_as_deletion(std::string_view key, bool lazyfree) {
    propagate_as({lazyfree ? "UNLINK" : "DEL", std::string(key)});
  }
  // Send `args` too, in this database, before this command's own form (alsoPropagate).
  void also_propagate(std::vector<std::string> args) {
    server.propagation().also_propagate(client.db, std::move(args));
  }
  // Send nothing for this command itself (preventCommandPropagation).
  void prevent_propagation() { server.propagation().prevent(); }
  // Send this command even though it changed no data (forceCommandPropagation): PUBLISH.
  void force_propagation() { server.propagation().force(); }
};

}  // namespace tandem
