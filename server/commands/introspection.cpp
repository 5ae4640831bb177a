// Introspection commands: COMMAND (the command table as Redis 7.0 reports it), CLIENT (the
// connected clients: names, listing, killing, pausing, reply modes), SLOWLOG, LATENCY and
// MONITOR.
//
// Everything COMMAND answers is read from the CommandTable, so a family that registers a command
// gets its COMMAND INFO / DOCS / LIST / GETKEYS entry for free. Redis's ACL categories are the
// union of what a spec lists and what its flags imply (write -> @write, fast -> @fast, else
// @slow, ...), printed in Redis's category order, so a spec may list all of them or only the
// explicit ones; a spec that lists none gets its group's category (@string, @keyspace, ...).
//
// The slow log, the latency samples and the MONITOR feed are produced by dispatch.cpp after each
// command; CLIENT PAUSE is enforced by client_session.cpp, which parks a held client until the
// server wakes it (server.cpp).
#include <algorithm>
#include <array>
#include <cctype>
#include <climits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fmt/format.h"
#include "replication/replication.h"
#include "server/args.h"
#include "server/command_context.h"
#include "server/command_keys.h"
#include "server/errors.h"
#include "server/glob.h"
#include "server/help_reply.h"
#include "storage/value.h"

namespace tandem {
namespace {

std::vector<std::string_view> split_words(std::string_view s) {
  std::vector<std::string_view> words;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ') ++i;
    size_t start = i;
    while (i < s.size() && s[i] != ' ') ++i;
    if (i > start) words.push_back(s.substr(start, i - start));
  }
  return words;
}

void reply_subcommand_syntax_error(CommandContext& ctx) {
  reply_subcommand_syntax_error(ctx.reply, ctx.args[0], ctx.args[1]);
}

// --- the command table as COMMAND reports it ---------------------------------------------------

// Redis's flag names in the order COMMAND INFO lists them; may_replicate is hidden, as in Redis.
constexpr std::array<std::pair<uint32_t, std::string_view>, 19> kReportedFlags{{
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
    {kCmdAsking, "asking"},
    {kCmdFast, "fast"},
    {kCmdNoAuth, "no_auth"},
    {kCmdNoMandatoryKeys, "no_mandatory_keys"},
    {kCmdNoAsyncLoading, "no_async_loading"},
    {kCmdNoMulti, "no_multi"},
    {kCmdMovableKeys, "movablekeys"},
    {kCmdAllowBusy, "allow_busy"},
}};

// Redis's ACL categories, in the order it reports them.
constexpr std::array<std::string_view, 21> kAclCategories{
    "keyspace", "read",   "write",       "set",       "sortedset",  "list",        "hash",
    "string",   "bitmap", "hyperloglog", "geo",       "stream",     "pubsub",      "admin",
    "fast",     "slow",   "blocking",    "dangerous", "connection", "transaction", "scripting"};

size_t category_index(std::string_view name) {
  if (!name.empty() && name[0] == '@') name.remove_prefix(1);
  for (size_t i = 0; i < kAclCategories.size(); ++i) {
    if (iequals(kAclCategories[i], name)) return i;
  }
  return kAclCategories.size();
}

// The category a spec that lists none gets from its group: what Redis's command JSON files
// list for most commands of that group (DEL, TTL... are @keyspace; PING, ECHO... @connection).
std::string_view group_category(std::string_view group) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 14> kByGroup{{
      {"generic", "keyspace"},
      {"string", "string"},
      {"list", "list"},
      {"set", "set"},
      {"sorted-set", "sortedset"},
      {"hash", "hash"},
      {"bitmap", "bitmap"},
      {"hyperloglog", "hyperloglog"},
      {"geo", "geo"},
      {"stream", "stream"},
      {"pubsub", "pubsub"},
      {"connection", "connection"},
      {"transactions", "transaction"},
      {"scripting", "scripting"},
  }};
  for (const auto& [name, category] : kByGroup) {
    if (name == group) return category;
  }
  return {};
}

// The spec's categories plus those its flags imply (Redis's setImplicitACLCategories).
std::vector<std::string_view> acl_categories(const CommandSpec& spec) {
  std::array<bool, kAclCategories.size()> member{};
  for (std::string_view word : split_words(spec.acl_categories)) {
    if (size_t i = category_index(word); i < member.size()) member[i] = true;
  }
  auto add = [&](std::string_view name) { member[category_index(name)] = true; };
  if (spec.acl_categories.empty() && spec.subcommands.empty()) {
    if (std::string_view category = group_category(spec.group); !category.empty()) add(category);
  }
  if (spec.flags & kCmdWrite) add("write");
  if ((spec.flags & kCmdReadonly) && !member[category_index("scripting")]) add("read");
  if (spec.flags & kCmdAdmin) {
    add("admin");
    add("dangerous");
  }
  if (spec.flags & kCmdPubsub) add("pubsub");
  if (spec.flags & kCmdFast) add("fast");
  if (spec.flags & kCmdBlocking) add("blocking");
  if (!member[category_index("fast")]) add("slow");
  std::vector<std::string_view> out;
  for (size_t i = 0; i < member.size(); ++i) {
    if (member[i]) out.push_back(kAclCategories[i]);
  }
  return out;
}

void reply_key_spec(Reply& reply, const KeySpec& ks) {
  bool has_notes = !ks.notes.empty();
  reply.map(has_notes ? 4 : 3);
  if (has_notes) {
    reply.bulk("notes");
    reply.bulk(ks.notes);
  }
  reply.bulk("flags");
  std::vector<std::string_view> flags = split_words(ks.flags);
  reply.set(static_cast<int64_t>(flags.size()));
  for (std::string_view f : flags) reply.simple(f);
  reply.bulk("begin_search");
  if (ks.unknown) {
    // Redis's "unknown" begin_search and find_keys: a type and an empty spec each.
    auto unknown = [&] {
      reply.map(2);
      reply.bulk("type");
      reply.bulk("unknown");
      reply.bulk("spec");
      reply.map(0);
    };
    unknown();
    reply.bulk("find_keys");
    unknown();
    return;
  }
  reply.map(2);
  reply.bulk("type");
  reply.bulk("index");
  reply.bulk("spec");
  reply.map(1);
  reply.bulk("index");
  reply.integer(ks.begin_index);
  reply.bulk("find_keys");
  reply.map(2);
  reply.bulk("type");
  if (ks.keynum_index >= 0) {
    reply.bulk("keynum");
    reply.bulk("spec");
    reply.map(3);
    reply.bulk("keynumidx");
    reply.integer(ks.keynum_index);
    reply.bulk("firstkey");
    reply.integer(ks.first_key);
    reply.bulk("keystep");
    reply.integer(ks.key_step);
    return;
  }
  reply.bulk("range");
  reply.bulk("spec");
  reply.map(3);
  reply.bulk("lastkey");
  reply.integer(ks.last_key);
  reply.bulk("keystep");
  reply.integer(ks.key_step);
  reply.bulk("limit");
  reply.integer(ks.limit);
}

