// PLACEHOLDER: empty registrations until the family files land; deleted when they do.
#include "server/command_table.h"
namespace tandem {
void register_server_commands(CommandTable&) {}
void register_keyspace_commands(CommandTable&) {}
void register_string_commands(CommandTable&) {}
void register_expiry_commands(CommandTable&) {}
void register_introspection_commands(CommandTable&) {}
}  // namespace tandem
