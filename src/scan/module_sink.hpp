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
#include <vector>

#include "core/indicators/indicator_set.hpp"
#include "core/matching/matcher.hpp"
#include "core/report/outputs.hpp"
#include "formats/json/json_writer.hpp"
#include "scan/module.hpp"
#include "scan/timeline_runs.hpp"

namespace spyglass::scan {

// The core matching step, behind a function so tests can fake it and the pipeline does not
// depend on how the Matcher is built.
using MatchFn = std::function<std::vector<matching::Match>(const matching::Observable&)>;

struct ScanInputs {
  // Both null/empty: no indicators loaded, heuristics only.
  std::shared_ptr<const indicators::IndicatorSet> indicators;
  MatchFn match;
};

struct ModuleOutcome {
  Status status;
  std::size_t records = 0;
  std::vector<report::Alert> alerts;  // emission order
  // The timeline rows rendered as timeline.csv rows and timeline.jsonl lines, sorted in runs;
  // exact duplicates are dropped when the runner merges them (scan/timeline_merge.hpp).
  // Rendered only when the sink writes outputs; never null.
  std::shared_ptr<TimelineRuns> timeline;
  std::vector<report::UrlRow> urls;
  std::vector<std::string> output_errors;
};

class ModuleSink final : public RecordSink {
 public:
  // `json_path` empty: records are not written (no output folder).
  ModuleSink(const ModuleSpec& spec, const ScanInputs& inputs, std::filesystem::path json_path);
  ~ModuleSink() override;

  // Writes sorted runs of timeline rows to a file at `path` instead of keeping them all in
  // memory (the runner does). On failure the rows stay in memory and an output error is noted.
  void spill_timeline_to(const std::filesystem::path& path);

  void emit(Record record) override;
  void alert(StandaloneAlert alert) override;

  // Closes <slug>.json and hands over the results.
  ModuleOutcome finish();

 private:
  // True when at least one observable matched.
  bool match_record(const Record& record);
  void write_data(const json::Value& data);
  void add_timeline(const TimelineEvent& event, const report::Provenance& provenance);

  const ModuleSpec& spec_;
  const ScanInputs& inputs_;
  std::filesystem::path json_path_;
  std::unique_ptr<char[]> file_buffer_;  // before file_: it must outlive the stream
  std::ofstream file_;
  std::unique_ptr<json::ArrayStreamWriter> writer_;
  bool write_failed_ = false;
  bool timeline_failed_ = false;
  std::string csv_line_;  // reused for every row
  std::string jsonl_line_;
  ModuleOutcome outcome_;
};

}  // namespace spyglass::scan
