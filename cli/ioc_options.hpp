#pragma once
// The indicator options every command takes: --iocs PATH (repeatable), --no-default-iocs,
// and the SPYGLASS_IOCS environment variable (colon-separated paths).
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "core/indicators/indicator_set.hpp"
#include "support/error.hpp"

namespace spyglass::cli {

struct IocOptions {
  std::vector<std::string> paths;
  bool no_default = false;
};

void add_ioc_options(CLI::App& command, IocOptions& options);

// Loads the indicators the options name; prints load warnings to stderr (a count, and each
// one when verbose).
Result<std::shared_ptr<const indicators::IndicatorSet>> load_iocs(const IocOptions& options,
                                                                   bool verbose);

}  // namespace spyglass::cli