// One COMMAND / COMMAND INFO entry (Redis's addReplyCommandInfo).
void reply_command_info(Reply& reply, const CommandSpec& spec) {
  reply.array(10);
  reply.bulk(spec.name);
  reply.integer(spec.arity);
  std::vector<std::string_view> flags;
  for (const auto& [bit, name] : kReportedFlags) {
    if (spec.flags & bit) flags.push_back(name);
  }
  reply.set(static_cast<int64_t>(flags.size()));
  for (std::string_view f : flags) reply.simple(f);
  reply.integer(spec.first_key);
  reply.integer(spec.last_key);
  reply.integer(spec.key_step);
  std::vector<std::string_view> categories = acl_categories(spec);
  reply.set(static_cast<int64_t>(categories.size()));
  for (std::string_view c : categories) reply.simple(fmt::format("@{}", c));
  std::vector<std::string_view> tips = split_words(spec.tips);
  reply.set(static_cast<int64_t>(tips.size()));
  for (std::string_view t : tips) reply.bulk(t);
  std::vector<KeySpec> specs = key_specs(spec);
  reply.set(static_cast<int64_t>(specs.size()));
  for (const KeySpec& ks : specs) reply_key_spec(reply, ks);
  if (spec.subcommands.empty()) {
    reply.set(0);
  } else {
    reply.array(static_cast<int64_t>(spec.subcommands.size()));
    for (const CommandSpec& sub : spec.subcommands) reply_command_info(reply, sub);
  }
}

// --- COMMAND DOCS arguments from a spec's synopsis ---------------------------------------------

// One argument of COMMAND DOCS (Redis's redisCommandArg), which redis-cli renders as a hint.
struct DocArg {
  std::string name{};
  std::string type{};
  std::string token{};
  bool optional = false;
  bool multiple = false;
  bool multiple_token = false;
  std::vector<DocArg> arguments{};
  int key_spec_index = -1;  // for a key: the key spec that finds it
};

// Numbers the key arguments in order as the key specs that find them (Redis's key_spec_index):
// the n-th key argument belongs to the n-th spec, the last spec taking any extra.
void number_key_arguments(std::vector<DocArg>& args, int spec_count, int& next) {
  for (DocArg& arg : args) {
    if (arg.type == "key" && spec_count > 0) arg.key_spec_index = std::min(next++, spec_count - 1);
    number_key_arguments(arg.arguments, spec_count, next);
  }
}

std::string_view argument_type(std::string_view name) {
  static constexpr std::array<std::string_view, 14> kIntegers{
      "count", "timeout", "seconds", "milliseconds", "index",   "offset",    "start",
      "end",   "db",      "port",    "client-id",    "numkeys", "increment", "limit"};
  if (name == "key" || name.ends_with("key")) return "key";
  if (name.starts_with("unix-time")) return "unix-time";
  if (name == "pattern") return "pattern";
  if (std::find(kIntegers.begin(), kIntegers.end(), name) != kIntegers.end()) return "integer";
  return "string";
}

// Parses the notation CommandSpec::args documents. Malformed input never fails: whatever
// cannot be read is skipped, so a typo costs a hint, not a crash.
class SynopsisParser {
 public:
  explicit SynopsisParser(std::string_view text) : text_(text) {}

  std::vector<DocArg> parse() {
    DocArg top = alternatives();
    bool plain_block = top.type == "block" && !top.optional && !top.multiple && top.token.empty();
    if (plain_block) return std::move(top.arguments);
    if (top.type.empty()) return {};
    return {std::move(top)};
  }

 private:
  static bool is_special(char c) {
    return c == ' ' || c == '[' || c == ']' || c == '(' || c == ')' || c == '|';
  }
  static bool is_token(std::string_view w) {
    bool letter = false;
    for (char c : w) {
      if (std::islower(static_cast<unsigned char>(c))) return false;
      letter |= std::isupper(static_cast<unsigned char>(c)) != 0;
    }
    return letter;
  }
  void skip_spaces() {
    while (pos_ < text_.size() && text_[pos_] == ' ') ++pos_;
  }
  char peek() {
    skip_spaces();
    return pos_ < text_.size() ? text_[pos_] : '\0';
  }
  bool consume(char c) {
    if (peek() != c) return false;
    ++pos_;
    return true;
  }
  std::string_view word() {
    skip_spaces();
    size_t start = pos_;
    while (pos_ < text_.size() && !is_special(text_[pos_])) ++pos_;
    return text_.substr(start, pos_ - start);
  }
  std::string_view peek_word() {
    size_t saved = pos_;
    std::string_view w = word();
    pos_ = saved;
    return w;
  }
  // "x [x ...]": consumes the repetition if the text at the cursor repeats `repeated`.
  bool consume_repetition(std::string_view repeated) {
    skip_spaces();
    std::string expected = fmt::format("[{} ...]", repeated);
    if (repeated.empty() || text_.substr(pos_).substr(0, expected.size()) != expected) {
      return false;
    }
    pos_ += expected.size();
    return true;
  }

  static DocArg as_one(std::vector<DocArg> items) {
    if (items.size() == 1) return std::move(items.front());
    DocArg block{.type = "block"};
    for (const DocArg& a : items) block.name += (block.name.empty() ? "" : "-") + a.name;
    block.arguments = std::move(items);
    return block;
  }

  DocArg alternatives() {
    std::vector<std::vector<DocArg>> options;
    options.push_back(sequence());
    while (consume('|')) options.push_back(sequence());
    std::erase_if(options, [](const std::vector<DocArg>& o) { return o.empty(); });
    if (options.empty()) return {};
    if (options.size() == 1) return as_one(std::move(options.front()));
    DocArg oneof{.type = "oneof"};
    for (auto& option : options) {
      oneof.arguments.push_back(as_one(std::move(option)));
      oneof.name += (oneof.name.empty() ? "" : "-") + oneof.arguments.back().name;
    }
    return oneof;
  }

  std::vector<DocArg> sequence() {
    std::vector<DocArg> items;
    for (;;) {
      char c = peek();
      if (c == '\0' || c == ']' || c == ')' || c == '|') break;
      size_t before = pos_;
      if (std::optional<DocArg> arg = item()) items.push_back(std::move(*arg));
      if (pos_ == before) ++pos_;  // unreadable: skip a character rather than loop
    }
    return items;
  }

  // A token's operand: "(group)", a name, or "A|B|C" tokens (as in "TYPE NORMAL|MASTER").
  std::optional<DocArg> operand(std::string_view& text) {
    skip_spaces();
    size_t start = pos_;
    if (consume('(')) {
      DocArg group = alternatives();
      consume(')');
      text = text_.substr(start, pos_ - start);
      return group;
    }
    std::string_view next = peek_word();
    if (next.empty() || next == "...") return std::nullopt;
    if (!is_token(next)) {
      word();
      text = next;
      return DocArg{.name = std::string(next), .type = std::string(argument_type(next))};
    }
    size_t after = pos_;
    word();
    if (pos_ >= text_.size() || text_[pos_] != '|') {
      pos_ = after;
      return std::nullopt;
    }
    DocArg oneof{.type = "oneof"};
    oneof.arguments.push_back(
        {.name = ascii_lower(next), .type = "pure-token", .token = std::string(next)});
    while (pos_ < text_.size() && text_[pos_] == '|') {
      ++pos_;
      std::string_view alt = word();
      if (alt.empty()) break;
      oneof.arguments.push_back(
          {.name = ascii_lower(alt), .type = "pure-token", .token = std::string(alt)});
    }
    for (const DocArg& a : oneof.arguments) oneof.name += (oneof.name.empty() ? "" : "-") + a.name;
    text = text_.substr(start, pos_ - start);
    return oneof;
  }

