#pragma once
// timeline.csv and timeline.jsonl from the modules' sorted runs (scan/timeline_runs.hpp) and
// the timed alerts, merged in one pass: lines come out in (time, registry order, events
// before alerts, emission order), the order of a stable sort by time of every module's rows
// concatenated in registry order. A module's exact duplicate rows (same time, event and
// description, as MVT deduplicates its timeline) sit next to each other in that order and
// only the first is kept. Memory: one read buffer per run, and the rows of one
// (time, module) group.
#include <cstddef>
#include <filesystem>
#include <functional>
#include <string_view>
#include <vector>

#include "core/report/alert.hpp"
#include "scan/timeline_runs.hpp"
#include "support/error.hpp"

namespace spyglass::scan {

struct TimelineMergeInput {
  // One per module, in registry order (null: the module has no timeline).
  std::vector<const TimelineRuns*> modules;
  // Alerts (those without an event time are skipped) and the registry index of each.
  std::vector<const report::Alert*> alerts;
  std::vector<std::size_t> alert_module;
};

struct TimelineMergeStats {
  std::uint64_t events = 0;      // event lines written
  std::uint64_t duplicates = 0;  // exact duplicates dropped
  std::uint64_t alerts = 0;      // alert lines written (timeline.jsonl only)
};

// Called for every event line written to timeline.jsonl (newline included); an error stops
// the merge.
using TimelineEventObserver =
    std::function<Result<void>(std::size_t module, UnixMicros time, std::string_view jsonl)>;

// Writes out/timeline.csv (when some module has rows) and out/timeline.jsonl (when there is
// a row or an alert); nothing when there is neither.
Result<TimelineMergeStats> merge_timelines(const TimelineMergeInput& input,
                                           const std::filesystem::path& out,
                                           const TimelineEventObserver& observe = {});

}  // namespace spyglass::scan
