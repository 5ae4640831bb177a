// Runs one parsed request: finds the command, checks arity and authentication with Redis's
// error texts, calls the handler and accounts for it.
#pragma once

#include <span>
#include <string_view>

namespace tandem {

class Server;
struct Client;
struct CommandSpec;

void dispatch(Server& server, Client& client, std::span<const std::string_view> args);

// Redis's call(): runs a command already admitted and accounts for it (stats, slow log, latency,
// MONITOR). dispatch() uses it, and EXEC for each command it runs.
void call(Server& server, Client& client, const CommandSpec& spec,
          std::span<const std::string_view> args);

// CLIENT PAUSE: true when the pause in force holds this request back; the caller must wait for
// the pause to end and offer the request again. Requests that fail before running (unknown
// command, wrong arity, NOAUTH) are never held, as in Redis.
bool postponed_by_pause(Server& server, const Client& client,
                        std::span<const std::string_view> args);

}  // namespace tandem
