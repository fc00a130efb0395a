#include "scan/summary.hpp"

namespace spyglass::scan {

using report::AlertLevel;

void ScanSummary::count_alert(AlertLevel level) {
  switch (level) {
    case AlertLevel::kCritical: ++alerts_critical; break;
    case AlertLevel::kHigh: ++alerts_high; break;
    case AlertLevel::kMedium: ++alerts_medium; break;
    case AlertLevel::kLow: ++alerts_low; break;
    case AlertLevel::kInformational: ++alerts_informational; break;
  }
}

std::size_t ScanSummary::alerts(AlertLevel level) const {
  switch (level) {
    case AlertLevel::kCritical: return alerts_critical;
    case AlertLevel::kHigh: return alerts_high;
    case AlertLevel::kMedium: return alerts_medium;
    case AlertLevel::kLow: return alerts_low;
    case AlertLevel::kInformational: return alerts_informational;
  }
  return 0;
}

std::vector<std::string> ScanSummary::slugs_with(ModuleStatus status) const {
  std::vector<std::string> out;
  for (const ModuleReport& m : modules) {
    if (m.status == status) out.push_back(m.slug);
  }
  return out;
}

bool ScanSummary::detected() const {
  return indicator_matches > 0 || alerts_critical + alerts_high + alerts_medium > 0;
}

bool ScanSummary::incomplete() const {
  return !output_errors.empty() || !slugs_with(ModuleStatus::kFailed).empty();
}

std::string_view ScanSummary::verdict() const {
  if (detected()) return "detected";
  if (incomplete()) return "incomplete";
  return "clean";
}

int ScanSummary::exit_code() const {
  if (detected()) return 1;
  if (incomplete()) return 2;
  return 0;
}

json::Value ScanSummary::to_json() const {
  json::Value counts = json::Value::object();
  for (const AlertLevel level : report::kAllAlertLevels) {
    counts.set(report::level_name(level), alerts(level));
  }
  const auto list = [](const std::vector<std::string>& v) {
    json::Value a = json::Value::array();
    for (const std::string& s : v) a.push_back(s);
    return a;
  };
  json::Value out = json::Value::object();
  out.set("verdict", verdict())
      .set("alerts", std::move(counts))
      .set("modules", json::obj({{"run", list(slugs_with(ModuleStatus::kOk))},
                                 {"absent", list(slugs_with(ModuleStatus::kNotPresent))},
                                 {"failed", list(slugs_with(ModuleStatus::kFailed))}}))
      .set("output", output.empty() ? json::Value(nullptr) : json::Value(output.string()));
  return out;
}

}  // namespace spyglass::scan
