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

const CommandTable& CommandTable::instance() {
  static const CommandTable table = [] {
    CommandTable t;
    register_connection_commands(t);
    register_server_commands(t);
    register_persistence_commands(t);
    register_keyspace_commands(t);
    register_string_commands(t);
    register_expiry_commands(t);
    register_introspection_commands(t);
    register_list_commands(t);
    register_hash_commands(t);
    register_set_commands(t);
    register_sorted_set_commands(t);
    register_sort_commands(t);
    register_transaction_commands(t);
    register_pubsub_commands(t);
    register_memory_commands(t);
    return t;
  }();
  return table;
}

}  // namespace tandem
