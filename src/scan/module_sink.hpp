#pragma once
// The sink behind one running module: matches each record's observables (the core's job,
// never the module's), turns matches and heuristics into alerts, streams the record data
// to <slug>.json, and keeps the small per-module results (alerts, timeline rows, links)
// that the runner assembles in registry order once every module is done.
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "core/indicators/indicator_set.hpp"
#include "core/matching/matcher.hpp"
#include "core/report/outputs.hpp"
#include "formats/json/json_writer.hpp"
#include "scan/module.hpp"

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
  std::vector<report::Alert> alerts;          // emission order
  std::vector<report::TimelineRow> timeline;  // emission order, exact duplicates dropped
  std::vector<report::UrlRow> urls;
  std::vector<std::string> output_errors;
};

class ModuleSink final : public RecordSink {
 public:
  // `json_path` empty: records are not written (no output folder).
  ModuleSink(const ModuleSpec& spec, const ScanInputs& inputs, std::filesystem::path json_path);
  ~ModuleSink() override;

  void emit(Record record) override;
  void alert(StandaloneAlert alert) override;

  // Closes <slug>.json and hands over the results.
  ModuleOutcome finish();

 private:
  // True when at least one observable matched.
  bool match_record(const Record& record);
  void write_data(const json::Value& data);

  const ModuleSpec& spec_;
  const ScanInputs& inputs_;
  std::filesystem::path json_path_;
  std::ofstream file_;
  std::unique_ptr<json::ArrayStreamWriter> writer_;
  bool write_failed_ = false;
  std::set<std::tuple<UnixMicros, std::string, std::string>> seen_timeline_;
  ModuleOutcome outcome_;
};

}  // namespace spyglass::scan
