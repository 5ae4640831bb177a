#include "server/command_keys.h"

#include <cstdlib>
#include <optional>
#include <string>
#include <unordered_map>

#include "server/args.h"
#include "storage/value.h"

namespace tandem {
namespace {

bool has_flag(const KeySpec& ks, std::string_view word) {
  std::string_view flags = ks.flags;
  while (!flags.empty()) {
    size_t space = flags.find(' ');
    if (iequals(flags.substr(0, space), word)) return true;
    if (space == std::string_view::npos) break;
    flags.remove_prefix(space + 1);
  }
  return false;
}

// Redis's getKeysUsingKeySpecs; nullopt where Redis returns -1 (a spec that does not fit).
std::optional<std::vector<KeyReference>> keys_from_specs(const CommandSpec& spec,
                                                         std::span<const std::string_view> args) {
  std::vector<KeyReference> keys;
  const int argc = static_cast<int>(args.size());
  for (const KeySpec& ks : key_specs(spec)) {
    if (has_flag(ks, "not_key")) continue;
    if (ks.unknown) return std::nullopt;
    int first = ks.begin_index;
    int last = 0;
    int step = ks.key_step;
    if (ks.keynum_index < 0) {
      if (ks.last_key >= 0) {
        last = first + ks.last_key;
      } else if (ks.limit == 0) {
        last = argc + ks.last_key;
      } else {
        last = first + ((argc - first) / ks.limit + ks.last_key);
      }
    } else {
      int at = first + ks.keynum_index;
      int64_t numkeys = 0;
      if (ks.keynum_index >= argc || at >= argc) return std::nullopt;
      if (!parse_int64(args[static_cast<size_t>(at)], numkeys) || numkeys < 0) return std::nullopt;
      first += ks.first_key;
      last = first + static_cast<int>(numkeys) - 1;  // Redis's (int) cast, wrap included
    }
    if (last >= argc || last < first || first >= argc) return std::nullopt;
    // A negative-arity command may have fewer arguments than a spec's step expects.
    for (int i = first; i <= last && i < argc; i += step) {
      keys.push_back({static_cast<size_t>(i), ks.flags});
    }
    if (has_flag(ks, "incomplete")) return std::nullopt;
  }
  return keys;
}

// --- the getkeys functions (Redis's *GetKeys in db.c) ------------------------------------------

// genericGetKeys: `numkeys` read with atoi at `count_at`, keys from `first_at` every `step`, the
// destination at `store_at` (0: none) last. No flags: Redis's function sets none.
std::vector<KeyReference> numkeys_keys(std::span<const std::string_view> args, size_t store_at,
                                       size_t count_at, size_t first_at, size_t step) {
  std::string count_text(args[count_at]);
  int num = static_cast<int>(std::strtol(count_text.c_str(), nullptr, 10));
  int argc = static_cast<int>(args.size());
  if (num < 1 || num > (argc - static_cast<int>(first_at)) / static_cast<int>(step)) return {};
  std::vector<KeyReference> keys;
  for (int i = 0; i < num; ++i) keys.push_back({first_at + static_cast<size_t>(i) * step, ""});
  if (store_at) keys.push_back({store_at, ""});
  return keys;
}

std::vector<KeyReference> source_numkeys_keys(std::span<const std::string_view> args) {
  return numkeys_keys(args, 0, 1, 2, 1);  // ZUNION, LMPOP, ZMPOP, SINTERCARD, ZINTERCARD
}

std::vector<KeyReference> store_numkeys_keys(std::span<const std::string_view> args) {
  return numkeys_keys(args, 1, 2, 3, 1);  // ZUNIONSTORE, ZINTERSTORE, ZDIFFSTORE
}

std::vector<KeyReference> blocking_numkeys_keys(std::span<const std::string_view> args) {
  return numkeys_keys(args, 0, 2, 3, 1);  // BLMPOP, BZMPOP (after the timeout)
}

// sortGetKeys: the sorted key, and the argument of the last STORE. LIMIT skips two arguments, BY
// and GET one (their patterns name keys only through the sorted values, so they are not
// reported), so "SORT k BY store STORE dst" reports "dst", not BY's pattern "store".
std::vector<KeyReference> sort_keys(std::span<const std::string_view> args) {
  std::vector<KeyReference> keys{{1, "RO access"}};
  std::optional<size_t> store;
  for (size_t i = 2; i < args.size(); ++i) {
    if (iequals(args[i], "limit")) {
      i += 2;
    } else if (iequals(args[i], "store")) {
      if (i + 1 < args.size()) store = i + 1;
    } else if (iequals(args[i], "get") || iequals(args[i], "by")) {
      i += 1;
    }
  }
  if (store) keys.push_back({*store, "OW update"});
  return keys;
}

std::vector<KeyReference> sort_ro_keys(std::span<const std::string_view>) {
  return {{1, "RO access"}};
}

// setGetKeys: SET's key is read too when GET is given (exactly "get", any case, from the third
// argument on).
std::vector<KeyReference> set_keys(std::span<const std::string_view> args) {
  for (size_t i = 3; i < args.size(); ++i) {
    if (iequals(args[i], "get")) return {{1, "RW access update"}};
  }
  return {{1, "OW update"}};
}

using GetKeysFunction = std::vector<KeyReference> (*)(std::span<const std::string_view>);

// The commands Redis gives a getkeys function (their JSON's "get_keys_function").
GetKeysFunction getkeys_function(const CommandSpec& spec) {
  static const std::unordered_map<std::string_view, GetKeysFunction> kFunctions{
      {"set", set_keys},
      {"sort", sort_keys},
      {"sort_ro", sort_ro_keys},
      {"zunion", source_numkeys_keys},
      {"zinter", source_numkeys_keys},
      {"zdiff", source_numkeys_keys},
      {"zintercard", source_numkeys_keys},
      {"sintercard", source_numkeys_keys},
      {"lmpop", source_numkeys_keys},
      {"zmpop", source_numkeys_keys},
      {"zunionstore", store_numkeys_keys},
      {"zinterstore", store_numkeys_keys},
      {"zdiffstore", store_numkeys_keys},
      {"blmpop", blocking_numkeys_keys},
      {"bzmpop", blocking_numkeys_keys},
  };
  auto it = kFunctions.find(spec.name);
  return it == kFunctions.end() ? nullptr : it->second;
}

}  // namespace

std::vector<KeySpec> key_specs(const CommandSpec& spec) {
  if (!spec.key_specs.empty() || spec.first_key <= 0) return spec.key_specs;
  KeySpec derived{.flags = (spec.flags & kCmdReadonly) ? "RO access" : "RW access update",
                  .begin_index = spec.first_key,
                  .last_key = spec.last_key < 0 ? spec.last_key : spec.last_key - spec.first_key,
                  .key_step = spec.key_step > 0 ? spec.key_step : 1};
  return {derived};
}

bool command_has_keys(const CommandSpec& spec) {
  if (getkeys_function(spec)) return true;
  for (const KeySpec& ks : key_specs(spec)) {
    if (!has_flag(ks, "not_key")) return true;
  }
  return false;
}

std::vector<KeyReference> command_keys(const CommandSpec& spec,
                                       std::span<const std::string_view> args) {
  bool has_keyspec = false;
  bool variable_flags = false;
  for (const KeySpec& ks : key_specs(spec)) {
    has_keyspec |= !has_flag(ks, "not_key");
    variable_flags |= has_flag(ks, "variable_flags");
  }
  if (has_keyspec && !variable_flags) {
    if (auto keys = keys_from_specs(spec, args)) return std::move(*keys);
  }
  if (GetKeysFunction function = getkeys_function(spec)) return function(args);
  return {};
}

}  // namespace tandem
