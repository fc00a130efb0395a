#pragma once
// OUT/timeline.jsonl in Timesketch's JSONL import format (docs/timesketch.md): one JSON
// object per line with "message", "datetime" (ISO 8601, UTC, "Z"), "timestamp"
// (microseconds) and "timestamp_desc", plus spyglass's fields: "module", "family",
// "provenance_file", "provenance_locator", and on alert lines "alert_level", "indicator",
// "indicator_type", "collection". Lines are sorted by (time, module order, emission order)
// so the same scan always gives the same bytes. Alerts without an event time cannot sit on
// a timeline and are left out (they stay in alerts.json).
//
// The runner, after assembling its results:
//   std::vector<report::TimelineEntry> entries = ...;  // per module, in registry order
//   report::write_timeline_jsonl(out / "timeline.jsonl", entries, all_alerts, slugs);
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/report/alert.hpp"
#include "core/report/outputs.hpp"
#include "formats/json/json_value.hpp"
#include "support/error.hpp"
#include "support/time.hpp"

namespace spyglass::report {

inline constexpr const char* kTimelineJsonlFileName = "timeline.jsonl";

struct TimelineEntry {
  UnixMicros time = 0;
  std::string module;  // slug
  std::string family;  // "ios", "android", "net", "text"
  std::string event;   // short kind: "sms_received" -> timestamp_desc
  std::string description;
  Provenance provenance;
};

// A TimelineRow (which carries the module's display name only) with its module's identity.
TimelineEntry timeline_entry(const TimelineRow& row, std::string_view slug,
                             std::string_view family, Provenance provenance = {});

// One line's object (before to_json_line): an event, and an alert (std::nullopt when it has
// no event time). The streaming writer in the runner and timeline_jsonl() share them.
json::Value timeline_event_json(const TimelineEntry& e);
std::optional<json::Value> timeline_alert_json(const Alert& a);

// The same bytes as to_json_line(timeline_event_json(...)) and the timeline.csv row
// (csv::format_row of time, plugin, event, description), appended without building a JSON
// value: modules render their timeline rows while they run, hundreds of thousands of them.
void append_timeline_event_line(std::string& out, UnixMicros time, std::string_view event,
                                std::string_view description, std::string_view module,
                                std::string_view family, const Provenance& provenance);
void append_timeline_csv_row(std::string& out, UnixMicros time, std::string_view plugin,
                             std::string_view event, std::string_view description);

// The file's bytes. `module_order` ranks modules at equal times (registry order); modules
// not listed follow, in order of first appearance.
std::string timeline_jsonl(const std::vector<TimelineEntry>& events,
                           const std::vector<const Alert*>& alerts,
                           const std::vector<std::string>& module_order);

Result<void> write_timeline_jsonl(const std::filesystem::path& path,
                                  const std::vector<TimelineEntry>& events,
                                  const std::vector<const Alert*>& alerts,
                                  const std::vector<std::string>& module_order);

}  // namespace spyglass::report
