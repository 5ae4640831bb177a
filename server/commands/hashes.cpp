// Hashes (Redis 7.0's t_hash.c).
#include "server/command_table.h"

namespace tandem {

void register_hash_commands(CommandTable&) {}

}  // namespace tandem
