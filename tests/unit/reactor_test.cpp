// The reactor's shutdown: cancel_all() gives back every operation still in the kernel without
// resuming anyone, after which destroy_parked_tasks() frees the coroutines parked on them.
#include "server/reactor.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <memory>

#include "server/connection.h"
#include "server/task.h"

namespace tandem {
namespace {

using std::chrono::milliseconds;

// Sets its flag when the frame holding it is destroyed.
struct DestroyedFlag {
  bool* destroyed;
  ~DestroyedFlag() { *destroyed = true; }
};

Task read_forever(Reactor& reactor, int fd, bool& destroyed) {
  DestroyedFlag flag{&destroyed};
  char byte = 0;
  co_await reactor.submit([&](io_uring_sqe* sqe) { io_uring_prep_read(sqe, fd, &byte, 1, 0); });
  ADD_FAILURE() << "a cancelled read resumed its coroutine";
}

Task sleep_for_an_hour(Reactor& reactor, bool& destroyed) {
  DestroyedFlag flag{&destroyed};
  co_await reactor.sleep_for(std::chrono::hours(1));
  ADD_FAILURE() << "woke up";
}

// A connection's multishot receive, as a client session parks on it.
Task wait_for_input(Reactor& reactor, int fd, bool& destroyed) {
  DestroyedFlag flag{&destroyed};
  auto conn = std::make_unique<Connection>(reactor, fd);
  conn->start_receiving();
  co_await conn->events().wait();
  ADD_FAILURE() << "input arrived";
}

Task stop_soon(Reactor& reactor) {
  co_await reactor.sleep_for(milliseconds(20));
  reactor.stop();
}

TEST(ReactorTest, ParkedTasksAreDestroyedOnceTheirOperationsAreCancelled) {
  auto created = Reactor::create();
  ASSERT_TRUE(created) << created.error();
  Reactor& reactor = **created;
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  int sockets[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, sockets), 0);

  bool reader = false, sleeper = false, session = false;
  read_forever(reactor, pipe_fds[0], reader);
  sleep_for_an_hour(reactor, sleeper);
  wait_for_input(reactor, sockets[0], session);
  stop_soon(reactor);
  reactor.run();

  const auto started = std::chrono::steady_clock::now();
  EXPECT_TRUE(reactor.cancel_all(milliseconds(2000)));
  EXPECT_LT(std::chrono::steady_clock::now() - started, milliseconds(500));
  EXPECT_FALSE(reader || sleeper || session);  // reaped, not resumed

  destroy_parked_tasks();
  EXPECT_TRUE(reader);
  EXPECT_TRUE(sleeper);
  EXPECT_TRUE(session);  // and its connection closed sockets[0]
  char byte;
  EXPECT_EQ(::read(sockets[1], &byte, 1), 0);

  ::close(pipe_fds[0]);
  ::close(pipe_fds[1]);
  ::close(sockets[1]);
}

TEST(ReactorTest, DestroyingParkedTasksLeavesFinishedOnesAlone) {
  auto created = Reactor::create();
  ASSERT_TRUE(created) << created.error();
  Reactor& reactor = **created;
  stop_soon(reactor);  // finishes during run(): its frame is already gone
  bool sleeper = false;
  sleep_for_an_hour(reactor, sleeper);
  reactor.run();
  EXPECT_TRUE(reactor.cancel_all(milliseconds(100)));
  destroy_parked_tasks();
  EXPECT_TRUE(sleeper);
  destroy_parked_tasks();  // nothing left
}

}  // namespace
}  // namespace tandem
