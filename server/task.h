// Coroutine types the reactor runs.
//
// Task is a detached coroutine: it starts at once, runs until its first suspension, and destroys
// its own frame when it finishes. Whatever a task uses across a suspension point must live in its
// frame (a local or a parameter taken by value), never in a caller that may be gone by then.
// Until it finishes, its frame is on a list of live tasks: when the loop has stopped for good,
// destroy_parked_tasks() destroys the frames still parked (a client waiting for input, a cron
// asleep, a replica link mid-transfer), which runs their locals' destructors as if each had
// returned at its suspension point. That is how a shutdown frees every client and link.
//
// Async<T> is a child coroutine a task awaits (`T v = co_await child();`): it starts when awaited
// and resumes its parent when it returns. The parent's frame outlives it, so a child may take
// references to the parent's locals.
//
// An exception escaping either is a bug: the reactor must never unwind, so it terminates.
#pragma once

#include <coroutine>
#include <exception>
#include <optional>
#include <type_traits>
#include <utility>

namespace tandem {

struct Task {
  struct promise_type {
    // Links itself at the head of the live list: the newest task is destroyed first.
    promise_type() noexcept : next_(live_) {
      if (next_) next_->prev_ = this;
      live_ = this;
    }
    ~promise_type() {
      (prev_ ? prev_->next_ : live_) = next_;
      if (next_) next_->prev_ = prev_;
    }
    promise_type(const promise_type&) = delete;
    promise_type& operator=(const promise_type&) = delete;

    Task get_return_object() noexcept { return {}; }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() noexcept {}
    void unhandled_exception() noexcept { std::terminate(); }

   private:
    friend void destroy_parked_tasks();
    // Tasks are created and resumed on the main thread only, so the list needs no lock.
    static inline promise_type* live_ = nullptr;
    promise_type* prev_ = nullptr;
    promise_type* next_ = nullptr;
  };
};

// Destroys every task that has not finished. Only once nothing can resume one any more: the
// loop has stopped and no io_uring operation still names a handler in a frame (see
// Reactor::cancel_all). No frame may be running. A destructor that starts a new task gets it
// destroyed too.
inline void destroy_parked_tasks() {
  while (Task::promise_type* task = Task::promise_type::live_) {
    std::coroutine_handle<Task::promise_type>::from_promise(*task).destroy();
  }
}

template <typename T = void>
class Async;

namespace detail {
// Resumes the awaiting parent when a child finishes (symmetric transfer: no stack growth).
struct ResumeParent {
  bool await_ready() noexcept { return false; }
  template <typename P>
  std::coroutine_handle<> await_suspend(std::coroutine_handle<P> h) noexcept {
    return h.promise().continuation;
  }
  void await_resume() noexcept {}
};
struct AsyncPromiseBase {
  std::coroutine_handle<> continuation;
  std::suspend_always initial_suspend() noexcept { return {}; }
  ResumeParent final_suspend() noexcept { return {}; }
  void unhandled_exception() noexcept { std::terminate(); }
};
template <typename T>
struct AsyncPromise : AsyncPromiseBase {
  std::optional<T> value;
  Async<T> get_return_object() noexcept;
  void return_value(T v) { value.emplace(std::move(v)); }
};
template <>
struct AsyncPromise<void> : AsyncPromiseBase {
  Async<void> get_return_object() noexcept;
  void return_void() noexcept {}
};
}  // namespace detail

template <typename T>
class [[nodiscard]] Async {
 public:
  using promise_type = detail::AsyncPromise<T>;
  explicit Async(std::coroutine_handle<promise_type> h) : handle_(h) {}
  Async(Async&& o) noexcept : handle_(std::exchange(o.handle_, nullptr)) {}
  Async(const Async&) = delete;
  ~Async() {
    if (handle_) handle_.destroy();
  }

  bool await_ready() const noexcept { return false; }
  std::coroutine_handle<> await_suspend(std::coroutine_handle<> parent) noexcept {
    handle_.promise().continuation = parent;
    return handle_;
  }
  T await_resume() {
    if constexpr (!std::is_void_v<T>) return std::move(*handle_.promise().value);
  }

 private:
  std::coroutine_handle<promise_type> handle_;
};

namespace detail {
template <typename T>
Async<T> AsyncPromise<T>::get_return_object() noexcept {
  return Async<T>(std::coroutine_handle<AsyncPromise<T>>::from_promise(*this));
}
inline Async<void> AsyncPromise<void>::get_return_object() noexcept {
  return Async<void>(std::coroutine_handle<AsyncPromise<void>>::from_promise(*this));
}
}  // namespace detail

// A single waiter parked until someone wakes it; the building block of connection events
// ("input arrived", "output drained"). Waking with nobody parked is a no-op.
// Awaited as `co_await wakeup.wait()`: the awaiter holds a pointer, so the parked handle is
// stored in the Wakeup itself whatever the compiler does with awaiter temporaries.
class Wakeup {
 public:
  Wakeup() = default;
  Wakeup(const Wakeup&) = delete;
  Wakeup& operator=(const Wakeup&) = delete;

  auto wait() {
    struct Awaiter {
      Wakeup* wakeup;
      bool await_ready() const noexcept { return false; }
      void await_suspend(std::coroutine_handle<> h) noexcept { wakeup->waiter_ = h; }
      void await_resume() const noexcept {}
    };
    return Awaiter{this};
  }
  bool has_waiter() const noexcept { return static_cast<bool>(waiter_); }
  void wake() {
    if (auto h = waiter_) {
      waiter_ = nullptr;
      h.resume();
    }
  }

 private:
  std::coroutine_handle<> waiter_;
};

}  // namespace tandem
