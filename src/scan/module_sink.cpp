#include "scan/module_sink.hpp"

#include <algorithm>

#include "core/report/ioc_alert.hpp"
#include "core/report/timesketch.hpp"

namespace spyglass::scan {

ModuleSink::ModuleSink(const ModuleSpec& spec, const ScanInputs& inputs,
                       std::filesystem::path json_path)
    : spec_(spec), inputs_(inputs), json_path_(std::move(json_path)) {
  outcome_.timeline = std::make_shared<TimelineRuns>();
}

ModuleSink::~ModuleSink() = default;

void ModuleSink::emit(Record record) {
  ++outcome_.records;
  if (match_record(record)) {
    for (Heuristic& h : record.on_match) record.heuristics.push_back(std::move(h));
  }
  for (Heuristic& h : record.heuristics) {
    report::Alert a;
    a.level = h.level;
    a.module = spec_.slug;
    a.family = std::string(family_name(spec_.family));
    a.message = std::move(h.message);
    a.event_time = h.time ? h.time : record.time;
    a.event = record.data;
    a.provenance = record.provenance;
    outcome_.alerts.push_back(std::move(a));
  }
  if (!json_path_.empty()) {
    for (const TimelineEvent& e : record.timeline) add_timeline(e, record.provenance);
  }
  for (std::string& link : record.links) {
    outcome_.urls.push_back({std::move(link), record.time, spec_.slug});
  }
  write_data(record.data);
}

void ModuleSink::spill_timeline_to(const std::filesystem::path& path) {
  if (auto r = outcome_.timeline->spill_to(path); !r) {
    outcome_.output_errors.push_back(r.error().message);
  }
}

void ModuleSink::add_timeline(const TimelineEvent& e, const report::Provenance& provenance) {
  if (timeline_failed_) return;
  csv_line_.clear();
  jsonl_line_.clear();
  report::append_timeline_csv_row(csv_line_, e.time, spec_.display_name, e.event,
                                  e.description);
  report::append_timeline_event_line(jsonl_line_, e.time, e.event, e.description, spec_.slug,
                                     family_name(spec_.family), provenance);
  jsonl_line_ += '\n';
  if (auto r = outcome_.timeline->add(e.time, csv_line_, jsonl_line_); !r) {
    // The rows kept so far are still written; the error says the timeline is incomplete.
    timeline_failed_ = true;
    outcome_.output_errors.push_back("timeline of " + spec_.slug + ": " + r.error().message);
  }
}

bool ModuleSink::match_record(const Record& record) {
  if (!inputs_.match || !inputs_.indicators) return false;
  // One alert per (indicator type, matched value) per record, however many observables
  // or fields hit it; the highest level asked for wins.
  std::vector<std::pair<std::pair<indicators::IocType, std::string>, std::size_t>> seen;
  for (const RecordObservable& ro : record.observables) {
    for (const matching::Match& m : inputs_.match(ro.observable)) {
      auto key = std::make_pair(m.type, m.matched);
      const auto it = std::find_if(seen.begin(), seen.end(),
                                   [&](const auto& s) { return s.first == key; });
      if (it != seen.end()) {
        report::Alert& prior = outcome_.alerts[it->second];
        if (static_cast<int>(ro.level) > static_cast<int>(prior.level)) prior.level = ro.level;
        continue;
      }
      report::IocMatchContext ctx{spec_.display_name, ro.observable.value, ro.observable.field,
                                  record.time};
      report::IocAlertParts parts = report::describe_ioc_match(m, *inputs_.indicators, ctx);
      report::Alert a;
      a.level = ro.level;
      a.module = spec_.slug;
      a.family = std::string(family_name(spec_.family));
      a.message = std::move(parts.message);
      a.event_time = record.time;
      a.event = record.data;
      a.matched_indicator = std::move(parts.matched_indicator);
      a.provenance = record.provenance;
      seen.emplace_back(std::move(key), outcome_.alerts.size());
      outcome_.alerts.push_back(std::move(a));
    }
  }
  return !seen.empty();
}

void ModuleSink::alert(StandaloneAlert alert) {
  report::Alert a;
  a.level = alert.level;
  a.module = spec_.slug;
  a.family = std::string(family_name(spec_.family));
  a.message = std::move(alert.message);
  a.event_time = alert.time;
  a.event = std::move(alert.event);
  a.provenance = std::move(alert.provenance);
  outcome_.alerts.push_back(std::move(a));
}

void ModuleSink::write_data(const json::Value& data) {
  if (json_path_.empty() || write_failed_) return;
  if (!writer_) {
    // A large buffer: records arrive a few kilobytes at a time, hundreds of thousands of them.
    constexpr std::size_t kBuffer = 1 << 20;
    file_buffer_ = std::make_unique<char[]>(kBuffer);
    file_.rdbuf()->pubsetbuf(file_buffer_.get(), kBuffer);
    file_.open(json_path_, std::ios::binary | std::ios::trunc);
    if (!file_) {
      write_failed_ = true;
      outcome_.output_errors.push_back("cannot create " + json_path_.string());
      return;
    }
    writer_ = std::make_unique<json::ArrayStreamWriter>(file_);
  }
  writer_->write(data);
  if (!file_) {
    write_failed_ = true;
    outcome_.output_errors.push_back("cannot write " + json_path_.string());
  }
}

ModuleOutcome ModuleSink::finish() {
  if (auto r = outcome_.timeline->finish(); !r) {
    outcome_.output_errors.push_back("timeline of " + spec_.slug + ": " + r.error().message);
  }
  if (writer_) {
    writer_->close();
    writer_.reset();
    file_.close();
    if (!file_ && !write_failed_) {
      outcome_.output_errors.push_back("cannot write " + json_path_.string());
    }
  }
  return std::move(outcome_);
}

}  // namespace spyglass::scan
