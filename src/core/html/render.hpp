#pragma once
// OUT/report.html: one self-contained page (no external scripts, fonts or requests) that a
// person can read first (verdict, what was examined, what to do next, a chart) and an
// expert can check (each alert with its indicator, record and provenance; a timeline).
// The same output folder always renders to the same bytes: nothing here reads the clock.
//
// At the end of a scan (after alerts.json, info.json and timeline.jsonl are written, before
// manifest.json):   html::write_report(out_dir, {});
#include <filesystem>
#include <string>

#include "core/html/i18n.hpp"
#include "core/html/output_folder.hpp"
#include "support/error.hpp"

namespace spyglass::html {

inline constexpr const char* kReportFileName = "report.html";
// Alerts explained in full; the rest are counted and left to alerts.json.
inline constexpr std::size_t kMaxAlertsShown = 1000;

struct RenderOptions {
  Lang lang = Lang::kEn;
};

// The page for already-read data. Pure: same data and options, same bytes.
std::string render_report(const ReportData& data, const RenderOptions& options);

// The inline script and its CSP source expression ('sha256-<base64>'), exposed for tests.
std::string_view report_script();
std::string report_script_csp_hash();

// Reads out_dir (read_output_folder) and writes out_dir/report.html through a temporary
// file renamed into place, so a failure never leaves a half-written report.
// `timeline`: what a scan collected while writing timeline.jsonl (read_output_folder).
Result<void> write_report(const std::filesystem::path& out_dir, const RenderOptions& options,
                          TimelineCollector* timeline = nullptr);

}  // namespace spyglass::html
