#include "server/help_reply.h"

#include "fmt/format.h"
#include "server/args.h"

namespace tandem {

void reply_help(Reply& reply, std::string_view command, std::span<const std::string_view> lines) {
  reply.array(static_cast<int64_t>(lines.size()) + 3);
  reply.simple(fmt::format("{} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:", command));
  for (std::string_view line : lines) reply.simple(line);
  reply.simple("HELP");
  reply.simple("    Prints this help.");
}

void reply_subcommand_syntax_error(Reply& reply, std::string_view command,
                                   std::string_view subcommand) {
  reply.error(
      fmt::format("ERR unknown subcommand or wrong number of arguments for '{}'. Try {} HELP.",
                  subcommand.substr(0, 128), ascii_upper(command)));
}

}  // namespace tandem
