#pragma once
// The command-level output files in MVT's formats (mvt-reference §2): timeline.csv,
// alerts_timeline.csv, alerts.json, <slug>_detected.json, urls.json. Callers hand rows in
// their final order; only alerts_timeline.csv sorts, as MVT does, by event time.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/report/alert.hpp"
#include "formats/json/json_value.hpp"
#include "support/error.hpp"
#include "support/time.hpp"

namespace spyglass::report {

struct TimelineRow {
  UnixMicros time = 0;
  std::string plugin;  // the module's display name (MVT's class name)
  std::string event;
  std::string description;
  Provenance provenance;  // not in timeline.csv (MVT's columns); in timeline.jsonl
};

struct UrlRow {
  std::string url;
  std::optional<UnixMicros> time;
  std::string source;  // module slug
};

// Creates or truncates the file and writes the bytes; an I/O error is an Error.
Result<void> write_text_file(const std::filesystem::path& path, std::string_view bytes);
// json.dump(value, indent=4), no trailing newline (as MVT).
Result<void> write_json_file(const std::filesystem::path& path, const json::Value& value);

// Header "UTC Timestamp","Plugin","Event","Description" then the rows.
std::string timeline_csv(const std::vector<TimelineRow>& rows);
// Header "Event Time","Module","Message","Event"; only alerts with an event time, stably
// sorted by its text; Event is the Python repr() of the record data.
std::string alerts_timeline_csv(const std::vector<const Alert*>& alerts);
// [alert_to_json(a), ...]
json::Value alerts_json(const std::vector<const Alert*>& alerts);
// [{"url", "expanded_url": null, "timestamp", "source"}]; shorteners are never resolved.
json::Value urls_json(const std::vector<UrlRow>& rows);
// Writes urls_json(rows) to `path`, streamed row by row (a backup gives hundreds of
// thousands of links).
Result<void> write_urls_json(const std::filesystem::path& path, const std::vector<UrlRow>& rows);

}  // namespace spyglass::report
