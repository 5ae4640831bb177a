// Listening sockets for the configured bind addresses, each served by a multishot accept that
// hands every new socket to a client coroutine.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "server/reactor.h"
#include "server/task.h"
#include "tl/expected.hpp"

namespace tandem {

class Server;

class Listener final : public CompletionHandler {
 public:
  Listener(Server& server, int fd) : server_(server), fd_(fd) {}
  ~Listener();
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  // Opens a listening socket; `address` may start with '-' (Redis: skip if unavailable).
  static tl::expected<int, std::string> open_socket(const std::string& address, int port,
                                                    int backlog);
  void arm();
  Task arm_later();
  void on_completion(int result, uint32_t flags) override;
  // Stops listening (CONFIG SET port/bind). The ring may still complete the pending accept
  // afterwards, so the object must outlive that: the server keeps closed listeners until exit.
  void close();

 private:
  Server& server_;
  int fd_;
};

}  // namespace tandem
