#pragma once
// The outcome of one scan: what the CLI prints and turns into an exit code.
#include <array>
#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/report/alert.hpp"
#include "formats/json/json_value.hpp"
#include "scan/module.hpp"

namespace spyglass::scan {

struct ModuleReport {
  std::string slug;
  std::string family;
  ModuleStatus status = ModuleStatus::kOk;
  std::string error;  // why it failed or was absent; "" when ok
  std::size_t records = 0;
  std::size_t alerts = 0;
};

struct ScanSummary {
  std::vector<ModuleReport> modules;  // registry order
  std::size_t alerts_critical = 0;
  std::size_t alerts_high = 0;
  std::size_t alerts_medium = 0;
  std::size_t alerts_low = 0;
  std::size_t alerts_informational = 0;
  std::size_t indicator_matches = 0;
  std::vector<std::string> output_errors;  // outputs that could not be written
  std::filesystem::path output;            // canonical output folder, empty when none

  void count_alert(report::AlertLevel level);
  std::size_t alerts(report::AlertLevel level) const;
  std::vector<std::string> slugs_with(ModuleStatus status) const;

  // An indicator matched, or an alert at MEDIUM or above.
  bool detected() const;
  // A module failed on evidence that is present, or an output could not be written.
  bool incomplete() const;
  // "detected", "incomplete" or "clean".
  std::string_view verdict() const;
  // 1 detected (even if incomplete), else 2 incomplete, else 0.
  int exit_code() const;
  // {"verdict", "alerts": {"CRITICAL": n, ...}, "modules": {"run", "absent", "failed"},
  //  "output"}
  json::Value to_json() const;
};

}  // namespace spyglass::scan
