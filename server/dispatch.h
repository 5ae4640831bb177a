// Runs one parsed request: finds the command, checks arity and authentication with Redis's
// error texts, calls the handler and accounts for it.
#pragma once

#include <span>
#include <string_view>

namespace tandem {

class Server;
struct Client;

void dispatch(Server& server, Client& client, std::span<const std::string_view> args);

}  // namespace tandem
