// PLACEHOLDER written so the tree compiles while the real Config (server/config.h/.cpp) is being
// written; it will be replaced wholesale.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "tl/expected.hpp"

namespace tandem {

class Config {
 public:
  tl::expected<void, std::string> load_file(const std::string& path) {
    file_ = path;
    return {};
  }
  tl::expected<void, std::string> load_arguments(std::span<const std::string> args) {
    for (size_t i = 0; i + 1 < args.size(); i += 2) {
      if (args[i] == "--port") port = std::stoi(args[i + 1]);
      if (args[i] == "--requirepass") requirepass = args[i + 1];
    }
    return {};
  }
  std::string config_file() const { return file_; }

  int port = 6379;
  std::vector<std::string> bind = {"127.0.0.1", "-::1"};
  int tcp_backlog = 511;
  int databases = 16;
  int hz = 10;
  bool activerehashing = true;
  int timeout = 0;
  int tcp_keepalive = 300;
  int maxclients = 10000;
  std::string requirepass;
  int64_t proto_max_bulk_len = 512 * 1024 * 1024;
  uint64_t client_query_buffer_limit = 1024ull * 1024 * 1024;
  bool daemonize = false;
  std::string loglevel = "notice";
  std::string logfile;
  std::string pidfile;

 private:
  std::string file_;
};

}  // namespace tandem