  std::optional<DocArg> item() {
    skip_spaces();
    size_t start = pos_;
    DocArg arg;
    std::string_view operand_text;
    if (consume('[')) {
      arg = alternatives();
      consume(']');
      if (arg.type.empty()) return std::nullopt;
      arg.optional = true;
    } else if (consume('(')) {
      arg = alternatives();
      consume(')');
      if (arg.type.empty()) return std::nullopt;
    } else {
      std::string_view w = word();
      if (w.empty() || w == "...") return std::nullopt;
      if (is_token(w)) {
        if (std::optional<DocArg> value = operand(operand_text)) {
          arg = std::move(*value);
        } else {
          arg.name = ascii_lower(w);
          arg.type = "pure-token";
        }
        arg.token = w;
      } else {
        arg.name = w;
        arg.type = argument_type(w);
      }
    }
    std::string_view text = text_.substr(start, pos_ - start);
    while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
    if (consume_repetition(text)) {
      arg.multiple = true;
      arg.multiple_token = !arg.token.empty() && arg.type != "pure-token";
    } else if (!operand_text.empty() && consume_repetition(operand_text)) {
      arg.multiple = true;
    }
    return arg;
  }

  std::string_view text_;
  size_t pos_ = 0;
};

void reply_doc_arg(Reply& reply, const DocArg& arg) {
  std::vector<std::string_view> flags;
  if (arg.optional) flags.push_back("optional");
  if (arg.multiple) flags.push_back("multiple");
  if (arg.multiple_token) flags.push_back("multiple_token");
  int64_t fields =
      2 + (arg.key_spec_index >= 0) + !arg.token.empty() + !flags.empty() + !arg.arguments.empty();
  reply.map(fields);
  reply.bulk("name");
  reply.bulk(arg.name);
  reply.bulk("type");
  reply.bulk(arg.type);
  if (arg.key_spec_index >= 0) {
    reply.bulk("key_spec_index");
    reply.integer(arg.key_spec_index);
  }
  if (!arg.token.empty()) {
    reply.bulk("token");
    reply.bulk(arg.token);
  }
  if (!flags.empty()) {
    reply.bulk("flags");
    reply.set(static_cast<int64_t>(flags.size()));
    for (std::string_view f : flags) reply.simple(f);
  }
  if (!arg.arguments.empty()) {
    reply.bulk("arguments");
    reply.array(static_cast<int64_t>(arg.arguments.size()));
    for (const DocArg& a : arg.arguments) reply_doc_arg(reply, a);
  }
}

// One COMMAND DOCS value (Redis's addReplyCommandDocs).
void reply_command_docs(Reply& reply, const CommandSpec& spec) {
  std::vector<DocArg> arguments = SynopsisParser(spec.args).parse();
  int next_key = 0;
  number_key_arguments(arguments, static_cast<int>(key_specs(spec).size()), next_key);
  int64_t fields = 2 + !spec.summary.empty() + !spec.complexity.empty() + !arguments.empty() +
                   !spec.subcommands.empty();
  reply.map(fields);
  if (!spec.summary.empty()) {
    reply.bulk("summary");
    reply.bulk(spec.summary);
  }
  reply.bulk("since");
  reply.bulk(spec.since);
  reply.bulk("group");
  reply.bulk(spec.group);
  if (!spec.complexity.empty()) {
    reply.bulk("complexity");
    reply.bulk(spec.complexity);
  }
  if (!arguments.empty()) {
    reply.bulk("arguments");
    reply.array(static_cast<int64_t>(arguments.size()));
    for (const DocArg& a : arguments) reply_doc_arg(reply, a);
  }
  if (!spec.subcommands.empty()) {
    reply.bulk("subcommands");
    reply.map(static_cast<int64_t>(spec.subcommands.size()));
    for (const CommandSpec& sub : spec.subcommands) {
      reply.bulk(sub.name);
      reply_command_docs(reply, sub);
    }
  }
}

// Redis's lookupCommandBySds: "get", or "config|get" for a subcommand.
const CommandSpec* lookup_by_full_name(std::string_view name) {
  const CommandTable& table = CommandTable::instance();
  size_t bar = name.find('|');
  if (bar == std::string_view::npos) return table.find(name);
  const CommandSpec* container = table.find(name.substr(0, bar));
  if (!container || name.find('|', bar + 1) != std::string_view::npos) return nullptr;
  return table.find_subcommand(*container, name.substr(bar + 1));
}

// Redis's lookupCommand over a full command line: the subcommand when there is one.
const CommandSpec* lookup_command_line(std::span<const std::string_view> args) {
  const CommandTable& table = CommandTable::instance();
  const CommandSpec* spec = table.find(args[0]);
  if (!spec || spec->subcommands.empty() || args.size() < 2) return spec;
  return table.find_subcommand(*spec, args[1]);
}

void command_command(CommandContext& ctx) {
  const CommandTable& table = CommandTable::instance();
  ctx.reply.array(static_cast<int64_t>(table.size()));
  table.for_each([&](const CommandSpec& spec) { reply_command_info(ctx.reply, spec); });
}

void command_count_command(CommandContext& ctx) {
  ctx.reply.integer(static_cast<int64_t>(CommandTable::instance().size()));
}

void command_info_command(CommandContext& ctx) {
  if (ctx.argc() == 2) return command_command(ctx);
  ctx.reply.array(static_cast<int64_t>(ctx.argc() - 2));
  for (size_t i = 2; i < ctx.argc(); ++i) {
    if (const CommandSpec* spec = lookup_by_full_name(ctx.args[i])) {
      reply_command_info(ctx.reply, *spec);
    } else {
      ctx.reply.null();
    }
  }
}

void command_docs_command(CommandContext& ctx) {
  const CommandTable& table = CommandTable::instance();
  if (ctx.argc() == 2) {
    ctx.reply.map(static_cast<int64_t>(table.size()));
    table.for_each([&](const CommandSpec& spec) {
      ctx.reply.bulk(spec.name);
      reply_command_docs(ctx.reply, spec);
    });
    return;
  }
  size_t mark = ctx.reply.begin_deferred();
  int64_t found = 0;
  for (size_t i = 2; i < ctx.argc(); ++i) {
    if (const CommandSpec* spec = lookup_by_full_name(ctx.args[i])) {
      ctx.reply.bulk(spec->name);
      reply_command_docs(ctx.reply, *spec);
      ++found;
    }
  }
  ctx.reply.end_deferred_map(mark, found);
}

