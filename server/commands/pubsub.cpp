// Pub/sub (Redis 7.0's pubsub.c).
#include "server/command_table.h"

namespace tandem {

void register_pubsub_commands(CommandTable&) {}

}  // namespace tandem
