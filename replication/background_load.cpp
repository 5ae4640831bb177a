#include "replication/background_load.h"

#include <fcntl.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "fmt/format.h"

namespace tandem {
namespace {

// A file read through a descriptor, failing once the load is cancelled.
class CancellableFileSource final : public rdb::Source {
 public:
  CancellableFileSource(int fd, const std::atomic<bool>& cancelled)
      : fd_(fd), cancelled_(cancelled) {}
  tl::expected<size_t, std::string> read(char* dst, size_t max) override {
    if (cancelled_) return tl::unexpected(std::string("loading cancelled"));
    for (;;) {
      ssize_t n = ::read(fd_, dst, max);
      if (n >= 0) return static_cast<size_t>(n);
      if (errno != EINTR) return tl::unexpected(std::string(std::strerror(errno)));
    }
  }

 private:
  int fd_;
  const std::atomic<bool>& cancelled_;
};

}  // namespace

BackgroundLoad::BackgroundLoad(std::string path, int databases, rdb::LoadOptions options,
                               int64_t now_ms)
    : path_(std::move(path)),
      now_ms_(now_ms),
      keyspace_(std::make_unique<Keyspace>(databases)),
      result_(tl::unexpected(std::string("not loaded"))),
      event_fd_(::eventfd(0, EFD_CLOEXEC)) {
  thread_ = std::thread([this, options] { work(options); });
}

BackgroundLoad::BackgroundLoad(FromPipe, int databases, rdb::LoadOptions options)
    : keyspace_(std::make_unique<Keyspace>(databases)),
      result_(tl::unexpected(std::string("not loaded"))),
      event_fd_(::eventfd(0, EFD_CLOEXEC)) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) == 0) {
    pipe_fd_ = fds[0];
    input_fd_ = fds[1];
  }
  thread_ = std::thread([this, options] { work(options); });
}

void BackgroundLoad::close_input() {
  if (input_fd_ >= 0) ::close(std::exchange(input_fd_, -1));
}

BackgroundLoad::~BackgroundLoad() {
  cancel();
  join();
  if (event_fd_ >= 0) ::close(event_fd_);
}

void BackgroundLoad::join() {
  if (thread_.joinable()) thread_.join();
}

void BackgroundLoad::work(rdb::LoadOptions options) {
  const bool from_pipe = path_.empty();
  int fd = from_pipe ? pipe_fd_ : ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (from_pipe && fd < 0) {
    result_ = tl::unexpected(std::string("Can't create the pipe to the RDB parser"));
  } else if (fd < 0) {
    result_ = tl::unexpected(fmt::format("Can't open {}: {}", path_, std::strerror(errno)));
  } else if (!from_pipe && ::fsync(fd) != 0 && errno != EINVAL) {
    // Durable before it may be renamed over the dump (EINVAL: a FIFO, nothing to sync).
    result_ = tl::unexpected(fmt::format("fsync {}: {}", path_, std::strerror(errno)));
    ::close(fd);
  } else {
    CancellableFileSource source(fd, cancelled_);
    auto loaded = rdb::load_keyspace(source, options, now_ms_, *keyspace_);
    if (loaded) {
      result_ = *loaded;
    } else {
      result_ = tl::unexpected(loaded.error().to_string());
    }
    ::close(fd);
  }
  uint64_t one = 1;
  [[maybe_unused]] ssize_t n = ::write(event_fd_, &one, sizeof(one));
}

Async<> BackgroundLoad::wait(Reactor& reactor) {
  uint64_t value = 0;
  for (;;) {
    int n = co_await reactor.submit(
        [&](io_uring_sqe* sqe) { io_uring_prep_read(sqe, event_fd_, &value, sizeof(value), 0); });
    if (n != -EINTR && n != -EAGAIN) break;
  }
  join();
}

}  // namespace tandem
