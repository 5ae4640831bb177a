// Which arguments of a command line are keys, as Redis 7.0 finds them (db.c's
// getKeysFromCommandWithSpecs): COMMAND GETKEYS / GETKEYSANDFLAGS answer from here.
//
// Redis first walks the command's key specs (index or keyword begin-search, then a range or a
// numkeys-counted run). When a spec does not fit the arguments (numkeys out of range or not a
// number, an "unknown" spec such as SORT's STORE), or when a spec's flags depend on the
// arguments (SET ... GET), it falls back to the command's own getkeys function, which may give
// different answers: ZUNION's counts "numkeys" with atoi and reports keys without flags, SORT
// finds STORE anywhere after its options. Both paths are reproduced, since clients (redis-cli's
// cluster mode, proxies) see the difference.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "server/command_table.h"

namespace tandem {

// One key of a command line: its argument index and the flags GETKEYSANDFLAGS reports for it
// (Redis's key-spec flags, space separated; empty when the getkeys function gives none).
struct KeyReference {
  size_t pos;
  std::string_view flags;
};

// The spec's key specs; a spec that lists none gets one derived from first/last/step, with flags
// "RO access" for readonly commands and "RW access update" otherwise.
std::vector<KeySpec> key_specs(const CommandSpec& spec);

// Redis's doesCommandHaveKeys: a key spec that is not "not_key", or a getkeys function.
bool command_has_keys(const CommandSpec& spec);

// The keys of `args` (args[0] is the command name; the caller checked the arity). Empty when the
// arguments name no keys or do not fit the specs, as Redis's result is then empty too.
std::vector<KeyReference> command_keys(const CommandSpec& spec,
                                       std::span<const std::string_view> args);

}  // namespace tandem
