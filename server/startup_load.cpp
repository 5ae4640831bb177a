#include "server/startup_load.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "fmt/format.h"
#include "replication/background_load.h"
#include "replication/master_link.h"
#include "replication/replication.h"
#include "server/log.h"
#include "server/persistence.h"
#include "server/server.h"
#include "storage/clock.h"

namespace tandem {

Task load_dump_then_serve(Server& server, int& exit_code) {
  const Config& config = server.config();
  const std::string path = dump_path(config);
  auto fatal = [&](std::string_view why) {
    log(LogLevel::kWarning, "Fatal error loading the DB: {}. Exiting.", why);
    exit_code = 1;
    server.shutdown();
  };
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    const int64_t start_ms = unix_time_ms();
    std::optional<LoadingReport> report;
    report.emplace(server.persistence(), false, static_cast<uint64_t>(st.st_size));
    rdb::LoadOptions options = rdb_load_options(config);
    options.progress = report->progress();
    // Like Redis, a replica keeps the keys already expired in its dump for its master's DEL.
    const int64_t now_ms =
        server.master_link().is_replica() ? BackgroundLoad::kKeepExpired : start_ms;
    auto load = std::make_unique<BackgroundLoad>(path, server.keyspace().count(),
                                                 std::move(options), now_ms);
    co_await load->wait(server.reactor());
    report.reset();
    auto adopted = load->result().and_then([&](const rdb::LoadStats& stats) {
      return adopt_loaded(server, load->keyspace(), stats, LoadMode::kReplace, start_ms);
    });
    if (!adopted) {
      fatal(adopted.error());
      co_return;
    }
  } else if (errno != ENOENT) {
    fatal(fmt::format("Can't open {}: {}", path, std::strerror(errno)));
    co_return;
  }
  server.master_link().resume_from_dump();
  server.replication().resume_from_dump();
  server.master_link().start();
  log(LogLevel::kNotice, "Ready to accept connections tcp");
}

}  // namespace tandem
