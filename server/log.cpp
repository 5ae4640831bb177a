#include "server/log.h"

#include <sys/time.h>
#include <unistd.h>

#include <cstdio>
#include <ctime>

namespace tandem {
namespace {
LogSettings g_settings;
FILE* g_out = stdout;
}  // namespace

bool configure_log(const LogSettings& settings) {
  FILE* out = stdout;
  if (!settings.file.empty()) {
    out = std::fopen(settings.file.c_str(), "a");
    if (!out) return false;
  }
  if (g_out != stdout) std::fclose(g_out);
  g_out = out;
  g_settings = settings;
  return true;
}

void set_log_role(char role) { g_settings.role = role; }
void set_log_level(LogLevel level) { g_settings.level = level; }

bool log_enabled(LogLevel level) { return level >= g_settings.level; }

void log_line(LogLevel level, std::string_view message) {
  static constexpr char kLevelMarks[] = {'.', '-', '*', '#'};
  timeval tv;
  gettimeofday(&tv, nullptr);
  tm local;
  localtime_r(&tv.tv_sec, &local);
  char date[64];
  size_t n = std::strftime(date, sizeof(date), "%d %b %Y %H:%M:%S.", &local);
  std::fprintf(g_out, "%d:%c %.*s%03d %c %.*s\n", static_cast<int>(getpid()), g_settings.role,
               static_cast<int>(n), date, static_cast<int>(tv.tv_usec / 1000),
               kLevelMarks[static_cast<int>(level)], static_cast<int>(message.size()),
               message.data());
  std::fflush(g_out);
}

std::optional<LogLevel> parse_log_level(std::string_view name) {
  if (name == "debug") return LogLevel::kDebug;
  if (name == "verbose") return LogLevel::kVerbose;
  if (name == "notice") return LogLevel::kNotice;
  if (name == "warning") return LogLevel::kWarning;
  return std::nullopt;
}

}  // namespace tandem