void command_list_command(CommandContext& ctx) {
  enum class Filter { kNone, kModule, kAclCategory, kPattern } filter = Filter::kNone;
  std::string_view filter_arg;
  for (size_t i = 2; i < ctx.argc(); i += 3) {
    if (!iequals(ctx.args[i], "filterby") || ctx.argc() - 1 - i != 2) {
      return ctx.reply.error(kSyntaxError);
    }
    std::string_view type = ctx.args[i + 1];
    if (iequals(type, "module")) {
      filter = Filter::kModule;
    } else if (iequals(type, "aclcat")) {
      filter = Filter::kAclCategory;
    } else if (iequals(type, "pattern")) {
      filter = Filter::kPattern;
    } else {
      return ctx.reply.error(kSyntaxError);
    }
    filter_arg = ctx.args[i + 2];
  }
  size_t category = category_index(filter_arg);
  auto matches = [&](const CommandSpec& spec) {
    switch (filter) {
      case Filter::kNone:
        return true;
      case Filter::kModule:
        return false;  // no modules
      case Filter::kAclCategory: {
        if (category >= kAclCategories.size() || filter_arg.starts_with('@')) return false;
        auto categories = acl_categories(spec);
        return std::find(categories.begin(), categories.end(), kAclCategories[category]) !=
               categories.end();
      }
      case Filter::kPattern:
        return glob_match(filter_arg, spec.name, /*nocase=*/true);
    }
    return false;
  };
  size_t mark = ctx.reply.begin_deferred();
  int64_t count = 0;
  auto add = [&](const CommandSpec& spec) {
    if (!matches(spec)) return;
    ctx.reply.bulk(spec.name);
    ++count;
  };
  CommandTable::instance().for_each([&](const CommandSpec& spec) {
    add(spec);
    for (const CommandSpec& sub : spec.subcommands) add(sub);
  });
  ctx.reply.end_deferred_array(mark, count);
}

// Redis's getKeysSubcommandImpl.
void getkeys(CommandContext& ctx, bool with_flags) {
  std::span<const std::string_view> line = ctx.args.subspan(2);
  const CommandSpec* spec = lookup_command_line(line);
  if (!spec) return ctx.reply.error("ERR Invalid command specified");
  if (!command_has_keys(*spec)) return ctx.reply.error("ERR The command has no key arguments");
  int argc = static_cast<int>(line.size());
  if ((spec->arity > 0 && spec->arity != argc) || argc < -spec->arity) {
    return ctx.reply.error("ERR Invalid number of arguments specified for command");
  }
  std::vector<KeyReference> keys = command_keys(*spec, line);
  if (keys.empty()) {
    if (spec->flags & kCmdNoMandatoryKeys) return ctx.reply.array(0);
    return ctx.reply.error("ERR Invalid arguments specified for command");
  }
  ctx.reply.array(static_cast<int64_t>(keys.size()));
  for (const KeyReference& key : keys) {
    if (!with_flags) {
      ctx.reply.bulk(line[key.pos]);
      continue;
    }
    ctx.reply.array(2);
    ctx.reply.bulk(line[key.pos]);
    std::vector<std::string_view> words = split_words(key.flags);
    ctx.reply.set(static_cast<int64_t>(words.size()));
    for (std::string_view w : words) ctx.reply.simple(w);
  }
}

void command_getkeys_command(CommandContext& ctx) { getkeys(ctx, false); }
void command_getkeysandflags_command(CommandContext& ctx) { getkeys(ctx, true); }

constexpr std::string_view kCommandHelp[] = {
    "(no subcommand)",
    "    Return details about all Redis commands.",
    "COUNT",
    "    Return the total number of commands in this Redis server.",
    "LIST",
    "    Return a list of all commands in this Redis server.",
    "INFO [<command-name> ...]",
    "    Return details about multiple Redis commands.",
    "    If no command names are given, documentation details for all",
    "    commands are returned.",
    "DOCS [<command-name> ...]",
    "    Return documentation details about multiple Redis commands.",
    "    If no command names are given, documentation details for all",
    "    commands are returned.",
    "GETKEYS <full-command>",
    "    Return the keys from a full Redis command.",
    "GETKEYSANDFLAGS <full-command>",
    "    Return the keys and the access flags from a full Redis command.",
};

void command_help_command(CommandContext& ctx) { reply_help(ctx.reply, "COMMAND", kCommandHelp); }

// --- CLIENT ------------------------------------------------------------------------------------

enum class ClientType { kNormal, kReplica, kPubsub, kMaster };

// Redis's getClientTypeByName.
std::optional<ClientType> client_type_by_name(std::string_view name) {
  if (iequals(name, "normal")) return ClientType::kNormal;
  if (iequals(name, "slave") || iequals(name, "replica")) return ClientType::kReplica;
  if (iequals(name, "pubsub")) return ClientType::kPubsub;
  if (iequals(name, "master")) return ClientType::kMaster;
  return std::nullopt;
}

// Redis's getClientType (a MONITOR client is a normal one to Redis too).
ClientType client_type(Server& server, const Client& client) {
  if (client.replica) return ClientType::kReplica;
  return server.pubsub().subscribed(client) ? ClientType::kPubsub : ClientType::kNormal;
}

// Redis's CLIENT LIST flags, in its order; "N" when none applies.
std::string client_flags(Server& server, const Client& client) {
  std::string flags;
  if (client.monitor) {
    flags += 'O';
  } else if (client.replica) {
    flags += 'S';
  }
  if (client.is_master) flags += 'M';
  if (server.pubsub().subscribed(client)) flags += 'P';
  if (client.multi.active) flags += 'x';
  if (client.paused || client.blocked) flags += 'b';
  if (client.multi.watch.dirty) flags += 'd';
  if (client.close_after_reply) flags += 'c';
  if (client.no_evict) flags += 'e';
  if (flags.empty()) flags = "N";
  return flags;
}

// One CLIENT LIST / CLIENT INFO line (Redis 7.0.15's catClientInfoString: same fields, same
// order). Buffer sizes are tandem's own: the unparsed input, and replies not yet sent.
// `current_args` are the arguments of the command being run when `client` is the caller.
std::string client_info_line(Server& server, Client& client, int64_t now_ms,
                             std::span<const std::string_view> current_args) {
  Connection& conn = client.conn;
  const PubSub& pubsub = server.pubsub();
  size_t argv_mem = 0;
  for (std::string_view a : current_args) argv_mem += a.size();
  size_t qbuf = conn.input().size();
  size_t qbuf_free = conn.input().capacity() - qbuf;
  size_t obl = conn.output().size();
  size_t rbs = std::max<size_t>(conn.output().capacity(), 1024);
  size_t tot_mem =
      conn.input().capacity() + rbs + argv_mem + client.multi.queued_bytes + sizeof(Client);
  return fmt::format(
      "id={} addr={} laddr={} fd={} name={} age={} idle={} flags={} db={} sub={} psub={} ssub={} "
      "multi={} qbuf={} qbuf-free={} argv-mem={} multi-mem={} rbs={} rbp={} obl={} oll=0 omem=0 "
      "tot-mem={} events={} cmd={} user=default redir=-1 resp={}",
      client.id, client.addr, client.laddr, conn.fd(), client.name,
      (now_ms - client.created_ms) / 1000, (now_ms - client.last_interaction_ms) / 1000,
      client_flags(server, client), client.db, pubsub.count(client, PubSubKind::kChannel),
      pubsub.count(client, PubSubKind::kPattern), pubsub.count(client, PubSubKind::kShardChannel),
      client.multi.active ? static_cast<int64_t>(client.multi.commands.size()) : -1, qbuf,
      qbuf_free, argv_mem, client.multi.queued_bytes, rbs, rbs, obl, tot_mem,
      conn.pending_output() > obl ? "rw" : "r", client.last_command, client.resp);
}

