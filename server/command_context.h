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
  // Marks the dataset changed by this many writes (feeds `save` points and INFO).
  void dirty(uint64_t writes = 1) { server.stats().dirty += writes; }
};

}  // namespace tandem
