#include "support/ios_fixtures_module_run.hpp"

#include "core/report/alert.hpp"
#include "support/log.hpp"
#include "support/temp_dir.hpp"

namespace spyglass::testing {

ModuleRun run_module_on(scan::Module& module, const std::filesystem::path& evidence) {
  TempDir scratch;
  Logger logger(LogOptions{}, nullptr);
  scan::ScanOptions options;
  options.evidence = evidence;
  scan::ModuleContext context(evidence, scratch / "module", LogChannel(logger, "test"), options);
  ModuleRun out;
  out.status = module.run(context, out.sink);
  return out;
}

std::vector<std::string> findings(const CollectingSink& sink) {
  std::vector<std::string> out;
  for (const auto& r : sink.records) {
    for (const auto& h : r.heuristics) {
      out.push_back(std::string(report::level_name(h.level)) + ": " + h.message);
    }
  }
  for (const auto& a : sink.alerts) {
    out.push_back(std::string(report::level_name(a.level)) + ": " + a.message);
  }
  return out;
}

std::string data_text(const scan::Record& record, std::string_view key) {
  const json::Value* v = record.data.find(key);
  return v && v->is_string() ? v->as_string() : std::string();
}

std::vector<std::string> observed(const scan::Record& record, matching::ObservableKind kind) {
  std::vector<std::string> out;
  for (const auto& o : record.observables) {
    if (o.observable.kind == kind) out.push_back(o.observable.value);
  }
  return out;
}

}  // namespace spyglass::testing
