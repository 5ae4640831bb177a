// Sorted sets (Redis 7.0's t_zset.c).
#include "server/command_table.h"

namespace tandem {

void register_sorted_set_commands(CommandTable&) {}

}  // namespace tandem
