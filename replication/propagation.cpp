#include "replication/propagation.h"

#include <cassert>
#include <utility>

namespace tandem {

void Propagation::begin_command(std::span<const std::string_view> args) {
  frames_.emplace_back().args = args;
}

void Propagation::end_command(int db, bool changed_data) {
  assert(!frames_.empty());
  Frame frame = std::move(frames_.back());
  frames_.pop_back();
  bool propagates = (changed_data || frame.forced) && !frame.prevented;
  bool unit_ends = frames_.empty();
  if (unit_ends && collected_.empty()) {
    // The common case: a single command, fed without collecting a copy.
    if (!propagates) return;
    if (!frame.rewritten) return feed(db, frame.args);
    return feed(Command{db, std::move(*frame.rewritten)});
  }
  if (propagates) {
    if (frame.rewritten) {
      collected_.push_back({db, std::move(*frame.rewritten)});
    } else {
      collected_.push_back({db, std::vector<std::string>(frame.args.begin(), frame.args.end())});
    }
  }
  if (unit_ends) end_unit();
}

void Propagation::rewrite(std::vector<std::string> args) {
  assert(!frames_.empty());
  frames_.back().rewritten = std::move(args);
}

void Propagation::prevent() {
  assert(!frames_.empty());
  frames_.back().prevented = true;
}

void Propagation::force() {
  assert(!frames_.empty());
  frames_.back().forced = true;
}

void Propagation::also_propagate(int db, std::vector<std::string> args) {
  if (!in_unit()) return feed(Command{db, std::move(args)});
  collected_.push_back({db, std::move(args)});
}

void Propagation::propagate_alone(int db, std::vector<std::string> args) {
  feed(Command{db, std::move(args)});
}

void Propagation::end_unit() {
  // Taken first: feeding may not re-enter, but the member must be empty for the next unit.
  std::vector<Command> commands = std::move(collected_);
  collected_.clear();
  if (commands.empty()) return;
  constexpr std::string_view kMulti[] = {"MULTI"};
  constexpr std::string_view kExec[] = {"EXEC"};
  bool wrap = commands.size() > 1;
  // MULTI goes to the first command's database and EXEC to the last one's, so the feed selects
  // no database just for them.
  if (wrap) feed(commands.front().db, kMulti);
  for (const Command& command : commands) feed(command);
  if (wrap) feed(commands.back().db, kExec);
}

void Propagation::feed(int db, std::span<const std::string_view> args) {
  if (feed_) feed_(db, args);
}

void Propagation::feed(const Command& command) {
  std::vector<std::string_view> views(command.args.begin(), command.args.end());
  feed(command.db, views);
}

}  // namespace tandem
