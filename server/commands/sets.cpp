// Sets (Redis 7.0's t_set.c).
#include "server/command_table.h"

namespace tandem {

void register_set_commands(CommandTable&) {}

}  // namespace tandem