std::string client_line_for(CommandContext& ctx, Client& client) {
  std::span<const std::string_view> current;
  if (&client == &ctx.client) current = ctx.args;
  return client_info_line(ctx.server, client, ctx.now_ms, current) + "\n";
}

void client_id_command(CommandContext& ctx) {
  ctx.reply.integer(static_cast<int64_t>(ctx.client.id));
}

void client_info_command(CommandContext& ctx) {
  ctx.reply.verbatim(client_line_for(ctx, ctx.client));
}

void client_list_command(CommandContext& ctx) {
  std::optional<ClientType> type;
  std::string out;
  if (ctx.argc() == 4 && iequals(ctx.args[2], "type")) {
    type = client_type_by_name(ctx.args[3]);
    if (!type) return ctx.reply.error(fmt::format("ERR Unknown client type '{}'", ctx.args[3]));
  } else if (ctx.argc() > 3 && iequals(ctx.args[2], "id")) {
    for (size_t i = 3; i < ctx.argc(); ++i) {
      int64_t id;
      if (!parse_int64(ctx.args[i], id)) return ctx.reply.error("ERR Invalid client ID");
      if (Client* client = ctx.server.find_client(static_cast<uint64_t>(id))) {
        out += client_line_for(ctx, *client);
      }
    }
    return ctx.reply.verbatim(out);
  } else if (ctx.argc() != 2) {
    return ctx.reply.error(kSyntaxError);
  }
  for (const auto& [id, client] : ctx.server.clients()) {
    if (type && client_type(ctx.server, *client) != *type) continue;
    out += client_line_for(ctx, *client);
  }
  ctx.reply.verbatim(out);
}

void client_setname_command(CommandContext& ctx) {
  std::string_view name = ctx.args[2];
  for (char c : name) {
    if (c < '!' || c > '~') {
      return ctx.reply.error(
          "ERR Client names cannot contain spaces, newlines or special characters.");
    }
  }
  ctx.client.name = name;
  ctx.reply.ok();
}

void client_getname_command(CommandContext& ctx) {
  if (ctx.client.name.empty()) return ctx.reply.null();
  ctx.reply.bulk(ctx.client.name);
}

void client_kill_command(CommandContext& ctx) {
  std::optional<std::string_view> addr, laddr;
  std::optional<ClientType> type;
  uint64_t id = 0;
  bool skipme = true;
  bool old_form = ctx.argc() == 3;
  if (old_form) {
    addr = ctx.args[2];
    skipme = false;  // with the old form, you can kill yourself
  } else {
    for (size_t i = 2; i < ctx.argc(); i += 2) {
      std::string_view option = ctx.args[i];
      if (i + 1 >= ctx.argc()) return ctx.reply.error(kSyntaxError);
      std::string_view value = ctx.args[i + 1];
      if (iequals(option, "id")) {
        int64_t parsed;
        if (!parse_int64(value, parsed) || parsed < 1) {
          return ctx.reply.error("ERR client-id should be greater than 0");
        }
        id = static_cast<uint64_t>(parsed);
      } else if (iequals(option, "type")) {
        type = client_type_by_name(value);
        if (!type) return ctx.reply.error(fmt::format("ERR Unknown client type '{}'", value));
      } else if (iequals(option, "addr")) {
        addr = value;
      } else if (iequals(option, "laddr")) {
        laddr = value;
      } else if (iequals(option, "user")) {
        if (value != "default") return ctx.reply.error(fmt::format("ERR No such user '{}'", value));
      } else if (iequals(option, "skipme")) {
        if (iequals(value, "yes")) {
          skipme = true;
        } else if (iequals(value, "no")) {
          skipme = false;
        } else {
          return ctx.reply.error(kSyntaxError);
        }
      } else {
        return ctx.reply.error(kSyntaxError);
      }
    }
  }
  // Collect first: killing wakes the victim's coroutine, which unregisters it at once.
  std::vector<uint64_t> victims;
  bool kill_self = false;
  for (const auto& [client_id, client] : ctx.server.clients()) {
    if (addr && client->addr != *addr) continue;
    if (laddr && client->laddr != *laddr) continue;
    if (type && client_type(ctx.server, *client) != *type) continue;
    if (id != 0 && client_id != id) continue;
    if (client == &ctx.client) {
      if (skipme) continue;
      kill_self = true;
    } else {
      victims.push_back(client_id);
    }
  }
  for (uint64_t victim : victims) {
    if (Client* client = ctx.server.find_client(victim)) client->conn.kill();
  }
  int64_t killed = static_cast<int64_t>(victims.size()) + kill_self;
  if (old_form) {
    if (killed == 0) return ctx.reply.error("ERR No such client");
    ctx.reply.ok();
  } else {
    ctx.reply.integer(killed);
  }
  // Our own connection closes once this reply is sent, as Redis's CLOSE_AFTER_REPLY.
  if (kill_self) ctx.client.close_after_reply = true;
}

void client_pause_command(CommandContext& ctx) {
  if (ctx.argc() > 4) return reply_subcommand_syntax_error(ctx);
  ClientPause mode = ClientPause::kAll;
  if (ctx.argc() == 4) {
    if (iequals(ctx.args[3], "write")) {
      mode = ClientPause::kWrite;
    } else if (!iequals(ctx.args[3], "all")) {
      return ctx.reply.error("ERR CLIENT PAUSE mode must be WRITE or ALL");
    }
  }
  int64_t timeout;
  if (!parse_int64(ctx.args[2], timeout)) {
    return ctx.reply.error("ERR timeout is not an integer or out of range");
  }
  if (timeout < 0) return ctx.reply.error("ERR timeout is negative");
  // Redis adds the current time without an overflow check: a huge timeout wraps into the past.
  int64_t end = timeout > 0 ? static_cast<int64_t>(static_cast<uint64_t>(timeout) +
                                                   static_cast<uint64_t>(unix_time_ms()))
                            : 0;
  ctx.server.pause_clients(mode, end);
  ctx.reply.ok();
}

void client_unpause_command(CommandContext& ctx) {
  ctx.server.unpause_clients();
  ctx.reply.ok();
}

void client_reply_command(CommandContext& ctx) {
  std::string_view mode = ctx.args[2];
  if (iequals(mode, "on")) {
    ctx.client.reply_mode = ReplyMode::kOn;
    ctx.reply.ok();
  } else if (iequals(mode, "off")) {
    ctx.client.reply_mode = ReplyMode::kOff;
  } else if (iequals(mode, "skip")) {
    if (ctx.client.reply_mode != ReplyMode::kOff) ctx.client.reply_mode = ReplyMode::kSkipNext;
  } else {
    ctx.reply.error(kSyntaxError);
  }
}

void client_no_evict_command(CommandContext& ctx) {
  if (iequals(ctx.args[2], "on")) {
    ctx.client.no_evict = true;
  } else if (iequals(ctx.args[2], "off")) {
    ctx.client.no_evict = false;
  } else {
    return ctx.reply.error(kSyntaxError);
  }
  ctx.reply.ok();
}

// Client-side caching is not implemented: nothing is ever tracked or redirected.
void client_getredir_command(CommandContext& ctx) { ctx.reply.integer(-1); }

