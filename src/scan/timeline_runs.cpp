#include "scan/timeline_runs.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>

#include "support/fd_write.hpp"

namespace spyglass::scan {
namespace {

// A run row on disk: time, seq, csv length, jsonl length (8 bytes each, little-endian),
// then the two lines.
constexpr std::size_t kHeader = 32;
constexpr std::size_t kMemoryRunLimit = std::size_t{1} << 20;  // smaller final runs stay in memory
constexpr std::size_t kReadBuffer = std::size_t{256} << 10;

void put_u64(char* at, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) at[i] = static_cast<char>((v >> (8 * i)) & 0xFF);
}

std::uint64_t get_u64(const char* p) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

Error io_error(const std::filesystem::path& path, std::string_view what) {
  return Error(ErrorCode::kIo,
               std::string(what) + " " + path.string() + ": " + std::strerror(errno));
}

}  // namespace

class TimelineRuns::MemorySource final : public TimelineLineSource {
 public:
  explicit MemorySource(const TimelineRuns& runs) : runs_(runs) {}
  Result<bool> next() override {
    if (next_ >= runs_.entries_.size()) return false;
    const Entry& e = runs_.entries_[next_++];
    line_.time = e.time;
    line_.seq = e.seq;
    line_.csv = std::string_view(runs_.arena_).substr(e.offset, e.csv_len);
    line_.jsonl = std::string_view(runs_.arena_).substr(e.offset + e.csv_len, e.jsonl_len);
    return true;
  }
  const TimelineLine& line() const override { return line_; }

 private:
  const TimelineRuns& runs_;
  std::size_t next_ = 0;
  TimelineLine line_;
};

class TimelineRuns::FileSource final : public TimelineLineSource {
 public:
  FileSource(int fd, std::filesystem::path path, Run run)
      : fd_(fd), path_(std::move(path)), pos_(run.offset), end_(run.offset + run.bytes) {}

  Result<bool> next() override {
    if (auto r = ensure(kHeader); !r) return tl::unexpected(r.error());
    if (filled_ - start_ < kHeader) {
      if (filled_ != start_) return corrupt();
      return false;
    }
    const char* h = buffer_.data() + start_;
    const std::uint64_t csv_len = get_u64(h + 16);
    const std::uint64_t jsonl_len = get_u64(h + 24);
    if (csv_len > end_ || jsonl_len > end_) return corrupt();
    const std::size_t need = kHeader + static_cast<std::size_t>(csv_len + jsonl_len);
    if (auto r = ensure(need); !r) return tl::unexpected(r.error());
    if (filled_ - start_ < need) return corrupt();
    h = buffer_.data() + start_;
    line_.time = static_cast<UnixMicros>(get_u64(h));
    line_.seq = get_u64(h + 8);
    line_.csv = std::string_view(h + kHeader, static_cast<std::size_t>(csv_len));
    line_.jsonl = std::string_view(h + kHeader + csv_len, static_cast<std::size_t>(jsonl_len));
    start_ += need;
    return true;
  }
  const TimelineLine& line() const override { return line_; }

 private:
  Result<bool> corrupt() const {
    return make_error(ErrorCode::kInternal, "timeline run in " + path_.string() + " is damaged");
  }

  // At least `n` unread bytes buffered, unless the run ends first. Moves the unread tail to
  // the front (invalidating the last line's views, which next() replaces anyway).
  Result<void> ensure(std::size_t n) {
    if (filled_ - start_ >= n) return {};
    if (filled_ > start_) std::memmove(buffer_.data(), buffer_.data() + start_, filled_ - start_);
    filled_ -= start_;
    start_ = 0;
    if (buffer_.size() < std::max(n, kReadBuffer)) buffer_.resize(std::max(n, kReadBuffer));
    while (filled_ < n && pos_ < end_) {
      const std::size_t want =
          static_cast<std::size_t>(std::min<std::uint64_t>(buffer_.size() - filled_, end_ - pos_));
      const ssize_t got = ::pread(fd_, buffer_.data() + filled_, want, static_cast<off_t>(pos_));
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) return tl::unexpected(io_error(path_, "cannot read"));
      if (got == 0) break;
      filled_ += static_cast<std::size_t>(got);
      pos_ += static_cast<std::uint64_t>(got);
    }
    return {};
  }

  int fd_;
  std::filesystem::path path_;
  std::uint64_t pos_;
  std::uint64_t end_;
  std::vector<char> buffer_;
  std::size_t start_ = 0;
  std::size_t filled_ = 0;
  TimelineLine line_;
};

