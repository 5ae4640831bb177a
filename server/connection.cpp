#include "server/connection.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

namespace tandem {

Connection::Connection(Reactor& reactor, int fd) : reactor_(reactor), fd_(fd) {}

Connection::~Connection() {
  if (fd_ >= 0) ::close(fd_);
}

void Connection::start_receiving() {
  if (recv_armed_ || finished() || closing_) return;
  io_uring_sqe* sqe = reactor_.prepare(&recv_handler_);
  io_uring_prep_recv_multishot(sqe, fd_, nullptr, 0, 0);
  sqe->flags |= IOSQE_BUFFER_SELECT;
  sqe->buf_group = BufferRing::kGroupId;
  recv_armed_ = true;
}

void Connection::on_recv(int res, uint32_t flags) {
  if (res > 0) {
    auto id = static_cast<uint16_t>(flags >> IORING_CQE_BUFFER_SHIFT);
    input_.append(reactor_.buffers().data(id, static_cast<size_t>(res)));
    reactor_.buffers().recycle(id);
    new_input_ = true;
  } else if (res == 0) {
    peer_closed_ = true;
  } else if (res != -ENOBUFS) {
    // -ENOBUFS only means the shared buffers ran out this turn: re-arm and go on.
    failed_ = true;
  }
  if (!(flags & IORING_CQE_F_MORE)) {
    recv_armed_ = false;
    start_receiving();
  }
  events_.wake();  // last: the woken coroutine may destroy this connection once it is idle
}

void Connection::flush() {
  if (send_in_flight_ || output_.empty() || failed()) return;
  sending_.swap(output_);
  output_.clear();
  sent_ = 0;
  submit_send();
}

void Connection::submit_send() {
  io_uring_sqe* sqe = reactor_.prepare(&send_handler_);
  io_uring_prep_send(sqe, fd_, sending_.data() + sent_, sending_.size() - sent_, MSG_NOSIGNAL);
  send_in_flight_ = true;
}

void Connection::on_send(int res, uint32_t) {
  send_in_flight_ = false;
  if (res < 0) {
    failed_ = true;
  } else {
    sent_ += static_cast<size_t>(res);
    if (sent_ < sending_.size()) {
      submit_send();
      return;
    }
    sending_.clear();
    sent_ = 0;
    // Replies queued while this send was in flight go out now rather than a turn later.
    flush();
  }
  events_.wake();
}

void Connection::kill() {
  if (killed_) return;
  killed_ = true;
  // Shutting the socket down completes the pending receive and fails any send in flight.
  ::shutdown(fd_, SHUT_RDWR);
  events_.wake();
}

Async<> Connection::close(bool flush_first) {
  if (flush_first) {
    while (pending_output() > 0 && !failed()) {
      flush();
      co_await events_.wait();
    }
  }
  closing_ = true;
  if (!idle()) ::shutdown(fd_, SHUT_RDWR);
  while (!idle()) co_await events_.wait();
}

}  // namespace tandem
