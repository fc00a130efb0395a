#include "ioc_options.hpp"

#include <cstdlib>
#include <string_view>

#include <fmt/core.h>

namespace spyglass::cli {

void add_ioc_options(CLI::App& command, IocOptions& options) {
  command
      .add_option("--iocs", options.paths,
                  "Also load this STIX2 file (any name) or folder (its *.stix2 and *.json "
                  "files, recursively); repeatable. SPYGLASS_IOCS adds colon-separated paths too")
      ->type_name("PATH");
  command.add_flag("--no-default-iocs", options.no_default,
                   "Do not load the bundled indicator set (data/iocs)");
}

Result<std::shared_ptr<const indicators::IndicatorSet>> load_iocs(const IocOptions& options,
                                                                   bool verbose) {
  indicators::LoadOptions load;
  load.no_default = options.no_default;
  for (const auto& p : options.paths) load.extra.emplace_back(p);
  if (const char* env = std::getenv("SPYGLASS_IOCS"); env != nullptr) {
    std::string_view rest(env);
    while (!rest.empty()) {
      const auto colon = rest.find(':');
      const auto part = rest.substr(0, colon);
      if (!part.empty()) load.extra.emplace_back(std::string(part));
      if (colon == std::string_view::npos) break;
      rest.remove_prefix(colon + 1);
    }
  }
  auto set = indicators::load_indicators(load);
  if (!set) return tl::unexpected(set.error());
  const auto& warnings = set->warnings();
  if (!warnings.empty()) {
    if (verbose) {
      for (const auto& w : warnings) {
        fmt::print(stderr, "warning: {}{}{}: {}\n", w.file, w.indicator_id.empty() ? "" : " ",
                   w.indicator_id, w.message);
      }
    } else {
      fmt::print(stderr, "note: {} indicator warning(s) while loading (see --verbose)\n",
                 warnings.size());
    }
  }
  if (set->indicators().empty()) {
    fmt::print(stderr, "warning: no indicators are loaded; only heuristics can alert\n");
  }
  return std::make_shared<const indicators::IndicatorSet>(std::move(*set));
}

}  // namespace spyglass::cli
