#pragma once
// A module's timeline as rendered lines (its timeline.csv row and timeline.jsonl line),
// sorted by time in bounded runs. Rows arrive in the module's order (Manifest rows in table
// order, SMS by ROWID); they are buffered up to a limit, sorted by (time, emission order)
// and written as one sorted run to a file in the scan's scratch folder (evidence-derived
// text: private, removed with the folder). The runner then merges every module's runs into
// the timeline files, reading each run front to back, so memory stays bounded by the
// buffers however large the evidence. Rendering happens here, in the module's thread, so
// the merge only copies bytes.
//
//   TimelineRuns runs;
//   runs.spill_to(scratch / "sms.timeline");
//   runs.add(time, csv_row, jsonl_line);   // any order
//   runs.finish();
//   for (auto& source : *runs.sources()) while (*source->next()) use(source->line());
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "support/error.hpp"
#include "support/time.hpp"

namespace spyglass::scan {

struct TimelineLine {
  UnixMicros time = 0;
  std::uint64_t seq = 0;  // emission order within the module
  std::string_view csv;   // views stay valid until the source's next call to next()
  std::string_view jsonl;
};

// One sorted run, read front to back.
class TimelineLineSource {
 public:
  virtual ~TimelineLineSource() = default;
  // Advances to the next line; false at the end.
  virtual Result<bool> next() = 0;
  virtual const TimelineLine& line() const = 0;
};

class TimelineRuns {
 public:
  static constexpr std::size_t kDefaultRunBytes = std::size_t{8} << 20;

  explicit TimelineRuns(std::size_t run_bytes = kDefaultRunBytes);
  ~TimelineRuns();
  TimelineRuns(const TimelineRuns&) = delete;
  TimelineRuns& operator=(const TimelineRuns&) = delete;

  // Full runs go to this file (created, mode 0600). Without one, every row stays in memory
  // (scans without an output folder, tests).
  Result<void> spill_to(const std::filesystem::path& path);
  bool spills() const { return fd_ >= 0; }

  Result<void> add(UnixMicros time, std::string_view csv, std::string_view jsonl);
  // Sorts what is buffered (writing it out when it is large); no add() after this.
  Result<void> finish();

  std::uint64_t size() const { return rows_; }
  // One source per run, each in (time, emission order). Valid while this object lives.
  Result<std::vector<std::unique_ptr<TimelineLineSource>>> sources() const;

 private:
  struct Entry {
    UnixMicros time;
    std::uint64_t seq;
    std::uint64_t offset;  // into arena_
    std::uint32_t csv_len;
    std::uint32_t jsonl_len;
  };
  struct Run {
    std::uint64_t offset;  // in the file
    std::uint64_t bytes;
  };
  class MemorySource;
  class FileSource;

  void sort_buffer();
  Result<void> write_run();

  std::size_t run_bytes_;
  int fd_ = -1;
  std::filesystem::path path_;
  std::string arena_;
  std::vector<Entry> entries_;
  std::vector<Run> runs_;
  std::uint64_t file_size_ = 0;
  std::uint64_t rows_ = 0;
  bool finished_ = false;
};

}  // namespace spyglass::scan
