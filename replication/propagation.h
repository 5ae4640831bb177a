// What a master sends its replicas for each execution unit, in Redis 7.0's deterministic forms.
//
// An execution unit is a top-level command, or an EXEC with everything it runs, or a blocked
// client served later. Commands nest (EXEC calls its queued commands), so each running command
// has a frame; the unit ends when the outermost frame does. While the unit runs, it collects
// commands, in this order:
//   - what a command adds with also_propagate() (SPOP's SREMs, a key found expired: DEL), at
//     the moment it adds it;
//   - the command's own form when it ends, if it changed the dataset (or forced propagation)
//     and did not prevent it: its arguments as called, or what it rewrote them to (SET EX ->
//     SET PXAT, EXPIRE -> PEXPIREAT, BLPOP -> LPOP, ...).
// When the unit ends, the commands go to the feed, each with its database (the feed inserts
// SELECT). More than one command is wrapped in MULTI/EXEC, as Redis 7.0's
// propagatePendingCommands: one command is atomic anyway, and an EXEC that wrote once sends
// that one command unwrapped. A key that expires outside any unit (the active expiry cycle) is
// a unit of its own.
//
// Main thread only. The common case (one command, not rewritten) is fed straight from the
// caller's arguments without copying them.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tandem {

class Propagation {
 public:
  // Appends one command to the replication stream, to run in database `db`.
  using Feed = std::function<void(int db, std::span<const std::string_view> args)>;

  Propagation() = default;
  explicit Propagation(Feed feed) : feed_(std::move(feed)) {}
  void set_feed(Feed feed) { feed_ = std::move(feed); }

  // A command starts running with these arguments; they must stay valid until end_command().
  void begin_command(std::span<const std::string_view> args);
  // The running command ended in database `db`; `changed_data` says whether it wrote (Redis's
  // dirty counter moved). Ends the unit when it was the outermost command.
  void end_command(int db, bool changed_data);

  // The running command propagates `args` instead of its arguments as called (Redis's
  // rewriteClientCommandVector / replaceClientCommandVector).
  void rewrite(std::vector<std::string> args);
  // The running command propagates nothing itself; what it added with also_propagate() stays
  // (Redis's preventCommandPropagation).
  void prevent();
  // The running command propagates even though it changed no data (PUBLISH; Redis's
  // forceCommandPropagation).
  void force();
  // Adds a command to the running unit, before the running command's own form (Redis's
  // alsoPropagate). Outside a unit it is a unit of its own, fed at once.
  void also_propagate(int db, std::vector<std::string> args);

  // Feeds a command at once as a unit of its own, even while a unit runs (an evicted key's DEL:
  // Redis propagates evictions unwrapped, whatever triggered them).
  void propagate_alone(int db, std::vector<std::string> args);

  bool in_unit() const { return !frames_.empty(); }

 private:
  struct Frame {
    std::span<const std::string_view> args;
    std::optional<std::vector<std::string>> rewritten;
    bool prevented = false;
    bool forced = false;
  };
  struct Command {
    int db;
    std::vector<std::string> args;
  };

  void feed(int db, std::span<const std::string_view> args);
  void feed(const Command& command);
  void end_unit();

  Feed feed_;
  std::vector<Frame> frames_;
  std::vector<Command> collected_;
};

}  // namespace tandem
