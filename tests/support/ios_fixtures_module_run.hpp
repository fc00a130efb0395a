#pragma once
// Runs one artifact module on evidence in a folder, as the scan runner would (no shared
// source: an iOS module opens the folder as a plaintext backup itself), and collects what
// it emits. Also the shared helpers my iOS module tests use to look at records.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "scan/module.hpp"
#include "scan/record.hpp"

namespace spyglass::testing {

class CollectingSink final : public scan::RecordSink {
 public:
  void emit(scan::Record record) override { records.push_back(std::move(record)); }
  void alert(scan::StandaloneAlert alert) override { alerts.push_back(std::move(alert)); }
  std::vector<scan::Record> records;
  std::vector<scan::StandaloneAlert> alerts;
};

struct ModuleRun {
  scan::Status status;
  CollectingSink sink;
};

ModuleRun run_module_on(scan::Module& module, const std::filesystem::path& evidence);

// Every heuristic of every record, and every standalone alert, as "LEVEL: message".
std::vector<std::string> findings(const CollectingSink& sink);
// The string member `key` of a record's data ("" when absent or not a string).
std::string data_text(const scan::Record& record, std::string_view key);
// Observables as "kind-number:value@field" is too opaque: values of a given kind.
std::vector<std::string> observed(const scan::Record& record, matching::ObservableKind kind);

}  // namespace spyglass::testing
