#include "core/report/alert.hpp"

namespace spyglass::report {

std::string_view level_name(AlertLevel level) {
  switch (level) {
    case AlertLevel::kInformational: return "INFORMATIONAL";
    case AlertLevel::kLow: return "LOW";
    case AlertLevel::kMedium: return "MEDIUM";
    case AlertLevel::kHigh: return "HIGH";
    case AlertLevel::kCritical: return "CRITICAL";
  }
  return "UNKNOWN";
}

std::string event_time_text(const std::optional<UnixMicros>& time) {
  return time ? format_mvt_time(*time) : std::string();
}

json::Value alert_to_json(const Alert& alert) {
  json::Value out = json::Value::object();
  out.set("level", level_name(alert.level))
      .set("module", alert.module)
      .set("message", alert.message)
      .set("event_time", event_time_text(alert.event_time))
      .set("event", alert.event)
      .set("matched_indicator", alert.matched_indicator)
      .set("family", alert.family);
  if (alert.provenance.empty()) {
    out.set("provenance", nullptr);
  } else {
    out.set("provenance",
            json::obj({{"file", alert.provenance.file}, {"locator", alert.provenance.locator}}));
  }
  return out;
}

}  // namespace spyglass::report
