#pragma once
// An alert as the outputs carry it: MVT's fields first (alerts.json, <slug>_detected.json,
// alerts_timeline.csv), then spyglass's additions (family, provenance).
#include <optional>
#include <string>
#include <string_view>

#include "formats/json/json_value.hpp"
#include "support/time.hpp"

namespace spyglass::report {

// MVT's levels and their numeric values (src/mvt/common/alerts.py).
enum class AlertLevel : int {
  kInformational = 0,
  kLow = 10,
  kMedium = 20,
  kHigh = 30,
  kCritical = 40,
};

inline constexpr AlertLevel kAllAlertLevels[] = {AlertLevel::kCritical, AlertLevel::kHigh,
                                                 AlertLevel::kMedium, AlertLevel::kLow,
                                                 AlertLevel::kInformational};

// "CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL".
std::string_view level_name(AlertLevel level);

// Where in the evidence a record came from: a path relative to the evidence root and a
// locator inside it ("table message, rowid 12", "line 34").
struct Provenance {
  std::string file;
  std::string locator;
  bool empty() const { return file.empty() && locator.empty(); }
};

struct Alert {
  AlertLevel level = AlertLevel::kInformational;
  std::string module;   // slug
  std::string family;   // "ios", "android", "net", "text"
  std::string message;
  std::optional<UnixMicros> event_time;
  json::Value event = json::Value::object();  // the record data
  json::Value matched_indicator;              // null for heuristic alerts
  Provenance provenance;

  bool is_indicator_match() const { return !matched_indicator.is_null(); }
};

// "" when the time is unknown, as MVT writes it.
std::string event_time_text(const std::optional<UnixMicros>& time);

// {"level", "module", "message", "event_time", "event", "matched_indicator", "family",
//  "provenance"}; provenance is null when unknown.
json::Value alert_to_json(const Alert& alert);

}  // namespace spyglass::report
