// Fuzzes the readers of an output folder's files and the renderer behind them: the first
// byte picks the file kind, the rest is its content. Whatever parses must render, and the
// page must never carry a raw '<' from the input (checked on a marker the input cannot
// produce escaped).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/html/output_folder.hpp"
#include "core/html/render.hpp"

using namespace spyglass::html;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  ReportData report;
  switch (data[0] % 4) {
    case 0: {
      auto info = parse_info_json(bytes);
      if (!info) return 0;
      report.info = std::move(*info);
      report.has_info = true;
      break;
    }
    case 1: {
      auto alerts = parse_alerts_json(bytes);
      if (!alerts) return 0;
      report.alerts = std::move(*alerts);
      break;
    }
    case 2: {
      auto events = parse_timeline_csv(bytes);
      if (!events) return 0;
      for (auto& e : *events) {
        report.day_counts.push_back({e.time / 86400000000, e.module, 1});
        if (report.events.size() < 50) report.events.push_back(std::move(e));
      }
      report.timeline_source = "timeline.csv";
      break;
    }
    default: {
      auto ev = parse_timeline_jsonl_line(bytes);
      if (!ev || !*ev) return 0;
      report.events.push_back(std::move(**ev));
      report.timeline_source = "timeline.jsonl";
      break;
    }
  }
  const std::string page = render_report(report, {});
  if (page.find("<script>(function") == std::string::npos) std::abort();
  if (page.find("<img") != std::string::npos || page.find("<iframe") != std::string::npos) {
    std::abort();
  }
  return 0;
}
