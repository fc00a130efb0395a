#include "scan/module_sink.hpp"

#include <algorithm>

#include "core/report/ioc_alert.hpp"

namespace spyglass::scan {

ModuleSink::ModuleSink(const ModuleSpec& spec, const ScanInputs& inputs,
                       std::filesystem::path json_path)
    : spec_(spec), inputs_(inputs), json_path_(std::move(json_path)) {}

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
  for (TimelineEvent& e : record.timeline) {
    add_timeline({e.time, spec_.display_name, std::move(e.event), std::move(e.description),
                  record.provenance});
  }
  for (std::string& link : record.links) {
    outcome_.urls.push_back({std::move(link), record.time, spec_.slug});
  }
  write_data(record.data);
}

namespace {

std::uint64_t timeline_key(const report::TimelineRow& row) {
  const std::hash<std::string_view> h;
  std::uint64_t k = static_cast<std::uint64_t>(row.time) * 0x9E3779B97F4A7C15ULL;
  k ^= h(row.event) + 0x9E3779B97F4A7C15ULL + (k << 6) + (k >> 2);
  k ^= h(row.description) + 0x9E3779B97F4A7C15ULL + (k << 6) + (k >> 2);
  return k;
}

}  // namespace

void ModuleSink::spill_timeline_to(const std::filesystem::path& path) {
  auto spill = std::make_shared<TimelineSpill>();
  if (auto r = spill->open(path); !r) {
    outcome_.output_errors.push_back(r.error().message);
    return;
  }
  outcome_.timeline_spill = std::move(spill);
}

bool ModuleSink::same_timeline_row(std::size_t index, const report::TimelineRow& row) {
  if (!outcome_.timeline_spill) {
    const report::TimelineRow& o = outcome_.timeline[index];
    return o.time == row.time && o.event == row.event && o.description == row.description;
  }
  const SpilledTimelineRow& ref = outcome_.spilled_timeline[index];
  if (ref.time != row.time) return false;
  auto o = outcome_.timeline_spill->read(ref.offset);
  // An unreadable row counts as different: a duplicate kept beats an event lost.
  return o && o->event == row.event && o->description == row.description;
}

void ModuleSink::add_timeline(report::TimelineRow row) {
  const std::uint64_t key = timeline_key(row);
  const auto [first, last] = seen_timeline_.equal_range(key);
  for (auto it = first; it != last; ++it) {
    if (same_timeline_row(it->second, row)) return;
  }
  if (outcome_.timeline_spill) {
    auto offset = outcome_.timeline_spill->append(row);
    if (offset) {
      seen_timeline_.emplace(key, outcome_.spilled_timeline.size());
      outcome_.spilled_timeline.push_back({row.time, *offset});
      return;
    }
    // Spilling failed: the rows spilled so far are read back by the runner; this one is
    // lost, and the error says so.
    outcome_.output_errors.push_back(offset.error().message);
    return;
  }
  seen_timeline_.emplace(key, outcome_.timeline.size());
  outcome_.timeline.push_back(std::move(row));
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
