#include "scan/scan_inputs.hpp"

#include "core/matching/matcher.hpp"

namespace spyglass::scan {

ScanInputs make_scan_inputs(std::shared_ptr<const indicators::IndicatorSet> set) {
  ScanInputs inputs;
  if (!set) return inputs;
  auto matcher = std::make_shared<const matching::Matcher>(set);
  inputs.indicators = std::move(set);
  inputs.match = [matcher](const matching::Observable& o) { return matcher->match(o); };
  return inputs;
}

}  // namespace spyglass::scan
