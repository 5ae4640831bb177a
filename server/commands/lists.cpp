// Lists (Redis 7.0's t_list.c).
#include "server/command_table.h"

namespace tandem {

void register_list_commands(CommandTable&) {}

}  // namespace tandem
