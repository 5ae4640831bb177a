// Tests for server/command_table.h as every family fills it: each entry is well formed (a handler
// or subcommands, a sane arity, lowercase names, key positions the arity allows, "parent|sub"
// subcommand names, no duplicates), and a sample of commands carries Redis 7.0.15's exact arity,
// flags and key positions (as `redis-cli COMMAND INFO <name>` prints them).
#include "server/command_table.h"

#include <gtest/gtest.h>

#include <cctype>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace tandem {
namespace {

bool is_lowercase_name(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    if (std::isupper(static_cast<unsigned char>(c)) ||
        std::isspace(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  return true;
}

// Every entry of the table, subcommands included.
std::vector<const CommandSpec*> all_entries() {
  std::vector<const CommandSpec*> out;
  CommandTable::instance().for_each([&](const CommandSpec& spec) {
    out.push_back(&spec);
    for (const CommandSpec& sub : spec.subcommands) out.push_back(&sub);
  });
  return out;
}

// The spec of "name" or "container|sub"; nullptr if not registered.
const CommandSpec* lookup(std::string_view full) {
  const CommandTable& table = CommandTable::instance();
  size_t bar = full.find('|');
  if (bar == std::string_view::npos) return table.find(full);
  const CommandSpec* container = table.find(full.substr(0, bar));
  return container ? table.find_subcommand(*container, full.substr(bar + 1)) : nullptr;
}

TEST(CommandTableTest, TableIsNotEmpty) {
  EXPECT_GT(CommandTable::instance().size(), 10u);
  EXPECT_NE(CommandTable::instance().find("command"), nullptr);
}

TEST(CommandTableTest, EveryEntryHasAHandlerOrSubcommands) {
  for (const CommandSpec* spec : all_entries()) {
    EXPECT_TRUE(spec->handler != nullptr || !spec->subcommands.empty()) << spec->name;
    // A container whose arity lets it run alone must have a handler for that case.
    if (!spec->subcommands.empty() && spec->arity == -1) {
      EXPECT_NE(spec->handler, nullptr) << spec->name;
    }
  }
}

TEST(CommandTableTest, AritiesAreSane) {
  CommandTable::instance().for_each([](const CommandSpec& spec) {
    EXPECT_NE(spec.arity, 0) << spec.name;
    EXPECT_LE(std::abs(spec.arity), 64) << spec.name;
    if (!spec.subcommands.empty()) {
      // Containers: run alone (-1) or need a subcommand (-2).
      EXPECT_TRUE(spec.arity == -1 || spec.arity == -2) << spec.name;
    }
    for (const CommandSpec& sub : spec.subcommands) {
      // The subcommand's arity counts the container and the subcommand name.
      EXPECT_GE(std::abs(sub.arity), 2) << sub.name;
      EXPECT_TRUE(sub.subcommands.empty()) << sub.name << ": subcommands do not nest";
    }
  });
}

TEST(CommandTableTest, NamesAreLowercase) {
  for (const CommandSpec* spec : all_entries()) {
    EXPECT_TRUE(is_lowercase_name(spec->name)) << "'" << spec->name << "'";
  }
}

TEST(CommandTableTest, SubcommandsAreNamedParentBarSub) {
  CommandTable::instance().for_each([](const CommandSpec& spec) {
    EXPECT_EQ(spec.name.find('|'), std::string_view::npos) << spec.name;
    std::string prefix = std::string(spec.name) + "|";
    for (const CommandSpec& sub : spec.subcommands) {
      EXPECT_TRUE(sub.name.starts_with(prefix)) << sub.name << " under " << spec.name;
      std::string_view rest = sub.name.substr(std::min(prefix.size(), sub.name.size()));
      EXPECT_FALSE(rest.empty()) << sub.name;
      EXPECT_EQ(rest.find('|'), std::string_view::npos) << sub.name;
      // What dispatch resolves "container sub" to.
      EXPECT_EQ(CommandTable::instance().find_subcommand(spec, rest), &sub) << sub.name;
    }
  });
}

TEST(CommandTableTest, KeyPositionsAgreeWithArity) {
  for (const CommandSpec* spec : all_entries()) {
    SCOPED_TRACE(std::string(spec->name));
    EXPECT_GE(spec->first_key, 0);
    if (spec->first_key == 0) {
      EXPECT_EQ(spec->last_key, 0);
      EXPECT_EQ(spec->key_step, 0);
      continue;
    }
    EXPECT_GT(spec->key_step, 0);
    // The first key is among the arguments every call has.
    EXPECT_LT(spec->first_key, std::abs(spec->arity));
    if (spec->last_key >= 0) {
      EXPECT_GE(spec->last_key, spec->first_key);
      if (spec->arity > 0) {
        EXPECT_LT(spec->last_key, spec->arity);
      }
    } else {
      // Counted from the end: -1 is the last argument; a fixed arity would not need it.
      EXPECT_LT(spec->arity, 0);
      EXPECT_GE(spec->last_key, spec->arity);
    }
    for (const KeySpec& ks : spec->key_specs) {
      EXPECT_GE(ks.begin_index, 1);
      EXPECT_GT(ks.key_step, 0);
      EXPECT_FALSE(ks.flags.empty());
    }
  }
}

TEST(CommandTableTest, NoDuplicates) {
  // Families each registered into their own table must not overlap: the shared table would keep
  // only the last registration of a name.
  using Register = void (*)(CommandTable&);
  const Register families[] = {
      register_connection_commands,    register_server_commands,     register_persistence_commands,
      register_keyspace_commands,      register_string_commands,     register_expiry_commands,
      register_introspection_commands, register_list_commands,       register_hash_commands,
      register_set_commands,           register_sorted_set_commands, register_transaction_commands,
      register_pubsub_commands,        register_sort_commands};
  std::set<std::string> seen;
  size_t total = 0;
  for (Register family : families) {
    CommandTable table;
    family(table);
    total += table.size();
    table.for_each([&](const CommandSpec& spec) {
      EXPECT_TRUE(seen.insert(std::string(spec.name)).second)
          << spec.name << " is registered by two families";
      std::set<std::string_view> subs;
      for (const CommandSpec& sub : spec.subcommands) {
        EXPECT_TRUE(subs.insert(sub.name).second) << sub.name << " is listed twice";
      }
    });
  }
  EXPECT_EQ(total, CommandTable::instance().size())
      << "a family CommandTable::instance() registers is missing from `families` above";
}

struct Expected {
  std::string_view name;
  int arity;
  uint32_t flags;
  int first_key, last_key, key_step;
};

// Redis 7.0.15's COMMAND INFO for a sample of commands (may_replicate is not shown by Redis and
// not checked here).
TEST(CommandTableTest, SampleMatchesRedis70) {
  constexpr uint32_t kLoadingStale = kCmdLoading | kCmdStale;
  constexpr uint32_t kAdmin = kCmdAdmin | kCmdNoscript | kCmdLoading | kCmdStale;
  const Expected expected[] = {
      {"get", 2, kCmdReadonly | kCmdFast, 1, 1, 1},
      {"set", -3, kCmdWrite | kCmdDenyOom, 1, 1, 1},
      {"mset", -3, kCmdWrite | kCmdDenyOom, 1, -1, 2},
      {"incr", 2, kCmdWrite | kCmdDenyOom | kCmdFast, 1, 1, 1},
      {"echo", 2, kLoadingStale | kCmdFast, 0, 0, 0},
      {"select", 2, kLoadingStale | kCmdFast, 0, 0, 0},
      {"auth", -2, kCmdNoscript | kLoadingStale | kCmdFast | kCmdNoAuth | kCmdAllowBusy, 0, 0, 0},
      {"hello", -1, kCmdNoscript | kLoadingStale | kCmdFast | kCmdNoAuth | kCmdAllowBusy, 0, 0, 0},
      {"command", -1, kLoadingStale, 0, 0, 0},
      {"command|info", -2, kLoadingStale, 0, 0, 0},
      {"command|getkeys", -4, kLoadingStale, 0, 0, 0},
      {"client", -2, 0, 0, 0, 0},
      {"client|list", -2, kAdmin, 0, 0, 0},
      {"client|kill", -3, kAdmin, 0, 0, 0},
      {"client|setname", 3, kCmdNoscript | kLoadingStale, 0, 0, 0},
      {"client|reply", 3, kCmdNoscript | kLoadingStale, 0, 0, 0},
      {"client|help", 2, kLoadingStale, 0, 0, 0},
      {"slowlog|get", -2, kCmdAdmin | kLoadingStale, 0, 0, 0},
      {"latency|latest", 2, kAdmin, 0, 0, 0},
      {"monitor", 1, kAdmin, 0, 0, 0},
  };
  for (const Expected& e : expected) {
    SCOPED_TRACE(std::string(e.name));
    const CommandSpec* spec = lookup(e.name);
    if (!spec && !e.name.starts_with("command") && !e.name.starts_with("client") &&
        !e.name.starts_with("slowlog") && !e.name.starts_with("latency") && e.name != "monitor") {
      continue;  // another family's command not registered yet
    }
    ASSERT_NE(spec, nullptr);
    EXPECT_EQ(spec->arity, e.arity);
    EXPECT_EQ(spec->flags & ~uint32_t{kCmdMayReplicate}, e.flags);
    EXPECT_EQ(spec->first_key, e.first_key);
    EXPECT_EQ(spec->last_key, e.last_key);
    EXPECT_EQ(spec->key_step, e.key_step);
  }
}

}  // namespace
}  // namespace tandem
