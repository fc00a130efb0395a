#include "scan/timeline_spill.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace spyglass::scan {
namespace {

constexpr std::size_t kFlushAt = 1 << 20;

void put_u64(std::string& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

std::uint64_t get_u64(const char* p) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

void put_str(std::string& out, const std::string& s) {
  put_u64(out, s.size());
  out += s;
}

Error io_error(const std::filesystem::path& path, std::string_view what) {
  return Error(ErrorCode::kIo, std::string(what) + " " + path.string() + ": " + std::strerror(errno));
}

}  // namespace

TimelineSpill::~TimelineSpill() {
  if (map_ != nullptr) ::munmap(const_cast<char*>(map_), map_size_);
  if (fd_ >= 0) ::close(fd_);
}

Result<void> TimelineSpill::map() {
  if (auto r = flush(); !r) return r;
  if (map_ != nullptr || flushed_ == 0) return {};
  void* p = ::mmap(nullptr, static_cast<std::size_t>(flushed_), PROT_READ, MAP_PRIVATE, fd_, 0);
  if (p == MAP_FAILED) return tl::unexpected(io_error(path_, "cannot map"));
  map_ = static_cast<const char*>(p);
  map_size_ = static_cast<std::size_t>(flushed_);
  return {};
}

Result<void> TimelineSpill::open(const std::filesystem::path& path) {
  path_ = path;
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd_ < 0) return tl::unexpected(io_error(path, "cannot create"));
  return {};
}

Result<std::uint64_t> TimelineSpill::append(const report::TimelineRow& row) {
  const std::uint64_t offset = flushed_ + buffer_.size();
  put_u64(buffer_, static_cast<std::uint64_t>(row.time));
  put_str(buffer_, row.event);
  put_str(buffer_, row.description);
  put_str(buffer_, row.provenance.file);
  put_str(buffer_, row.provenance.locator);
  if (buffer_.size() >= kFlushAt) {
    if (auto r = flush(); !r) return tl::unexpected(r.error());
  }
  return offset;
}

Result<void> TimelineSpill::flush() {
  std::size_t done = 0;
  while (done < buffer_.size()) {
    const ssize_t n = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return tl::unexpected(io_error(path_, "cannot write"));
    done += static_cast<std::size_t>(n);
  }
  flushed_ += buffer_.size();
  buffer_.clear();
  return {};
}

Result<report::TimelineRow> TimelineSpill::read(std::uint64_t offset) {
  if (!buffer_.empty()) {
    if (auto r = flush(); !r) return tl::unexpected(r.error());
  }
  auto read_at = [&](std::uint64_t at, char* out, std::size_t n) -> bool {
    if (map_ != nullptr) {
      if (at + n > map_size_) return false;
      std::memcpy(out, map_ + at, n);
      return true;
    }
    std::size_t done = 0;
    while (done < n) {
      const ssize_t got =
          ::pread(fd_, out + done, n - done, static_cast<off_t>(at + done));
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) return false;
      done += static_cast<std::size_t>(got);
    }
    return true;
  };
  report::TimelineRow row;
  char word[8];
  std::uint64_t at = offset;
  if (!read_at(at, word, 8)) return tl::unexpected(io_error(path_, "cannot read"));
  row.time = static_cast<UnixMicros>(get_u64(word));
  at += 8;
  for (std::string* s : {&row.event, &row.description, &row.provenance.file,
                         &row.provenance.locator}) {
    if (!read_at(at, word, 8)) return tl::unexpected(io_error(path_, "cannot read"));
    const std::uint64_t n = get_u64(word);
    at += 8;
    if (at + n > flushed_) return make_error(ErrorCode::kInternal, "timeline spill: bad offset");
    s->resize(static_cast<std::size_t>(n));
    if (n != 0 && !read_at(at, s->data(), s->size())) {
      return tl::unexpected(io_error(path_, "cannot read"));
    }
    at += n;
  }
  return row;
}

}  // namespace spyglass::scan
