// Transactions: MULTI, EXEC, DISCARD, WATCH, UNWATCH (Redis 7.0's multi.c).
#include "server/command_table.h"

namespace tandem {

void register_transaction_commands(CommandTable&) {}

}  // namespace tandem