void client_trackinginfo_command(CommandContext& ctx) {
  ctx.reply.map(3);
  ctx.reply.bulk("flags");
  ctx.reply.set(1);
  ctx.reply.bulk("off");
  ctx.reply.bulk("redirect");
  ctx.reply.integer(-1);
  ctx.reply.bulk("prefixes");
  ctx.reply.array(0);
}

void client_unblock_command(CommandContext& ctx) {
  if (ctx.argc() > 4) return reply_subcommand_syntax_error(ctx);
  int64_t id;
  if (!parse_int64(ctx.args[2], id)) return ctx.reply.error(kNotIntegerError);
  bool with_error = false;
  if (ctx.argc() == 4) {
    with_error = iequals(ctx.args[3], "error");
    if (!with_error && !iequals(ctx.args[3], "timeout")) {
      return ctx.reply.error("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
    }
  }
  const auto target = static_cast<uint64_t>(id);
  const bool unblocked = ctx.server.blocking().unblock(target, with_error) ||
                         ctx.server.replication().unblock(target, with_error);
  ctx.reply.integer(unblocked ? 1 : 0);
}

constexpr std::string_view kClientHelp[] = {
    "CACHING (YES|NO)",
    "    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
    "GETREDIR",
    "    Return the client ID we are redirecting to when tracking is enabled.",
    "GETNAME",
    "    Return the name of the current connection.",
    "ID",
    "    Return the ID of the current connection.",
    "INFO",
    "    Return information about the current client connection.",
    "KILL <ip:port>",
    "    Kill connection made from <ip:port>.",
    "KILL <option> <value> [<option> <value> [...]]",
    "    Kill connections. Options are:",
    "    * ADDR (<ip:port>|<unixsocket>:0)",
    "      Kill connections made from the specified address",
    "    * LADDR (<ip:port>|<unixsocket>:0)",
    "      Kill connections made to specified local address",
    "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
    "      Kill connections by type.",
    "    * USER <username>",
    "      Kill connections authenticated by <username>.",
    "    * SKIPME (YES|NO)",
    "      Skip killing current connection (default: yes).",
    "LIST [options ...]",
    "    Return information about client connections. Options:",
    "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
    "      Return clients of specified type.",
    "UNPAUSE",
    "    Stop the current client pause, resuming traffic.",
    "PAUSE <timeout> [WRITE|ALL]",
    "    Suspend all, or just write, clients for <timeout> milliseconds.",
    "REPLY (ON|OFF|SKIP)",
    "    Control the replies sent to the current connection.",
    "SETNAME <name>",
    "    Assign the name <name> to the current connection.",
    "UNBLOCK <clientid> [TIMEOUT|ERROR]",
    "    Unblock the specified blocked client.",
    "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
    "         [OPTIN] [OPTOUT] [NOLOOP]",
    "    Control server assisted client side caching.",
    "TRACKINGINFO",
    "    Report tracking status for the current connection.",
    "NO-EVICT (ON|OFF)",
    "    Protect current client connection from eviction.",
};

void client_help_command(CommandContext& ctx) { reply_help(ctx.reply, "CLIENT", kClientHelp); }

// --- SLOWLOG -----------------------------------------------------------------------------------

void slowlog_get_command(CommandContext& ctx) {
  if (ctx.argc() > 3) return reply_subcommand_syntax_error(ctx);
  const auto& entries = ctx.server.slowlog().entries();
  size_t count = 10;
  if (ctx.argc() == 3) {
    int64_t parsed;
    if (!parse_int64(ctx.args[2], parsed) || parsed < -1) {
      return ctx.reply.error("ERR count should be greater than or equal to -1");
    }
    count = parsed == -1 ? entries.size() : static_cast<size_t>(parsed);
  }
  count = std::min(count, entries.size());
  ctx.reply.array(static_cast<int64_t>(count));
  for (size_t i = 0; i < count; ++i) {
    const SlowLogEntry& entry = entries[i];
    ctx.reply.array(6);
    ctx.reply.integer(static_cast<int64_t>(entry.id));
    ctx.reply.integer(entry.time_seconds);
    ctx.reply.integer(entry.duration_us);
    ctx.reply.array(static_cast<int64_t>(entry.args.size()));
    for (const std::string& arg : entry.args) ctx.reply.bulk(arg);
    ctx.reply.bulk(entry.client_addr);
    ctx.reply.bulk(entry.client_name);
  }
}

void slowlog_len_command(CommandContext& ctx) {
  ctx.reply.integer(static_cast<int64_t>(ctx.server.slowlog().size()));
}

void slowlog_reset_command(CommandContext& ctx) {
  ctx.server.slowlog().reset();
  ctx.reply.ok();
}

constexpr std::string_view kSlowlogHelp[] = {
    "GET [<count>]",
    "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
    "    Entries are made of:",
    "    id, timestamp, time in microseconds, arguments array, client IP and port,",
    "    client name",
    "LEN",
    "    Return the length of the slowlog.",
    "RESET",
    "    Reset the slowlog.",
};

void slowlog_help_command(CommandContext& ctx) { reply_help(ctx.reply, "SLOWLOG", kSlowlogHelp); }

// --- LATENCY -----------------------------------------------------------------------------------

int64_t unix_seconds() { return unix_time_ms() / 1000; }

void latency_latest_command(CommandContext& ctx) {
  const auto& events = ctx.server.latency_monitor().events();
  ctx.reply.array(static_cast<int64_t>(events.size()));
  for (const auto& series : events) {
    ctx.reply.array(4);
    ctx.reply.bulk(series.event);
    ctx.reply.integer(series.latest().time_seconds);
    ctx.reply.integer(series.latest().latency_ms);
    ctx.reply.integer(series.max_ms);
  }
}

void latency_history_command(CommandContext& ctx) {
  const auto* series = ctx.server.latency_monitor().find(ctx.args[2]);
  if (!series) return ctx.reply.array(0);
  std::vector<LatencySample> samples = series->history();
  ctx.reply.array(static_cast<int64_t>(samples.size()));
  for (const LatencySample& s : samples) {
    ctx.reply.array(2);
    ctx.reply.integer(s.time_seconds);
    ctx.reply.integer(s.latency_ms);
  }
}

void latency_reset_command(CommandContext& ctx) {
  LatencyMonitor& monitor = ctx.server.latency_monitor();
  if (ctx.argc() == 2) return ctx.reply.integer(static_cast<int64_t>(monitor.reset()));
  size_t resets = 0;
  for (size_t i = 2; i < ctx.argc(); ++i) {
    if (!ctx.args[i].empty()) resets += monitor.reset(ctx.args[i]);
  }
  ctx.reply.integer(static_cast<int64_t>(resets));
}

void latency_doctor_command(CommandContext& ctx) {
  const Config& config = ctx.server.config();
  ctx.reply.verbatim(ctx.server.latency_monitor().doctor(
      config.latency_monitor_threshold, config.slowlog_log_slower_than, unix_seconds()));
}

void latency_graph_command(CommandContext& ctx) {
  const auto* series = ctx.server.latency_monitor().find(ctx.args[2]);
  if (!series) {
    return ctx.reply.error(fmt::format("ERR No samples available for event '{}'", ctx.args[2]));
  }
  ctx.reply.verbatim(ctx.server.latency_monitor().graph(*series, unix_seconds()));
}

constexpr std::string_view kLatencyHelp[] = {
    "DOCTOR",
    "    Return a human readable latency analysis report.",
    "GRAPH <event>",
    "    Return an ASCII latency graph for the <event> class.",
    "HISTORY <event>",
    "    Return time-latency samples for the <event> class.",
    "LATEST",
    "    Return the latest latency samples for all events.",
    "RESET [<event> ...]",
    "    Reset latency data of one or more <event> classes.",
    "    (default: reset all data for all event classes)",
    "HISTOGRAM [COMMAND ...]",
    "    Return a cumulative distribution of latencies in the format of a histogram for the "
    "specified command names.",
    "    If no commands are specified then all histograms are replied.",
};

void latency_help_command(CommandContext& ctx) { reply_help(ctx.reply, "LATENCY", kLatencyHelp); }

// --- MONITOR -----------------------------------------------------------------------------------

void monitor_command(CommandContext& ctx) {
  // Inside EXEC the client expects one reply per command (Redis's CLIENT_DENY_BLOCKING).
  if (ctx.client.multi.executing) {
    return ctx.reply.error("ERR MONITOR isn't allowed for DENY BLOCKING client");
  }
  if (ctx.client.monitor) return;  // already monitoring: Redis answers nothing
  ctx.client.monitor = true;
  ctx.server.monitors().push_back(&ctx.client);
  ctx.reply.ok();
}

}  // namespace

