#include "server/reactor.h"

#include <sys/mman.h>

#include <array>
#include <cerrno>
#include <cstring>

#include "fmt/format.h"

namespace tandem {
namespace {
constexpr unsigned kSubmissionEntries = 4096;
constexpr unsigned kCompletionEntries = 65536;
// All buffers become resident as the ring rotates; 256 cover far more receives per loop turn
// than 50 busy clients make (docs/ARCHITECTURE.md has the measurement).
constexpr unsigned kRecvBufferCount = 256;
constexpr unsigned kRecvBufferSize = 16 * 1024;
// The longest the loop sleeps without a timer: bounds how late a stop() is noticed.
constexpr auto kMaxSleep = std::chrono::milliseconds(100);
}  // namespace

BufferRing::BufferRing(io_uring* ring, unsigned count, unsigned size)
    : uring_(ring), count_(count), size_(size), storage_(new char[size_t{count} * size]) {
  ring_bytes_ = count * sizeof(io_uring_buf);
  void* mem =
      mmap(nullptr, ring_bytes_, PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_PRIVATE, -1, 0);
  if (mem == MAP_FAILED) return;
  io_uring_buf_reg reg{};
  reg.ring_addr = reinterpret_cast<uint64_t>(mem);
  reg.ring_entries = count;
  reg.bgid = kGroupId;
  if (io_uring_register_buf_ring(uring_, &reg, 0) != 0) {
    munmap(mem, ring_bytes_);
    return;
  }
  ring_ = static_cast<io_uring_buf_ring*>(mem);
  io_uring_buf_ring_init(ring_);
  for (unsigned i = 0; i < count_; ++i) {
    io_uring_buf_ring_add(ring_, storage_.get() + size_t{i} * size_, size_, i,
                          io_uring_buf_ring_mask(count_), i);
  }
  io_uring_buf_ring_advance(ring_, count_);
}

BufferRing::~BufferRing() {
  if (!ring_) return;
  io_uring_unregister_buf_ring(uring_, kGroupId);
  munmap(ring_, ring_bytes_);
}

void BufferRing::recycle(uint16_t id) {
  io_uring_buf_ring_add(ring_, storage_.get() + size_t{id} * size_, size_, id,
                        io_uring_buf_ring_mask(count_), 0);
  io_uring_buf_ring_advance(ring_, 1);
}

tl::expected<std::unique_ptr<Reactor>, std::string> Reactor::create() {
  std::unique_ptr<Reactor> reactor(new Reactor());
  io_uring_params params{};
  // Completions are only reaped when the loop asks for them: fewer interrupts, bigger batches.
  params.flags = IORING_SETUP_CQSIZE | IORING_SETUP_SUBMIT_ALL | IORING_SETUP_SINGLE_ISSUER |
                 IORING_SETUP_DEFER_TASKRUN;
  params.cq_entries = kCompletionEntries;
  int rc = io_uring_queue_init_params(kSubmissionEntries, &reactor->ring_, &params);
  if (rc == -EINVAL) {  // older kernels: the plain ring works, only slower
    params = {};
    params.flags = IORING_SETUP_CQSIZE;
    params.cq_entries = kCompletionEntries;
    rc = io_uring_queue_init_params(kSubmissionEntries, &reactor->ring_, &params);
  }
  if (rc < 0) return tl::unexpected(fmt::format("io_uring_queue_init: {}", strerror(-rc)));
  reactor->ring_ready_ = true;
  reactor->buffers_ =
      std::make_unique<BufferRing>(&reactor->ring_, kRecvBufferCount, kRecvBufferSize);
  if (!reactor->buffers_->ok()) {
    return tl::unexpected(std::string("io_uring provided buffer ring registration failed"));
  }
  return reactor;
}

Reactor::~Reactor() {
  buffers_.reset();
  if (ring_ready_) io_uring_queue_exit(&ring_);
}

io_uring_sqe* Reactor::prepare(CompletionHandler* handler) {
  io_uring_sqe* sqe = io_uring_get_sqe(&ring_);
  while (!sqe) {
    io_uring_submit(&ring_);
    sqe = io_uring_get_sqe(&ring_);
  }
  io_uring_sqe_set_data(sqe, handler);
  ++in_flight_;
  return sqe;
}

__kernel_timespec Reactor::time_to_next_timer() const {
  auto wait = std::chrono::nanoseconds(kMaxSleep);
  if (!timers_.empty()) {
    auto until = timers_.top().deadline - Clock::now();
    wait = std::clamp(std::chrono::duration_cast<std::chrono::nanoseconds>(until),
                      std::chrono::nanoseconds(0), wait);
  }
  __kernel_timespec ts{};
  ts.tv_sec = wait.count() / 1'000'000'000;
  ts.tv_nsec = wait.count() % 1'000'000'000;
  return ts;
}

void Reactor::run_due_timers() {
  auto now = Clock::now();
  while (!timers_.empty() && timers_.top().deadline <= now) {
    auto waiter = timers_.top().waiter;
    timers_.pop();
    waiter.resume();
  }
}

void Reactor::run() {
  std::array<io_uring_cqe*, 256> batch{};
  while (!stopping_) {
    for (auto& hook : before_sleep_) hook();
    __kernel_timespec timeout = time_to_next_timer();
    io_uring_cqe* first = nullptr;
    int rc = io_uring_submit_and_wait_timeout(&ring_, &first, 1, &timeout, nullptr);
    if (rc < 0 && rc != -ETIME && rc != -EINTR && rc != -EBUSY) {
      fmt::print(stderr, "io_uring_submit_and_wait_timeout: {}\n", strerror(-rc));
    }
    // Copy each batch out and release the slots before dispatching: handlers submit new work.
    for (;;) {
      unsigned n = io_uring_peek_batch_cqe(&ring_, batch.data(), batch.size());
      if (n == 0) break;
      std::array<std::pair<CompletionHandler*, std::pair<int, uint32_t>>, 256> events;
      for (unsigned i = 0; i < n; ++i) {
        events[i] = {static_cast<CompletionHandler*>(io_uring_cqe_get_data(batch[i])),
                     {batch[i]->res, batch[i]->flags}};
        if (!(batch[i]->flags & IORING_CQE_F_MORE)) --in_flight_;
      }
      io_uring_cq_advance(&ring_, n);
      for (unsigned i = 0; i < n; ++i) {
        if (events[i].first)
          events[i].first->on_completion(events[i].second.first, events[i].second.second);
      }
      if (n < batch.size()) break;
    }
    run_due_timers();
  }
}

bool Reactor::cancel_all(std::chrono::milliseconds limit) {
  const auto deadline = Clock::now() + limit;
  // A cancellation races with operations still being issued (io-wq punts), so it is repeated
  // until nothing is left.
  constexpr auto kRetry = std::chrono::milliseconds(50);
  while (in_flight_ > 0 && Clock::now() < deadline) {
    io_uring_sqe* sqe = prepare(nullptr);
    io_uring_prep_cancel64(sqe, 0, IORING_ASYNC_CANCEL_ANY);
    io_uring_submit(&ring_);
    const auto retry_at = std::min(deadline, Clock::now() + kRetry);
    while (in_flight_ > 0 && Clock::now() < retry_at) {
      auto wait = std::chrono::duration_cast<std::chrono::nanoseconds>(retry_at - Clock::now());
      __kernel_timespec ts{.tv_sec = wait.count() / 1'000'000'000,
                           .tv_nsec = wait.count() % 1'000'000'000};
      io_uring_cqe* cqe = nullptr;
      if (io_uring_wait_cqe_timeout(&ring_, &cqe, &ts) != 0) continue;
      unsigned head = 0, seen = 0;
      io_uring_for_each_cqe(&ring_, head, cqe) {
        if (!(cqe->flags & IORING_CQE_F_MORE)) --in_flight_;
        ++seen;
      }
      io_uring_cq_advance(&ring_, seen);
    }
  }
  return in_flight_ == 0;
}

}  // namespace tandem
