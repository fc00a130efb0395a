#pragma once
// The production matching step: one Matcher, compiled once and shared read-only by every
// module thread (as YARA shares compiled rules).
#include <memory>

#include "core/indicators/indicator_set.hpp"
#include "scan/module_sink.hpp"

namespace spyglass::scan {

// Null `set`: no indicators, heuristics only.
ScanInputs make_scan_inputs(std::shared_ptr<const indicators::IndicatorSet> set);

}  // namespace spyglass::scan
