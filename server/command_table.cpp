#include "server/command_table.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

namespace tandem {
namespace {
std::string lowercase(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

constexpr std::array<std::pair<uint32_t, std::string_view>, 16> kFlagNames{{
    {kCmdWrite, "write"},
    {kCmdReadonly, "readonly"},
    {kCmdDenyOom, "denyoom"},
    {kCmdAdmin, "admin"},
    {kCmdPubsub, "pubsub"},
    {kCmdNoscript, "noscript"},
    {kCmdBlocking, "blocking"},
    {kCmdLoading, "loading"},
    {kCmdStale, "stale"},
    {kCmdSkipMonitor, "skip_monitor"},
    {kCmdSkipSlowlog, "skip_slowlog"},
    {kCmdFast, "fast"},
    {kCmdNoAuth, "no_auth"},
    {kCmdMayReplicate, "may_replicate"},
    {kCmdNoMulti, "no_multi"},
    {kCmdAllowBusy, "allow_busy"},
}};
}  // namespace

void CommandTable::add(CommandSpec spec) {
  std::string key = lowercase(spec.name);
  commands_.insert_or_assign(std::move(key), std::move(spec));
}

const CommandSpec* CommandTable::find(std::string_view name) const {
  if (name.size() > 64) return nullptr;
  auto it = commands_.find(lowercase(name));
  return it == commands_.end() ? nullptr : &it->second;
}

const CommandSpec* CommandTable::find_subcommand(const CommandSpec& container,
                                                 std::string_view sub) const {
  std::string full = lowercase(container.name) + "|" + lowercase(sub);
  for (const auto& spec : container.subcommands) {
    if (spec.name == full) return &spec;
  }
  return nullptr;
}

std::string full_command_name(const CommandSpec& spec) { return std::string(spec.name); }

std::vector<std::string_view> flag_names(uint32_t flags) {
  std::vector<std::string_view> names;
  for (const auto& [bit, name] : kFlagNames) {
    if (flags & bit) names.push_back(name);
  }
  return names;
}

const CommandTable& CommandTable::instance() {
  static const CommandTable table = [] {
    CommandTable t;
    register_connection_commands(t);
    register_server_commands(t);
    register_keyspace_commands(t);
    register_string_commands(t);
    register_expiry_commands(t);
    register_introspection_commands(t);
    return t;
  }();
  return table;
}

}  // namespace tandem
