// The forms are what a Redis 7.0.15 master sent a raw replica for the same commands
// (tests/integration/test_replication_stream.py compares the two servers end to end).
#include "replication/propagation.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace tandem {
namespace {

// Records what the collector feeds as "db: ARG ARG ...".
struct Recorder {
  std::vector<std::string> fed;
  Propagation propagation{[this](int db, std::span<const std::string_view> args) {
    std::string line = std::to_string(db) + ":";
    for (std::string_view arg : args) line += " " + std::string(arg);
    fed.push_back(line);
  }};

  // Runs one command as call() does: `body` plays the handler, `wrote` its dirty counter.
  template <typename Body>
  void command(int db, std::vector<std::string_view> args, bool wrote, Body body) {
    propagation.begin_command(args);
    body();
    propagation.end_command(db, wrote);
  }
  void command(int db, std::vector<std::string_view> args, bool wrote) {
    command(db, args, wrote, [] {});
  }
};

using Lines = std::vector<std::string>;

TEST(Propagation, AWriteGoesAsCalled) {
  Recorder r;
  r.command(0, {"set", "k", "v"}, true);
  EXPECT_EQ(r.fed, Lines{"0: set k v"});
}

TEST(Propagation, ACommandThatChangedNothingSendsNothing) {
  Recorder r;
  r.command(0, {"GET", "k"}, false);
  r.command(0, {"SET", "k", "v", "NX"}, false);
  EXPECT_TRUE(r.fed.empty());
}

TEST(Propagation, ARewrittenCommandGoesInItsNewForm) {
  Recorder r;
  r.command(3, {"SET", "k", "v", "EX", "100"}, true, [&] {
    r.propagation.rewrite({"SET", "k", "v", "PXAT", "1796177381007"});
  });
  EXPECT_EQ(r.fed, Lines{"3: SET k v PXAT 1796177381007"});
}

TEST(Propagation, ARewriteOfACommandThatChangedNothingIsNotSent) {
  Recorder r;
  r.command(0, {"GETEX", "k", "EX", "1"}, false, [&] {
    r.propagation.rewrite({"PEXPIREAT", "k", "1"});
  });
  EXPECT_TRUE(r.fed.empty());
}

TEST(Propagation, SeveralCommandsFromOneCallAreWrappedInMultiExec) {
  // SPOP s 2: one SREM per member, the SPOP itself prevented.
  Recorder r;
  r.command(0, {"SPOP", "s", "2"}, true, [&] {
    r.propagation.also_propagate(0, {"SREM", "s", "a"});
    r.propagation.also_propagate(0, {"SREM", "s", "e"});
    r.propagation.prevent();
  });
  EXPECT_EQ(r.fed, (Lines{"0: MULTI", "0: SREM s a", "0: SREM s e", "0: EXEC"}));
}

TEST(Propagation, OneAddedCommandAloneIsNotWrapped) {
  Recorder r;
  r.command(0, {"SPOP", "s", "1"}, true, [&] {
    r.propagation.also_propagate(0, {"SREM", "s", "a"});
    r.propagation.prevent();
  });
  EXPECT_EQ(r.fed, Lines{"0: SREM s a"});
}

TEST(Propagation, AKeyFoundExpiredByAWriteGoesFirstInsideMultiExec) {
  Recorder r;
  r.command(0, {"SET", "k", "w"}, true, [&] { r.propagation.also_propagate(0, {"DEL", "k"}); });
  EXPECT_EQ(r.fed, (Lines{"0: MULTI", "0: DEL k", "0: SET k w", "0: EXEC"}));
}

TEST(Propagation, AKeyFoundExpiredByAReadGoesAlone) {
  Recorder r;
  r.command(0, {"GET", "k"}, false, [&] { r.propagation.also_propagate(0, {"DEL", "k"}); });
  EXPECT_EQ(r.fed, Lines{"0: DEL k"});
}

TEST(Propagation, AnExpiryOutsideAnyCommandIsFedAtOnce) {
  Recorder r;
  r.propagation.also_propagate(2, {"DEL", "k2"});
  r.propagation.also_propagate(2, {"DEL", "k1"});
  EXPECT_EQ(r.fed, (Lines{"2: DEL k2", "2: DEL k1"}));
}

TEST(Propagation, ForcedPropagationSendsACommandThatChangedNothing) {
  Recorder r;
  r.command(0, {"PUBLISH", "ch", "msg"}, false, [&] { r.propagation.force(); });
  EXPECT_EQ(r.fed, Lines{"0: PUBLISH ch msg"});
}

// EXEC never propagates itself (call() prevents it); what it ran decides.
void exec(Recorder& r, int db, std::function<void()> queued) {
  r.command(db, {"EXEC"}, true, [&] {
    r.propagation.prevent();
    queued();
  });
}

TEST(Propagation, AnExecThatWroteOnceSendsThatCommandUnwrapped) {
  Recorder r;
  exec(r, 0, [&] { r.command(0, {"SET", "a", "1"}, true); });
  EXPECT_EQ(r.fed, Lines{"0: SET a 1"});
}

TEST(Propagation, AnExecThatWroteSeveralTimesIsWrapped) {
  Recorder r;
  exec(r, 0, [&] {
    r.command(0, {"SET", "a", "1", "EX", "100"}, true, [&] {
      r.propagation.rewrite({"SET", "a", "1", "PXAT", "1796177513373"});
    });
    r.command(0, {"GET", "a"}, false);
    r.command(0, {"INCRBYFLOAT", "f", "1"}, true, [&] {
      r.propagation.rewrite({"SET", "f", "1", "KEEPTTL"});
    });
  });
  EXPECT_EQ(r.fed,
            (Lines{"0: MULTI", "0: SET a 1 PXAT 1796177513373", "0: SET f 1 KEEPTTL", "0: EXEC"}));
}

TEST(Propagation, AnExecOfReadsSendsNothing) {
  Recorder r;
  exec(r, 0, [&] { r.command(0, {"GET", "a"}, false); });
  EXPECT_TRUE(r.fed.empty());
}

TEST(Propagation, MultiGoesToTheFirstDatabaseAndExecToTheLast) {
  // MULTI; SELECT 2; SET a 1; SELECT 0; SET b 1; EXEC from database 0.
  Recorder r;
  exec(r, 0, [&] {
    r.command(2, {"SELECT", "2"}, false);
    r.command(2, {"SET", "a", "1"}, true);
    r.command(0, {"SELECT", "0"}, false);
    r.command(0, {"SET", "b", "1"}, true);
  });
  EXPECT_EQ(r.fed, (Lines{"2: MULTI", "2: SET a 1", "0: SET b 1", "0: EXEC"}));
}

TEST(Propagation, AnExpiredKeyMetInsideAnExecJoinsTheTransaction) {
  Recorder r;
  exec(r, 0, [&] {
    r.command(0, {"GET", "k"}, false, [&] { r.propagation.also_propagate(0, {"DEL", "k"}); });
    r.command(0, {"SET", "x", "1"}, true);
  });
  EXPECT_EQ(r.fed, (Lines{"0: MULTI", "0: DEL k", "0: SET x 1", "0: EXEC"}));
}

TEST(Propagation, EachUnitIsWrappedOnItsOwn) {
  Recorder r;
  r.command(0, {"SET", "k", "w"}, true, [&] { r.propagation.also_propagate(0, {"DEL", "k"}); });
  r.command(0, {"SET", "x", "1"}, true);
  EXPECT_EQ(r.fed, (Lines{"0: MULTI", "0: DEL k", "0: SET k w", "0: EXEC", "0: SET x 1"}));
}

}  // namespace
}  // namespace tandem
