// Logging in Redis's line shape: "pid:role day month year hh:mm:ss.mmm level message", where the
// level is one of ". - * #" (debug, verbose, notice, warning) and role is M (master), S (replica)
// or C (child). Lines below the configured `loglevel` are dropped before formatting.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "fmt/format.h"

namespace tandem {

enum class LogLevel { kDebug = 0, kVerbose = 1, kNotice = 2, kWarning = 3 };

struct LogSettings {
  LogLevel level = LogLevel::kNotice;
  std::string file;  // empty: standard output
  char role = 'M';
};

// Applies new settings (reopening the log file); false if the file cannot be opened.
bool configure_log(const LogSettings& settings);
void set_log_role(char role);
void set_log_level(LogLevel level);
bool log_enabled(LogLevel level);
void log_line(LogLevel level, std::string_view message);

template <typename... Args>
void log(LogLevel level, fmt::format_string<Args...> format, Args&&... args) {
  if (!log_enabled(level)) return;
  log_line(level, fmt::format(format, std::forward<Args>(args)...));
}

std::optional<LogLevel> parse_log_level(std::string_view name);

}  // namespace tandem
