#pragma once
// The run's logger: human lines on stderr (filtered by quiet/verbose) and every line, at
// DEBUG, in command.log with MVT's layout "asctime - name - LEVEL - message". Lines logged
// before the log file is opened are kept and written when it opens. Thread-safe.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "support/error.hpp"

namespace spyglass {

enum class LogLevel { kDebug = 10, kInfo = 20, kWarning = 30, kError = 40 };

struct LogOptions {
  bool quiet = false;    // stderr: errors only
  bool verbose = false;  // stderr: debug too
  // Progress lines are drawn only on a terminal; nullopt asks isatty(stderr).
  std::optional<bool> progress;
};

class Logger {
 public:
  // `console` is where human lines go (stderr in the CLI; tests pass nullptr or a file).
  explicit Logger(LogOptions options = {}, std::FILE* console = stderr);
  ~Logger();
  Logger(const Logger&) = delete;
  Logger& operator=(const Logger&) = delete;

  void log(LogLevel level, std::string_view name, std::string_view message);

  // Opens (truncates) the log file and writes the lines kept so far.
  Result<void> open_file(const std::filesystem::path& path);
  void close_file();

  // A transient status line on a terminal (e.g. "3/12 modules done"); no-op otherwise.
  void progress(std::string_view text);
  void end_progress();

 private:
  void console_line(std::string_view line);

  LogOptions options_;
  std::FILE* console_;
  bool progress_enabled_ = false;
  bool progress_shown_ = false;
  std::mutex mutex_;
  std::ofstream file_;
  bool file_open_ = false;
  std::vector<std::string> pending_;
};

// A logger bound to one name ("spyglass.sms"), handed to modules.
class LogChannel {
 public:
  LogChannel(Logger& logger, std::string name) : logger_(&logger), name_(std::move(name)) {}
  void debug(std::string_view m) const { logger_->log(LogLevel::kDebug, name_, m); }
  void info(std::string_view m) const { logger_->log(LogLevel::kInfo, name_, m); }
  void warning(std::string_view m) const { logger_->log(LogLevel::kWarning, name_, m); }
  void error(std::string_view m) const { logger_->log(LogLevel::kError, name_, m); }
  const std::string& name() const { return name_; }

 private:
  Logger* logger_;
  std::string name_;
};

std::string_view log_level_name(LogLevel level);

// Local wall-clock time as "YYYY-MM-DD HH:MM:SS.ffffff" (info.json "date").
std::string local_now_mvt();

}  // namespace spyglass
