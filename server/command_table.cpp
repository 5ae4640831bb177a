#include "server/command_table.h"

#include <utility>

#include "server/args.h"

namespace tandem {

void CommandTable::add(CommandSpec spec) {
  std::string key = ascii_lower(spec.name);
  commands_.insert_or_assign(std::move(key), std::move(spec));
}

const CommandSpec* CommandTable::find(std::string_view name) const {
  if (name.size() > 64) return nullptr;
  auto it = commands_.find(ascii_lower(name));
  return it == commands_.end() ? nullptr : &it->second;
}

const CommandSpec* CommandTable::find_subcommand(const CommandSpec& container,
                                                 std::string_view sub) const {
  std::string full = ascii_lower(container.name) + "|" + ascii_lower(sub);
  for (const auto& spec : container.subcommands) {
    if (spec.name == full) return &spec;
  }
  return nullptr;
}

std::span<const RegisterCommands> command_families() {
  static const RegisterCommands families[] = {
      register_connection_commands,
      register_server_commands,
      register_persistence_commands,
      register_keyspace_commands,
      register_string_commands,
      register_expiry_commands,
      register_introspection_commands,
      register_list_commands,
      register_hash_commands,
      register_set_commands,
      register_sorted_set_commands,
      register_sort_commands,
      register_transaction_commands,
      register_pubsub_commands,
      register_memory_commands,
      register_replica_commands,
      register_replication_master_commands,
  };
  return families;
}

const CommandTable& CommandTable::instance() {
  static const CommandTable table = [] {
    CommandTable t;
    for (RegisterCommands family : command_families()) family(t);
    return t;
  }();
  return table;
}

}  // namespace tandem
