#pragma once
// A module's timeline rows kept on disk instead of in memory while a scan runs: a backup's
// Manifest, SMS and Safari history give hundreds of thousands of rows, which the runner
// needs only once, in time order, to write timeline.csv and timeline.jsonl. The file lives
// in the scan's scratch folder inside the output folder (it holds evidence-derived text)
// and is removed with it. Rows are appended once and read back by offset.
#include <cstdint>
#include <filesystem>
#include <string>

#include "core/report/outputs.hpp"
#include "support/error.hpp"

namespace spyglass::scan {

class TimelineSpill {
 public:
  TimelineSpill() = default;
  ~TimelineSpill();
  TimelineSpill(const TimelineSpill&) = delete;
  TimelineSpill& operator=(const TimelineSpill&) = delete;

  // Creates (truncates) the file.
  Result<void> open(const std::filesystem::path& path);
  bool is_open() const { return fd_ >= 0; }
  // Appends a row (its plugin is the module's display name, not stored); returns its offset.
  Result<std::uint64_t> append(const report::TimelineRow& row);
  // Reads back the row at `offset` (plugin left empty).
  Result<report::TimelineRow> read(std::uint64_t offset);
  // Writes what is buffered; reads need it.
  Result<void> flush();
  // Flushes and maps the file read-only: later reads parse memory (the runner reads every
  // row once, in time order, and syscalls per field would dominate).
  Result<void> map();

 private:
  int fd_ = -1;
  std::filesystem::path path_;
  std::string buffer_;
  std::uint64_t flushed_ = 0;  // bytes in the file
  const char* map_ = nullptr;
  std::size_t map_size_ = 0;
};

}  // namespace spyglass::scan
