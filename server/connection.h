// A socket served through the reactor: a multishot receive fills the input buffer, and the output
// buffer goes out in one send per loop turn.
//
// Buffers: replies are appended to `output_` at any time (by this client's commands, or by others
// publishing to it); flush() moves them to `sending_`, which the kernel owns until the send
// completes, so nothing appended later can move memory under an in-flight send.
//
// Lifetime: the owner must `co_await close()` before destroying a Connection; close() returns
// only when no operation of this connection is left in the kernel (see reactor.h).
// Every event (input, output drained, peer gone) wakes the single waiter parked on events();
// the waiter re-checks what it was waiting for.
#pragma once

#include <cstdint>
#include <string>
#include <utility>

#include "server/reactor.h"
#include "server/task.h"

namespace tandem {

class Connection {
 public:
  Connection(Reactor& reactor, int fd);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  int fd() const { return fd_; }
  void start_receiving();

  std::string& input() { return input_; }
  void consume_input(size_t n) { input_.erase(0, n); }
  // True once per batch of bytes received since the last call.
  bool take_new_input() { return std::exchange(new_input_, false); }
  std::string& output() { return output_; }
  size_t pending_output() const { return output_.size() + (sending_.size() - sent_); }

  // Peer closed, socket error or killed: no more input will come, output cannot be delivered.
  bool finished() const { return peer_closed_ || failed_ || killed_; }
  bool failed() const { return failed_ || killed_; }
  Wakeup& events() { return events_; }

  void flush();
  // Ends the connection from outside its coroutine (CLIENT KILL, timeouts, limits).
  void kill();
  // Optionally waits for queued output to be sent, then shuts the socket down and waits for
  // every in-flight operation to finish; afterwards the Connection may be destroyed.
  Async<> close(bool flush_first);

 private:
  template <void (Connection::*Method)(int, uint32_t)>
  struct Handler final : CompletionHandler {
    Connection* self;
    explicit Handler(Connection* c) : self(c) {}
    void on_completion(int res, uint32_t flags) override { (self->*Method)(res, flags); }
  };
  void on_recv(int res, uint32_t flags);
  void on_send(int res, uint32_t flags);
  void submit_send();
  bool idle() const { return !recv_armed_ && !send_in_flight_; }

  Reactor& reactor_;
  int fd_;
  std::string input_;
  std::string output_;
  std::string sending_;
  size_t sent_ = 0;
  bool new_input_ = false;
  bool recv_armed_ = false;
  bool send_in_flight_ = false;
  bool peer_closed_ = false;
  bool failed_ = false;
  bool killed_ = false;
  bool closing_ = false;
  Wakeup events_;
  Handler<&Connection::on_recv> recv_handler_{this};
  Handler<&Connection::on_send> send_handler_{this};
};

}  // namespace tandem
