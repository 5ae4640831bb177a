// tandem-server [/path/to/redis.conf] [--name value ...]: the same command line as redis-server.
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <span>
#include <string>
#include <vector>

#include "fmt/format.h"
#include "server/config.h"
#include "server/log.h"
#include "server/persistence.h"
#include "server/reactor.h"
#include "server/server.h"
#include "server/startup_load.h"
#include "server/task.h"
#include "server/version.h"

namespace tandem {
namespace {

// How long the shutdown waits for the kernel to give back operations it already runs (a file
// read or write); sockets, pipes and timers are cancelled at once.
constexpr auto kCancelLimit = std::chrono::milliseconds(2000);

void print_usage() {
  fmt::print(stderr,
             "Usage: ./tandem-server [/path/to/redis.conf] [options]\n"
             "       ./tandem-server - (read config from stdin)\n"
             "       ./tandem-server -v or --version\n"
             "       ./tandem-server -h or --help\n\n"
             "Examples:\n"
             "       ./tandem-server (run the server with default conf)\n"
             "       ./tandem-server /etc/redis/6379.conf\n"
             "       ./tandem-server --port 7777\n"
             "       ./tandem-server --port 7777 --replicaof 127.0.0.1 8888\n"
             "       ./tandem-server /etc/myredis.conf --loglevel verbose\n");
}

tl::expected<Config, std::string> load_config(std::span<const std::string> args) {
  Config config;
  size_t first_option = 0;
  if (!args.empty() && args[0].rfind("--", 0) != 0) {
    if (auto loaded = config.load_file(args[0]); !loaded) return tl::unexpected(loaded.error());
    first_option = 1;
  }
  if (auto applied = config.load_arguments(args.subspan(first_option)); !applied) {
    return tl::unexpected(applied.error());
  }
  return config;
}

// Detaches from the terminal like redis-server's daemonize: the parent exits at once. It owns
// only the parsed configuration, still on its stack, so a leak check at its exit finds nothing.
void daemonize() {
  if (fork() != 0) std::exit(0);
  setsid();
  if (FILE* null = std::fopen("/dev/null", "r+")) {
    dup2(fileno(null), STDIN_FILENO);
    dup2(fileno(null), STDOUT_FILENO);
    dup2(fileno(null), STDERR_FILENO);
    std::fclose(null);
  }
}

// SIGTERM and SIGINT arrive as a read on a signalfd, so shutdown runs on the loop like any event.
Task watch_signals(Server& server, int signal_fd) {
  signalfd_siginfo info{};
  int n = co_await server.reactor().submit(
      [&](io_uring_sqe* sqe) { io_uring_prep_read(sqe, signal_fd, &info, sizeof(info), 0); });
  if (n == static_cast<int>(sizeof(info))) {
    log(LogLevel::kWarning, "Received {} scheduling shutdown...",
        info.ssi_signo == SIGINT ? "SIGINT" : "SIGTERM");
  }
  // As Redis, a signal saves the final snapshot when save points are configured, except while
  // the dump is still being loaded.
  if (!server.config().save.empty() && !server.persistence().loading) {
    log(LogLevel::kNotice, "Saving the final RDB snapshot before exiting.");
    if (!save_rdb(server)) {
      log(LogLevel::kWarning, "Error trying to save the DB, can't exit.");
      co_return;
    }
  }
  server.shutdown();
}

int run(std::span<const std::string> args) {
  if (!args.empty() && (args[0] == "-v" || args[0] == "--version")) {
    fmt::print("tandem server v={} redis-compat={} bits=64 multiplexing=io_uring\n", kTandemVersion,
               kRedisCompatVersion);
    return 0;
  }
  if (!args.empty() && (args[0] == "-h" || args[0] == "--help")) {
    print_usage();
    return 0;
  }
  auto config = load_config(args);
  if (!config) {
    fmt::print(stderr, "{}\n", config.error());
    return 1;
  }
  if (config->daemonize) daemonize();
  if (!configure_log({.level = parse_log_level(config->loglevel).value_or(LogLevel::kNotice),
                      .file = config->logfile})) {
    fmt::print(stderr, "Can't open the log file: {}\n", config->logfile);
    return 1;
  }
  log(LogLevel::kNotice, "oO0OoO0OoO0Oo tandem is starting oO0OoO0OoO0Oo");
  log(LogLevel::kNotice, "tandem version={}, redis-compat={}, bits=64, pid={}, just started",
      kTandemVersion, kRedisCompatVersion, getpid());
  log(LogLevel::kNotice, "{}",
      config->config_file().empty() ? "Warning: no config file specified, using the default config."
                                    : "Configuration loaded");

  std::string pidfile = config->pidfile;
  if (pidfile.empty() && config->daemonize)
    pidfile = fmt::format("/var/run/redis_{}.pid", config->port);
  if (!pidfile.empty()) {
    std::ofstream(pidfile) << getpid() << "\n";
  }

  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigprocmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);
  int signal_fd = signalfd(-1, &signals, SFD_CLOEXEC);

  auto reactor = Reactor::create();
  if (!reactor) {
    log(LogLevel::kWarning, "Failed to create the io_uring event loop: {}", reactor.error());
    return 1;
  }
  int exit_code = 0;
  {
    Server server(std::move(*config), **reactor);
    if (auto listening = server.listen(); !listening) {
      log(LogLevel::kWarning, "{}", listening.error());
      exit_code = 1;
    } else {
      log(LogLevel::kNotice, "Server initialized");
      server.start();
      watch_signals(server, signal_fd);
      load_dump_then_serve(server, exit_code);
      (*reactor)->run();
      log(LogLevel::kWarning, "tandem is now ready to exit, bye bye...");
      // Tear-down, in ownership order: once no operation is left in the kernel, the coroutines
      // still parked (clients, replica streams, the link to our master, a load) are destroyed
      // with what their frames own; then the server (keyspace, backlog, background threads
      // joined), then the ring. Nothing waits for a peer: sockets are just closed, as Redis
      // exits; a loading thread is cancelled and stops at its next read of the dump or pipe.
      // If an operation could not be cancelled, its coroutine stays (never resumed), so the
      // kernel never writes into freed memory.
      if ((*reactor)->cancel_all(kCancelLimit)) {
        destroy_parked_tasks();
      } else {
        log(LogLevel::kWarning, "io_uring operations still in flight at exit");
      }
    }
  }
  ::close(signal_fd);
  if (!pidfile.empty()) unlink(pidfile.c_str());
  return exit_code;
}

}  // namespace
}  // namespace tandem

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  return tandem::run(args);
}
