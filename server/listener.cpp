#include "server/listener.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "server/client_session.h"
#include "server/log.h"
#include "server/server.h"

namespace tandem {

Listener::~Listener() { close(); }

void Listener::close() {
  if (fd_ < 0) return;
  // The ring's pending multishot accept holds its own reference to the socket, and the kernel
  // drops it only when it tears the ring down, after the process is gone: close() alone would
  // leave the port listening for a moment, and a server restarted at once on the same port
  // would fail with "Address already in use". shutdown() stops the listening state now.
  ::shutdown(fd_, SHUT_RDWR);
  ::close(std::exchange(fd_, -1));
}

tl::expected<int, std::string> Listener::open_socket(const std::string& address, int port,
                                                     int backlog) {
  sockaddr_storage storage{};
  socklen_t length = 0;
  int family = AF_INET;
  if (address.find(':') != std::string::npos) {
    auto* a6 = reinterpret_cast<sockaddr_in6*>(&storage);
    a6->sin6_family = AF_INET6;
    a6->sin6_port = htons(static_cast<uint16_t>(port));
    if (address == "::*") {
      a6->sin6_addr = in6addr_any;
    } else if (inet_pton(AF_INET6, address.c_str(), &a6->sin6_addr) != 1) {
      return tl::unexpected(fmt::format("Invalid bind address '{}'", address));
    }
    family = AF_INET6;
    length = sizeof(sockaddr_in6);
  } else {
    auto* a4 = reinterpret_cast<sockaddr_in*>(&storage);
    a4->sin_family = AF_INET;
    a4->sin_port = htons(static_cast<uint16_t>(port));
    if (address == "*") {
      a4->sin_addr.s_addr = htonl(INADDR_ANY);
    } else if (inet_pton(AF_INET, address.c_str(), &a4->sin_addr) != 1) {
      return tl::unexpected(fmt::format("Invalid bind address '{}'", address));
    }
    length = sizeof(sockaddr_in);
  }
  int fd = ::socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return tl::unexpected(fmt::format("socket: {}", strerror(errno)));
  int yes = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  if (family == AF_INET6) setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &yes, sizeof(yes));
  if (::bind(fd, reinterpret_cast<sockaddr*>(&storage), length) != 0 ||
      ::listen(fd, backlog) != 0) {
    std::string error = strerror(errno);
    ::close(fd);
    return tl::unexpected(fmt::format("Could not create server TCP listening socket {}:{}: {}",
                                      address, port, error));
  }
  return fd;
}

void Listener::arm() {
  io_uring_sqe* sqe = server_.reactor().prepare(this);
  io_uring_prep_multishot_accept(sqe, fd_, nullptr, nullptr, SOCK_CLOEXEC);
}

Task Listener::arm_later() {
  co_await server_.reactor().sleep_for(std::chrono::milliseconds(100));
  if (fd_ >= 0) arm();
}

void Listener::on_completion(int result, uint32_t flags) {
  if (fd_ < 0) {  // closed: what the cancelled accept still reports goes nowhere
    if (result >= 0) ::close(result);
    return;
  }
  if (result >= 0) {
    serve_client(server_, result);
  } else if (result != -ECANCELED) {
    log(LogLevel::kWarning, "Accepting client connection: {}", strerror(-result));
  }
  if (flags & IORING_CQE_F_MORE || result == -ECANCELED) return;
  // Out of file descriptors (or memory): retrying at once would spin, so back off a little.
  if (result < 0) {
    arm_later();
  } else {
    arm();
  }
}

}  // namespace tandem
