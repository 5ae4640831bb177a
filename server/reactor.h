// The main thread's io_uring event loop.
//
// One ring, driven by one thread. Every submission carries a CompletionHandler* as user_data; the
// loop collects completions, dispatches each to its handler, runs the timers that are due, then
// lets registered before-sleep hooks queue more work (flushing client replies) and submits all of
// it with a single io_uring_enter that also waits for the next completion or timer.
//
// Lifetime rule: a handler must stay alive until the kernel has posted its last completion
// (for multishot operations: the one without IORING_CQE_F_MORE). Connections enforce that by
// cancelling and awaiting their in-flight operations before they are destroyed. At shutdown,
// cancel_all() ends every operation still in flight without calling its handler, after which
// the coroutines parked on them may be destroyed (server/task.h).
#pragma once

#include <liburing.h>

#include <chrono>
#include <coroutine>
#include <cstdint>
#include <functional>
#include <memory>
#include <queue>
#include <string>
#include <string_view>
#include <vector>

#include "tl/expected.hpp"

namespace tandem {

class CompletionHandler {
 public:
  virtual void on_completion(int result, uint32_t flags) = 0;

 protected:
  ~CompletionHandler() = default;
};

// Provided buffers for multishot receives: the kernel picks a free buffer per completion; the
// consumer copies what it needs and hands the buffer back at once with recycle().
class BufferRing {
 public:
  static constexpr uint16_t kGroupId = 0;
  BufferRing(io_uring* ring, unsigned count, unsigned size);
  ~BufferRing();
  BufferRing(const BufferRing&) = delete;
  BufferRing& operator=(const BufferRing&) = delete;

  bool ok() const { return ring_ != nullptr; }
  std::string_view data(uint16_t id, size_t len) const {
    return {storage_.get() + size_t{id} * size_, len};
  }
  void recycle(uint16_t id);

 private:
  io_uring* uring_;
  io_uring_buf_ring* ring_ = nullptr;
  size_t ring_bytes_ = 0;
  unsigned count_;
  unsigned size_;
  std::unique_ptr<char[]> storage_;
};

class Reactor {
 public:
  using Clock = std::chrono::steady_clock;

  static tl::expected<std::unique_ptr<Reactor>, std::string> create();
  ~Reactor();
  Reactor(const Reactor&) = delete;
  Reactor& operator=(const Reactor&) = delete;

  // A submission slot tagged with its handler; flushes the queue to the kernel when it is full.
  io_uring_sqe* prepare(CompletionHandler* handler);
  BufferRing& buffers() { return *buffers_; }

  // Runs until stop(); hooks run once per loop turn, right before submitting.
  void run();
  void stop() { stopping_ = true; }
  // After run(): cancels every operation in flight (submitting what was prepared first) and
  // reaps their completions without dispatching them, so no handler runs again and the kernel
  // no longer writes into any buffer of ours. Cancellation is prompt for sockets, pipes and
  // polls; a file read or write the kernel already runs is waited for, up to `limit`. False if
  // operations were still in flight then (their handlers must then stay alive).
  bool cancel_all(std::chrono::milliseconds limit);
  void add_before_sleep(std::function<void()> hook) { before_sleep_.push_back(std::move(hook)); }

  // co_await reactor.sleep_for(ms): resumes the coroutine on a later loop turn.
  auto sleep_for(std::chrono::milliseconds delay) {
    struct Awaiter {
      Reactor& reactor;
      Clock::time_point deadline;
      bool await_ready() const noexcept { return false; }
      void await_suspend(std::coroutine_handle<> h) {
        reactor.timers_.push({deadline, reactor.timer_seq_++, h});
      }
      void await_resume() const noexcept {}
    };
    return Awaiter{*this, Clock::now() + delay};
  }

  // co_await reactor.submit([](io_uring_sqe* sqe) { io_uring_prep_...(sqe, ...); }) -> cqe result.
  template <typename Prep>
  auto submit(Prep prep) {
    struct Awaiter final : CompletionHandler {
      Reactor& reactor;
      Prep prep;
      std::coroutine_handle<> waiter;
      int result = 0;
      Awaiter(Reactor& r, Prep p) : reactor(r), prep(std::move(p)) {}
      Awaiter(const Awaiter&) = delete;  // the kernel holds its address while suspended
      bool await_ready() const noexcept { return false; }
      void await_suspend(std::coroutine_handle<> h) {
        waiter = h;
        prep(reactor.prepare(this));
      }
      int await_resume() const noexcept { return result; }
      void on_completion(int res, uint32_t) override {
        result = res;
        waiter.resume();
      }
    };
    return Awaiter(*this, std::move(prep));
  }

 private:
  struct Timer {
    Clock::time_point deadline;
    uint64_t seq;
    std::coroutine_handle<> waiter;
    bool operator>(const Timer& o) const {
      return deadline != o.deadline ? deadline > o.deadline : seq > o.seq;
    }
  };

  Reactor() = default;
  void run_due_timers();
  __kernel_timespec time_to_next_timer() const;

  io_uring ring_{};
  bool ring_ready_ = false;
  bool stopping_ = false;
  // Submissions whose last completion has not been reaped (multishot ones count once).
  uint64_t in_flight_ = 0;
  std::unique_ptr<BufferRing> buffers_;
  std::vector<std::function<void()>> before_sleep_;
  std::priority_queue<Timer, std::vector<Timer>, std::greater<>> timers_;
  uint64_t timer_seq_ = 0;
};

}  // namespace tandem
