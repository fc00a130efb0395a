#include "support/log.hpp"

#include <chrono>
#include <ctime>

#include <fmt/format.h>
#include <unistd.h>

namespace spyglass {
namespace {

struct LocalParts {
  std::tm tm{};
  long micros = 0;
};

LocalParts local_now() {
  const auto now = std::chrono::system_clock::now();
  const auto us =
      std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count();
  const std::time_t secs = static_cast<std::time_t>(us / 1000000);
  LocalParts parts;
  localtime_r(&secs, &parts.tm);
  parts.micros = static_cast<long>(us % 1000000);
  return parts;
}

std::string format_tm(const std::tm& tm) {
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

// Messages may quote evidence; a raw newline or escape sequence must not forge log lines.
std::string single_line(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) {
      out += fmt::format("\\x{:02x}", u);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace

std::string_view log_level_name(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug: return "DEBUG";
    case LogLevel::kInfo: return "INFO";
    case LogLevel::kWarning: return "WARNING";
    case LogLevel::kError: return "ERROR";
  }
  return "UNKNOWN";
}

std::string local_now_mvt() {
  const LocalParts p = local_now();
  return fmt::format("{}.{:06}", format_tm(p.tm), p.micros);
}

Logger::Logger(LogOptions options, std::FILE* console) : options_(options), console_(console) {
  if (console_ != nullptr) {
    progress_enabled_ =
        !options_.quiet && options_.progress.value_or(isatty(fileno(console_)) == 1);
  }
}

Logger::~Logger() { end_progress(); }

void Logger::log(LogLevel level, std::string_view name, std::string_view message) {
  const std::string text = single_line(message);
  const LocalParts p = local_now();
  std::string line = fmt::format("{},{:03} - {} - {} - {}\n", format_tm(p.tm), p.micros / 1000,
                                 name, log_level_name(level), text);
  std::lock_guard lock(mutex_);
  if (file_open_) {
    file_ << line;
    file_.flush();
  } else {
    pending_.push_back(std::move(line));
  }
  const LogLevel threshold = options_.quiet     ? LogLevel::kError
                             : options_.verbose ? LogLevel::kDebug
                                                : LogLevel::kInfo;
  if (level < threshold || console_ == nullptr) return;
  std::string human;
  if (level >= LogLevel::kWarning) {
    human = fmt::format("{}: [{}] {}\n", level == LogLevel::kError ? "error" : "warning", name,
                        text);
  } else {
    human = fmt::format("[{}] {}\n", name, text);
  }
  console_line(human);
}

void Logger::console_line(std::string_view line) {
  if (progress_shown_) {
    std::fputs("\r\x1b[K", console_);
    progress_shown_ = false;
  }
  std::fwrite(line.data(), 1, line.size(), console_);
  std::fflush(console_);
}

Result<void> Logger::open_file(const std::filesystem::path& path) {
  std::lock_guard lock(mutex_);
  file_.open(path, std::ios::binary | std::ios::trunc);
  if (!file_) return make_error(ErrorCode::kIo, "cannot create log file " + path.string());
  for (const std::string& line : pending_) file_ << line;
  pending_.clear();
  file_.flush();
  file_open_ = true;
  return {};
}

void Logger::close_file() {
  std::lock_guard lock(mutex_);
  if (file_open_) file_.close();
  file_open_ = false;
}

void Logger::progress(std::string_view text) {
  std::lock_guard lock(mutex_);
  if (!progress_enabled_) return;
  const std::string line = "\r\x1b[K" + single_line(text);
  std::fwrite(line.data(), 1, line.size(), console_);
  std::fflush(console_);
  progress_shown_ = true;
}

void Logger::end_progress() {
  std::lock_guard lock(mutex_);
  if (progress_shown_ && console_ != nullptr) {
    std::fputs("\r\x1b[K", console_);
    std::fflush(console_);
  }
  progress_shown_ = false;
}

}  // namespace spyglass
