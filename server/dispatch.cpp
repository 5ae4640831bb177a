#include "server/dispatch.h"

#include "fmt/format.h"
#include "server/command_context.h"
#include "server/errors.h"

namespace tandem {
namespace {
// Redis quotes at most ~128 bytes of the arguments of an unknown command.
std::string quoted_args(std::span<const std::string_view> args) {
  std::string out;
  for (size_t i = 1; i < args.size() && out.size() < 128; ++i) {
    size_t room = 128 - out.size();
    fmt::format_to(std::back_inserter(out), "'{}' ", args[i].substr(0, room));
  }
  return out;
}

const CommandSpec* resolve(std::span<const std::string_view> args, Reply& reply) {
  const CommandTable& table = CommandTable::instance();
  const CommandSpec* spec = table.find(args[0]);
  if (!spec) {
    reply.error(fmt::format("ERR unknown command '{}', with args beginning with: {}",
                            args[0].substr(0, 128), quoted_args(args)));
    return nullptr;
  }
  if (!spec->subcommands.empty() && args.size() >= 2) {
    const CommandSpec* sub = table.find_subcommand(*spec, args[1]);
    if (!sub) {
      std::string upper(args[0]);
      for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      reply.error(
          fmt::format("ERR unknown subcommand '{}'. Try {} HELP.", args[1].substr(0, 128), upper));
      return nullptr;
    }
    spec = sub;
  }
  int argc = static_cast<int>(args.size());
  if ((spec->arity > 0 && argc != spec->arity) || argc < -spec->arity) {
    reply.error(fmt::format("ERR wrong number of arguments for '{}' command", spec->name));
    return nullptr;
  }
  return spec;
}
}  // namespace

void dispatch(Server& server, Client& client, std::span<const std::string_view> args) {
  size_t reply_start = client.conn.output().size();
  const CommandSpec* spec = resolve(args, client.reply);
  if (spec) {
    if (!client.authenticated && !(spec->flags & kCmdNoAuth)) {
      client.reply.error(kNoAuthError);
    } else {
      CommandContext ctx{server, client, *spec, args, client.reply, unix_time_ms()};
      spec->handler(ctx);
      client.last_command = spec->name;
      ++client.commands_processed;
      ++server.stats().commands_processed;
    }
  }
  // CLIENT REPLY OFF/SKIP: the command ran, its reply is dropped.
  switch (client.reply_mode) {
    case ReplyMode::kOn:
      break;
    case ReplyMode::kSkipNext:
      client.reply_mode = ReplyMode::kSkip;
      break;
    case ReplyMode::kSkip:
      client.reply_mode = ReplyMode::kOn;
      [[fallthrough]];
    case ReplyMode::kOff:
      client.conn.output().resize(reply_start);
      break;
  }
}

}  // namespace tandem
