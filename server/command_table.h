// The declarative command table: every command's name, arity, flags, key positions and docs, as
// Redis 7's src/commands/*.json describe them. Dispatch, COMMAND INFO/DOCS/COUNT, the arity and
// unknown-command errors, and (later) replication's "is this a write" all read from here.
//
// Arity follows Redis: a positive number is the exact argument count including the command name,
// a negative one the minimum. A container command (CONFIG, CLIENT, ...) lists its subcommands,
// each a full entry named "container|sub".
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace tandem {

struct CommandContext;
using CommandHandler = void (*)(CommandContext&);

// Flags with the names COMMAND INFO reports.
enum CommandFlag : uint32_t {
  kCmdWrite = 1 << 0,
  kCmdReadonly = 1 << 1,
  kCmdDenyOom = 1 << 2,
  kCmdAdmin = 1 << 3,
  kCmdPubsub = 1 << 4,
  kCmdNoscript = 1 << 5,
  kCmdBlocking = 1 << 6,
  kCmdLoading = 1 << 7,
  kCmdStale = 1 << 8,
  kCmdSkipMonitor = 1 << 9,
  kCmdSkipSlowlog = 1 << 10,
  kCmdFast = 1 << 11,
  kCmdNoAuth = 1 << 12,
  kCmdMayReplicate = 1 << 13,
  kCmdNoMulti = 1 << 14,
  kCmdAllowBusy = 1 << 15,
  kCmdAsking = 1 << 16,
  kCmdNoMandatoryKeys = 1 << 17,
  kCmdNoAsyncLoading = 1 << 18,
  // Keys are found by parsing the arguments (not a fixed range); COMMAND shows "movablekeys".
  kCmdMovableKeys = 1 << 19,
};

// One key specification as COMMAND INFO shows it (Redis 7's key-specs), for the commands whose
// keys one first/last/step range describes badly (RENAME's source and destination have different
// access flags). `flags` are Redis's, space separated: "RW access update", "OW update", ...
// The keys start at argument `begin_index`; `last_key` is relative to it (0: only that one, -1:
// up to the last argument), as Redis's "range" find_keys spec.
struct KeySpec {
  std::string_view flags;
  int begin_index = 1;
  int last_key = 0;
  int key_step = 1;
  int limit = 0;
  std::string_view notes = "";
  // Redis's "keynum" find_keys instead of "range" when keynum_index >= 0: the key count is the
  // argument at begin_index + keynum_index, the keys start at begin_index + first_key, every
  // key_step (ZUNION's "numkeys key [key ...]").
  int keynum_index = -1;
  int first_key = 1;
  // Redis's "unknown" begin_search and find_keys: keys this spec cannot locate (SORT's BY, GET
  // and STORE); GETKEYS then asks the command's getkeys function (server/command_keys.cpp).
  bool unknown = false;
};

struct CommandSpec {
  std::string_view name;
  int arity;
  uint32_t flags;
  int first_key = 0;
  int last_key = 0;
  int key_step = 0;
  CommandHandler handler = nullptr;
  // COMMAND DOCS; `args` is a compact argument synopsis redis-cli shows as a hint.
  std::string_view group = "generic";
  std::string_view summary = "";
  std::string_view since = "1.0.0";
  std::string_view complexity = "O(1)";
  std::string_view acl_categories = "";
  std::vector<CommandSpec> subcommands = {};
  // COMMAND INFO's command tips, space separated ("nondeterministic_output
  // request_policy:all_shards").
  std::string_view tips = "";
  // Key specs; when empty, COMMAND INFO derives one from first/last/step, with flags "RO access"
  // for readonly commands and "RW access update" otherwise.
  std::vector<KeySpec> key_specs = {};
  // COMMAND DOCS arguments as a synopsis in redis.io's notation, which redis-cli shows as hints:
  // "key value [NX|XX] [GET] [EX seconds|PX milliseconds|KEEPTTL]". UPPERCASE words are tokens
  // (a token followed by a name takes it as its value: "EX seconds"), other words argument
  // names, [..] optional, a|b alternatives, "x [x ...]" repetition, (..) grouping without
  // brackets ("FILTERBY (MODULE name|PATTERN pattern)"; "TYPE NORMAL|MASTER" also binds the
  // alternatives to TYPE). Parsed by server/commands/introspection.cpp.
  std::string_view args = "";
};

class CommandTable {
 public:
  void add(CommandSpec spec);
  // Case-insensitive; nullptr when unknown.
  const CommandSpec* find(std::string_view name) const;
  // Resolves "config get" to the config|get entry; the container itself if it has no such sub.
  const CommandSpec* find_subcommand(const CommandSpec& container, std::string_view sub) const;
  size_t size() const { return commands_.size(); }
  template <typename F>
  void for_each(F&& fn) const {
    for (const auto& [name, spec] : commands_) fn(spec);
  }

  // The full table with every family registered.
  static const CommandTable& instance();

 private:
  std::unordered_map<std::string, CommandSpec> commands_;
};

// Each family file registers its commands (server/commands/*.cpp).
void register_connection_commands(CommandTable& table);
void register_server_commands(CommandTable& table);
void register_persistence_commands(CommandTable& table);
void register_keyspace_commands(CommandTable& table);
void register_string_commands(CommandTable& table);
void register_expiry_commands(CommandTable& table);
void register_introspection_commands(CommandTable& table);
void register_list_commands(CommandTable& table);
void register_hash_commands(CommandTable& table);
void register_set_commands(CommandTable& table);
void register_sorted_set_commands(CommandTable& table);
void register_sort_commands(CommandTable& table);
void register_transaction_commands(CommandTable& table);
void register_pubsub_commands(CommandTable& table);
void register_memory_commands(CommandTable& table);
void register_replica_commands(CommandTable& table);
void register_replication_master_commands(CommandTable& table);

// Every family above, in registration order: CommandTable::instance() registers these.
using RegisterCommands = void (*)(CommandTable&);
std::span<const RegisterCommands> command_families();

}  // namespace tandem