void register_introspection_commands(CommandTable& table) {
  constexpr uint32_t kLoadingStale = kCmdLoading | kCmdStale;
  constexpr uint32_t kConnection = kCmdNoscript | kCmdLoading | kCmdStale;
  constexpr uint32_t kAdmin = kCmdAdmin | kCmdNoscript | kCmdLoading | kCmdStale;
  constexpr std::string_view kSlowConnection = "@slow @connection";
  constexpr std::string_view kAdminConnection = "@admin @slow @dangerous @connection";
  constexpr std::string_view kAdminCategories = "@admin @slow @dangerous";
  constexpr std::string_view kHelpSummary = "Show helpful text about the different subcommands";

  table.add({
      .name = "command",
      .arity = -1,
      .flags = kLoadingStale,
      .handler = command_command,
      .group = "server",
      .summary = "Get array of Redis command details",
      .since = "2.8.13",
      .complexity = "O(N) where N is the total number of Redis commands",
      .acl_categories = kSlowConnection,
      .subcommands =
          {
              {.name = "command|count",
               .arity = 2,
               .flags = kLoadingStale,
               .handler = command_count_command,
               .group = "server",
               .summary = "Get total number of Redis commands",
               .since = "2.8.13",
               .acl_categories = kSlowConnection},
              {.name = "command|docs",
               .arity = -2,
               .flags = kLoadingStale,
               .handler = command_docs_command,
               .group = "server",
               .summary = "Get array of specific Redis command documentation",
               .since = "7.0.0",
               .complexity = "O(N) where N is the number of commands to look up",
               .acl_categories = kSlowConnection,
               .tips = "nondeterministic_output_order",
               .args = "[command-name [command-name ...]]"},
              {.name = "command|getkeys",
               .arity = -4,
               .flags = kLoadingStale,
               .handler = command_getkeys_command,
               .group = "server",
               .summary = "Extract keys given a full Redis command",
               .since = "2.8.13",
               .complexity = "O(N) where N is the number of arguments to the command",
               .acl_categories = kSlowConnection,
               .args = "command [arg [arg ...]]"},
              {.name = "command|getkeysandflags",
               .arity = -4,
               .flags = kLoadingStale,
               .handler = command_getkeysandflags_command,
               .group = "server",
               .summary = "Extract keys and access flags given a full Redis command",
               .since = "7.0.0",
               .complexity = "O(N) where N is the number of arguments to the command",
               .acl_categories = kSlowConnection,
               .args = "command [arg [arg ...]]"},
              {.name = "command|help",
               .arity = 2,
               .flags = kLoadingStale,
               .handler = command_help_command,
               .group = "server",
               .summary = kHelpSummary,
               .since = "5.0.0",
               .acl_categories = kSlowConnection},
              {.name = "command|info",
               .arity = -2,
               .flags = kLoadingStale,
               .handler = command_info_command,
               .group = "server",
               .summary = "Get array of specific Redis command details, or all when no argument "
                          "is given.",
               .since = "2.8.13",
               .complexity = "O(N) where N is the number of commands to look up",
               .acl_categories = kSlowConnection,
               .tips = "nondeterministic_output_order",
               .args = "[command-name [command-name ...]]"},
              {.name = "command|list",
               .arity = -2,
               .flags = kLoadingStale,
               .handler = command_list_command,
               .group = "server",
               .summary = "Get an array of Redis command names",
               .since = "7.0.0",
               .complexity = "O(N) where N is the total number of Redis commands",
               .acl_categories = kSlowConnection,
               .tips = "nondeterministic_output_order",
               .args = "[FILTERBY (MODULE module-name|ACLCAT category|PATTERN pattern)]"},
          },
      .tips = "nondeterministic_output_order",
  });

  table.add({
      .name = "client",
      .arity = -2,
      .flags = 0,
      .group = "connection",
      .summary = "A container for client connection commands",
      .since = "2.4.0",
      .complexity = "Depends on subcommand.",
      .acl_categories = "@slow",
      .subcommands =
          {
              {.name = "client|getname",
               .arity = 2,
               .flags = kConnection,
               .handler = client_getname_command,
               .group = "connection",
               .summary = "Get the current connection name",
               .since = "2.6.9",
               .acl_categories = kSlowConnection},
              {.name = "client|getredir",
               .arity = 2,
               .flags = kConnection,
               .handler = client_getredir_command,
               .group = "connection",
               .summary = "Get tracking notifications redirection client ID if any",
               .since = "6.0.0",
               .acl_categories = kSlowConnection},
              {.name = "client|help",
               .arity = 2,
               .flags = kLoadingStale,
               .handler = client_help_command,
               .group = "connection",
               .summary = kHelpSummary,
               .since = "5.0.0",
               .acl_categories = kSlowConnection},
              {.name = "client|id",
               .arity = 2,
               .flags = kConnection,
               .handler = client_id_command,
               .group = "connection",
               .summary = "Returns the client ID for the current connection",
               .since = "5.0.0",
               .acl_categories = kSlowConnection},
              {.name = "client|info",
               .arity = 2,
               .flags = kConnection,
               .handler = client_info_command,
               .group = "connection",
               .summary = "Returns information about the current client connection.",
               .since = "6.2.0",
               .acl_categories = kSlowConnection,
               .tips = "nondeterministic_output"},
              {.name = "client|kill",
               .arity = -3,
               .flags = kAdmin,
               .handler = client_kill_command,
               .group = "connection",
               .summary = "Kill the connection of a client",
               .since = "2.4.0",
               .complexity = "O(N) where N is the number of client connections",
               .acl_categories = kAdminConnection,
               .args = "ip:port|[ID client-id] [TYPE NORMAL|MASTER|SLAVE|REPLICA|PUBSUB] "
                       "[USER username] [ADDR ip:port] [LADDR ip:port] [SKIPME yes/no]"},
              {.name = "client|list",
               .arity = -2,
               .flags = kAdmin,
               .handler = client_list_command,
               .group = "connection",
               .summary = "Get the list of client connections",
               .since = "2.4.0",
               .complexity = "O(N) where N is the number of client connections",
               .acl_categories = kAdminConnection,
               .tips = "nondeterministic_output",
               .args = "[TYPE NORMAL|MASTER|REPLICA|PUBSUB] [ID client-id [client-id ...]]"},
              {.name = "client|no-evict",
               .arity = 3,
               .flags = kAdmin,
               .handler = client_no_evict_command,
               .group = "connection",
               .summary = "Set client eviction mode for the current connection",
               .since = "7.0.0",
               .acl_categories = kAdminConnection,
               .args = "ON|OFF"},
              {.name = "client|pause",
               .arity = -3,
               .flags = kAdmin,
               .handler = client_pause_command,
               .group = "connection",
               .summary = "Stop processing commands from clients for some time",
               .since = "2.9.50",
               .acl_categories = kAdminConnection,
               .args = "timeout [WRITE|ALL]"},
              {.name = "client|reply",
               .arity = 3,
               .flags = kConnection,
               .handler = client_reply_command,
               .group = "connection",
               .summary = "Instruct the server whether to reply to commands",
               .since = "3.2.0",
               .acl_categories = kSlowConnection,
               .args = "ON|OFF|SKIP"},
              {.name = "client|setname",
               .arity = 3,
               .flags = kConnection,
               .handler = client_setname_command,
               .group = "connection",
               .summary = "Set the current connection name",
               .since = "2.6.9",
               .acl_categories = kSlowConnection,
               .args = "connection-name"},
              {.name = "client|trackinginfo",
               .arity = 2,
               .flags = kConnection,
               .handler = client_trackinginfo_command,
               .group = "connection",
               .summary = "Return information about server assisted client side caching for the "
                          "current connection",
               .since = "6.2.0",
               .acl_categories = kSlowConnection},
              {.name = "client|unblock",
               .arity = -3,
               .flags = kAdmin,
               .handler = client_unblock_command,
               .group = "connection",
               .summary = "Unblock a client blocked in a blocking command from a different "
                          "connection",
               .since = "5.0.0",
               .complexity = "O(log N) where N is the number of client connections",
               .acl_categories = kAdminConnection,
               .args = "client-id [TIMEOUT|ERROR]"},
              {.name = "client|unpause",
               .arity = 2,
               .flags = kAdmin,
               .handler = client_unpause_command,
               .group = "connection",
               .summary = "Resume processing of clients that were paused",
               .since = "6.2.0",
               .complexity = "O(N) Where N is the number of paused clients",
               .acl_categories = kAdminConnection},
          },
  });

  table.add({
      .name = "slowlog",
      .arity = -2,
      .flags = 0,
      .group = "server",
      .summary = "A container for slow log commands",
      .since = "2.2.12",
      .complexity = "Depends on subcommand.",
      .acl_categories = "@slow",
      .subcommands =
          {
              {.name = "slowlog|get",
               .arity = -2,
               .flags = kAdmin & ~kCmdNoscript,
               .handler = slowlog_get_command,
               .group = "server",
               .summary = "Get the slow log's entries",
               .since = "2.2.12",
               .complexity = "O(N) where N is the number of entries returned",
               .acl_categories = kAdminCategories,
               .tips = "request_policy:all_nodes nondeterministic_output",
               .args = "[count]"},
              {.name = "slowlog|help",
               .arity = 2,
               .flags = kLoadingStale,
               .handler = slowlog_help_command,
               .group = "server",
               .summary = kHelpSummary,
               .since = "6.2.0",
               .acl_categories = "@slow"},
              {.name = "slowlog|len",
               .arity = 2,
               .flags = kAdmin & ~kCmdNoscript,
               .handler = slowlog_len_command,
               .group = "server",
               .summary = "Get the slow log's length",
               .since = "2.2.12",
               .acl_categories = kAdminCategories,
               .tips = "request_policy:all_nodes response_policy:agg_sum "
                       "nondeterministic_output"},
              {.name = "slowlog|reset",
               .arity = 2,
               .flags = kAdmin & ~kCmdNoscript,
               .handler = slowlog_reset_command,
               .group = "server",
               .summary = "Clear all entries from the slow log",
               .since = "2.2.12",
               .complexity = "O(N) where N is the number of entries in the slowlog",
               .acl_categories = kAdminCategories,
               .tips = "request_policy:all_nodes response_policy:all_succeeded"},
          },
  });

  constexpr std::string_view kLatencyTips =
      "nondeterministic_output request_policy:all_nodes response_policy:special";
  table.add({
      .name = "latency",
      .arity = -2,
      .flags = 0,
      .group = "server",
      .summary = "A container for latency diagnostics commands",
      .since = "2.8.13",
      .complexity = "Depends on subcommand.",
      .acl_categories = "@slow",
      .subcommands =
          {
              {.name = "latency|doctor",
               .arity = 2,
               .flags = kAdmin,
               .handler = latency_doctor_command,
               .group = "server",
               .summary = "Return a human readable latency analysis report.",
               .since = "2.8.13",
               .acl_categories = kAdminCategories,
               .tips = kLatencyTips},
              {.name = "latency|graph",
               .arity = 3,
               .flags = kAdmin,
               .handler = latency_graph_command,
               .group = "server",
               .summary = "Return a latency graph for the event.",
               .since = "2.8.13",
               .acl_categories = kAdminCategories,
               .tips = kLatencyTips,
               .args = "event"},
              {.name = "latency|help",
               .arity = 2,
               .flags = kLoadingStale,
               .handler = latency_help_command,
               .group = "server",
               .summary = "Show helpful text about the different subcommands.",
               .since = "2.8.13",
               .acl_categories = "@slow"},
              {.name = "latency|history",
               .arity = 3,
               .flags = kAdmin,
               .handler = latency_history_command,
               .group = "server",
               .summary = "Return timestamp-latency samples for the event.",
               .since = "2.8.13",
               .acl_categories = kAdminCategories,
               .tips = kLatencyTips,
               .args = "event"},
              {.name = "latency|latest",
               .arity = 2,
               .flags = kAdmin,
               .handler = latency_latest_command,
               .group = "server",
               .summary = "Return the latest latency samples for all events.",
               .since = "2.8.13",
               .acl_categories = kAdminCategories,
               .tips = kLatencyTips},
              {.name = "latency|reset",
               .arity = -2,
               .flags = kAdmin,
               .handler = latency_reset_command,
               .group = "server",
               .summary = "Reset latency data for one or more events.",
               .since = "2.8.13",
               .acl_categories = kAdminCategories,
               .tips = "request_policy:all_nodes response_policy:all_succeeded",
               .args = "[event [event ...]]"},
          },
  });

  table.add({.name = "monitor",
             .arity = 1,
             .flags = kAdmin,
             .handler = monitor_command,
             .group = "server",
             .summary = "Listen for all requests received by the server in real time",
             .since = "1.0.0",
             .complexity = "",
             .acl_categories = kAdminCategories});
}

}  // namespace tandem
