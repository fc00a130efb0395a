#pragma once
// Runs modules over one piece of evidence and writes the outputs (docs/outputs.md).
//
//   std::vector<std::unique_ptr<scan::Module>> modules = scan::make_builtin_modules();
//   scan::ScanInputs inputs{set, scan::matcher_match_fn(matcher)};
//   auto summary = scan::run_scan(modules, options, inputs, logger);
//   if (!summary) { /* bad arguments or unreadable evidence: exit 2 */ }
//   return summary->exit_code();
#include <memory>
#include <vector>

#include "scan/module.hpp"
#include "scan/module_sink.hpp"
#include "scan/options.hpp"
#include "scan/summary.hpp"
#include "support/error.hpp"
#include "support/log.hpp"

namespace spyglass::scan {

// Modules run in parallel (options.jobs threads); outputs are assembled in the order of
// `modules`, so they are byte-identical whatever the thread timing. Errors (not a module
// failure, which is in the summary): duplicate or invalid slugs, evidence that does not
// exist, an output folder the rules refuse (support/output_dir.hpp).
Result<ScanSummary> run_scan(const std::vector<std::unique_ptr<Module>>& modules,
                             const ScanOptions& options, const ScanInputs& inputs,
                             Logger& logger);

}  // namespace spyglass::scan
