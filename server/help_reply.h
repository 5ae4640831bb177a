// Replies every container command shares, worded as Redis's addReplyHelp and
// addReplySubcommandSyntaxError.
#pragma once

#include <span>
#include <string_view>

#include "server/reply.h"

namespace tandem {

// "<COMMAND> <subcommand> [<arg> [value] [opt] ...]. Subcommands are:", the lines, then HELP's.
void reply_help(Reply& reply, std::string_view command, std::span<const std::string_view> lines);
// "ERR unknown subcommand or wrong number of arguments for '<sub>'. Try <COMMAND> HELP."
void reply_subcommand_syntax_error(Reply& reply, std::string_view command,
                                   std::string_view subcommand);

}  // namespace tandem
