#pragma once
// Reads what a scan left in its output folder, for the HTML report. Every file is hostile
// input (a results folder is shared, copied, and may be tampered with): sizes are bounded,
// malformed JSON is a clear error naming the file, and nothing here can crash or read
// outside the folder. The pure parsers take bytes so that tests and the fuzzer feed them
// directly.
#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/report/alert.hpp"
#include "formats/json/json_value.hpp"
#include "support/error.hpp"
#include "support/time.hpp"

namespace spyglass::html {

inline constexpr std::size_t kMaxInfoBytes = std::size_t{16} << 20;
inline constexpr std::size_t kMaxAlertsBytes = std::size_t{256} << 20;
inline constexpr std::size_t kMaxTimelineBytes = std::size_t{4} << 30;
inline constexpr std::size_t kMaxTimelineLineBytes = std::size_t{1} << 20;
// JSON nesting kept when an alert's record is copied into the report model.
inline constexpr int kMaxJsonDepth = 32;

struct ModuleRun {
  std::string slug;
  std::string family;
  std::string status;  // "ok", "not_present", "failed"
  std::string error;
  std::int64_t records = 0;
};

struct ScanInfo {
  std::string target_path;
  std::string tool_version;
  std::string date;  // when the scan ran, as info.json says
  std::string command;
  std::vector<std::string> ioc_files;
  std::vector<ModuleRun> modules;
  // Optional "device" object: any string members (name, model, os_version, build ...).
  std::vector<std::pair<std::string, std::string>> device;
};

struct IndicatorCollection {
  std::string name;
  std::string kind;
  std::string id;
  std::string file;
};

struct AlertView {
  report::AlertLevel level = report::AlertLevel::kInformational;
  std::string module;
  std::string family;
  std::string message;
  std::optional<UnixMicros> time;
  json::Value event;  // the evidence record
  bool indicator = false;
  // matched_indicator, when `indicator`.
  std::string ioc_value;
  std::string ioc_type;
  std::string ioc_name;
  std::string ioc_file;
  std::string ioc_id;
  std::string ioc_pattern;
  std::string ioc_match;
  std::string ioc_observed;
  std::string ioc_field;
  std::vector<IndicatorCollection> collections;
  bool outside_validity = false;
  std::string provenance_file;
  std::string provenance_locator;
  // Optional, when the producer says which heuristic fired and what may explain it.
  std::string heuristic;
  std::string benign_explanation;
};

struct TimelineEvent {
  UnixMicros time = 0;
  std::string module;  // slug (timeline.jsonl) or display name (timeline.csv)
  std::string family;
  std::string kind;  // timestamp_desc / Event
  std::string message;
  std::string provenance_file;
  std::string provenance_locator;
};

struct IndicatorSetInfo {
  std::string name;
  std::string sha256;
  std::uint64_t size = 0;
};

// Chart buckets: events per UTC day and module, computed over the whole timeline.
struct DayCount {
  std::int64_t day = 0;  // days since 1970-01-01 (UTC)
  std::string module;
  std::uint64_t count = 0;
};

struct ReportData {
  ScanInfo info;
  bool has_info = false;
  std::vector<AlertView> alerts;  // file order
  // Events kept for the timeline view: those near an alert (or the first ones when there
  // is no alert), bounded; the chart uses day_counts, which cover every event.
  std::vector<TimelineEvent> events;
  std::vector<DayCount> day_counts;  // sorted by (day, module)
  std::uint64_t total_events = 0;
  std::optional<UnixMicros> first_time;
  std::optional<UnixMicros> last_time;
  std::string timeline_source;  // "timeline.jsonl", "timeline.csv" or ""
  std::vector<IndicatorSetInfo> indicator_sets;  // from manifest.json
  bool has_manifest = false;
  std::vector<std::string> notes;  // problems met while reading (shown in the report)
};

// Events kept around each alert, and overall.
inline constexpr UnixMicros kContextWindowMicros = UnixMicros{2} * 3600 * 1000000;
inline constexpr std::size_t kMaxContextEvents = 3000;
inline constexpr std::size_t kMaxEventsWithoutAlerts = 200;

Result<ScanInfo> parse_info_json(std::string_view bytes);
Result<std::vector<AlertView>> parse_alerts_json(std::string_view bytes);
// One timeline.jsonl line; nullopt for an alert line (alerts come from alerts.json).
Result<std::optional<TimelineEvent>> parse_timeline_jsonl_line(std::string_view line);
// MVT's timeline.csv (Python csv, QUOTE_ALL, escapechar '\'): the rows after the header.
Result<std::vector<TimelineEvent>> parse_timeline_csv(std::string_view bytes);
// "YYYY-MM-DD HH:MM:SS[.ffffff]" as MVT writes it, UTC.
std::optional<UnixMicros> parse_mvt_time(std::string_view text);

// What the report keeps of a timeline: every event counted for the chart, and the events
// near an alert (or the first ones when there is none) kept for the timeline view, in file
// order. read_output_folder feeds it from timeline.jsonl; a scan feeds it while it writes
// that file, so the report does not read hundreds of megabytes back.
class TimelineCollector {
 public:
  // The times of the alerts (alerts.json's event times), in any order.
  explicit TimelineCollector(std::vector<UnixMicros> alert_times);

  void add(TimelineEvent ev);
  // One line of timeline.jsonl that is an event (not an alert) of module `slug` at `time`:
  // counted, and parsed only when the view keeps it.
  Result<void> add_line(UnixMicros time, std::string_view slug, std::string_view line);
  // Sorted alert times, to check that a collector fed by a scan matches alerts.json.
  const std::vector<UnixMicros>& alert_times() const { return alert_times_; }
  // Moves events, day counts, totals and first/last times into `data`.
  void finish_into(ReportData& data);

 private:
  bool keep(UnixMicros t) const;
  void count(UnixMicros t, std::string_view module);

  std::vector<UnixMicros> alert_times_;
  std::vector<TimelineEvent> events_;
  std::map<std::pair<std::int64_t, std::string>, std::uint64_t> counts_;
  std::uint64_t* last_count_ = nullptr;  // the counter of (last_day_, last_module_)
  std::int64_t last_day_ = 0;
  std::string last_module_;
  std::uint64_t total_ = 0;
  std::optional<UnixMicros> first_time_;
  std::optional<UnixMicros> last_time_;
};

// Reads out_dir: info.json, alerts.json (absent: no alerts), timeline.jsonl or else
// timeline.csv, manifest.json (indicator sets). A missing info.json is not an error (a
// note); an unreadable or malformed file is. `timeline`, when given and built for the
// same alert times as alerts.json holds, stands for timeline.jsonl (which is then not read).
Result<ReportData> read_output_folder(const std::filesystem::path& out_dir,
                                      TimelineCollector* timeline = nullptr);

}  // namespace spyglass::html
