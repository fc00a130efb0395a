#pragma once
// The sink behind one running module: matches each record's observables (the core's job,
// never the module's), turns matches and heuristics into alerts, streams the record data
// to <slug>.json, and keeps the small per-module results (alerts, timeline rows, links)
// that the runner assembles in registry order once every module is done.
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/indicators/indicator_set.hpp"
#include "core/matching/matcher.hpp"
#include "core/report/outputs.hpp"
#include "formats/json/json_writer.hpp"
#include "scan/module.hpp"
#include "scan/timeline_spill.hpp"

namespace spyglass::scan {

// The core matching step, behind a function so tests can fake it and the pipeline does not
// depend on how the Matcher is built.
using MatchFn = std::function<std::vector<matching::Match>(const matching::Observable&)>;

struct ScanInputs {
  // Both null/empty: no indicators loaded, heuristics only.
  std::shared_ptr<const indicators::IndicatorSet> indicators;
  MatchFn match;
};

// A timeline row kept in a TimelineSpill: its time (to sort) and where it is.
struct SpilledTimelineRow {
  UnixMicros time = 0;
  std::uint64_t offset = 0;
};

struct ModuleOutcome {
  Status status;
  std::size_t records = 0;
  std::vector<report::Alert> alerts;          // emission order
  std::vector<report::TimelineRow> timeline;  // emission order, exact duplicates dropped
  // Instead of `timeline` when the sink spilled it (spill_timeline_to): same rows, same order.
  std::shared_ptr<TimelineSpill> timeline_spill;
  std::vector<SpilledTimelineRow> spilled_timeline;
  std::vector<report::UrlRow> urls;
  std::vector<std::string> output_errors;
};

class ModuleSink final : public RecordSink {
 public:
  // `json_path` empty: records are not written (no output folder).
  ModuleSink(const ModuleSpec& spec, const ScanInputs& inputs, std::filesystem::path json_path);
  ~ModuleSink() override;

  // Keeps timeline rows in a file at `path` instead of memory (the runner does, for scans
  // that write outputs). On failure the rows stay in memory and an output error is noted.
  void spill_timeline_to(const std::filesystem::path& path);

  void emit(Record record) override;
  void alert(StandaloneAlert alert) override;

  // Closes <slug>.json and hands over the results.
  ModuleOutcome finish();

 private:
  // True when at least one observable matched.
  bool match_record(const Record& record);
  void write_data(const json::Value& data);
  void add_timeline(report::TimelineRow row);
  bool same_timeline_row(std::size_t index, const report::TimelineRow& row);

  const ModuleSpec& spec_;
  const ScanInputs& inputs_;
  std::filesystem::path json_path_;
  std::unique_ptr<char[]> file_buffer_;  // before file_: it must outlive the stream
  std::ofstream file_;
  std::unique_ptr<json::ArrayStreamWriter> writer_;
  bool write_failed_ = false;
  // Hash of (time, event, description) -> row index, to drop exact duplicates; equal hashes
  // are compared in full.
  std::unordered_multimap<std::uint64_t, std::size_t> seen_timeline_;
  ModuleOutcome outcome_;
};

}  // namespace spyglass::scan