TimelineRuns::TimelineRuns(std::size_t run_bytes) : run_bytes_(run_bytes) {}

TimelineRuns::~TimelineRuns() {
  if (fd_ >= 0) ::close(fd_);
}

Result<void> TimelineRuns::spill_to(const std::filesystem::path& path) {
  path_ = path;
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd_ < 0) return tl::unexpected(io_error(path, "cannot create"));
  return {};
}

Result<void> TimelineRuns::add(UnixMicros time, std::string_view csv, std::string_view jsonl) {
  constexpr std::size_t kMaxLine = std::numeric_limits<std::uint32_t>::max();
  if (csv.size() > kMaxLine || jsonl.size() > kMaxLine) {
    return make_error(ErrorCode::kLimitExceeded, "timeline row too large");
  }
  if (fd_ >= 0 && arena_.capacity() < run_bytes_) {
    // The whole run at once: growing by doubling would copy it again and again.
    arena_.reserve(run_bytes_ + (run_bytes_ >> 4));
    entries_.reserve(run_bytes_ / 256);
  }
  entries_.push_back({time, rows_++, arena_.size(), static_cast<std::uint32_t>(csv.size()),
                      static_cast<std::uint32_t>(jsonl.size())});
  arena_.append(csv);
  arena_.append(jsonl);
  if (fd_ >= 0 && arena_.size() >= run_bytes_) return write_run();
  return {};
}

void TimelineRuns::sort_buffer() {
  // Rows were appended in emission order: a stable sort by time keeps it among equals.
  std::stable_sort(entries_.begin(), entries_.end(),
                   [](const Entry& a, const Entry& b) { return a.time < b.time; });
}

Result<void> TimelineRuns::write_run() {
  if (entries_.empty()) return {};
  sort_buffer();
  Run run{file_size_, 0};
  std::string out;
  out.reserve(std::size_t{1} << 20);
  char header[kHeader];
  for (const Entry& e : entries_) {
    put_u64(header, static_cast<std::uint64_t>(e.time));
    put_u64(header + 8, e.seq);
    put_u64(header + 16, e.csv_len);
    put_u64(header + 24, e.jsonl_len);
    out.append(header, kHeader);
    out.append(arena_, e.offset, std::size_t{e.csv_len} + e.jsonl_len);
    if (out.size() >= (std::size_t{1} << 20)) {
      if (auto r = write_all(fd_, out, path_); !r) return r;
      run.bytes += out.size();
      out.clear();
    }
  }
  if (auto r = write_all(fd_, out, path_); !r) return r;
  run.bytes += out.size();
  file_size_ += run.bytes;
  runs_.push_back(run);
  entries_.clear();
  arena_.clear();
  // The arena's capacity is kept for the next run; a module that is done gives it back.
  return {};
}

Result<void> TimelineRuns::finish() {
  if (finished_) return {};
  finished_ = true;
  if (fd_ >= 0 && arena_.size() >= kMemoryRunLimit) {
    if (auto r = write_run(); !r) return r;
  } else {
    sort_buffer();
  }
  arena_.shrink_to_fit();
  entries_.shrink_to_fit();
  return {};
}

Result<std::vector<std::unique_ptr<TimelineLineSource>>> TimelineRuns::sources() const {
  if (!finished_) return make_error(ErrorCode::kInternal, "timeline runs read before finish()");
  std::vector<std::unique_ptr<TimelineLineSource>> out;
  for (const Run& run : runs_) out.push_back(std::make_unique<FileSource>(fd_, path_, run));
  if (!entries_.empty()) out.push_back(std::make_unique<MemorySource>(*this));
  return out;
}

}  // namespace spyglass::scan
