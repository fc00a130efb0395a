#pragma once
// Test helpers (tests only): a small STIX file, and a scan of a generated backup through the
// real runner, matcher and writers, with the backup opened once as the command opens it.
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "artifacts/ios/ios_evidence.hpp"
#include "core/indicators/indicator_set.hpp"
#include "scan/runner.hpp"
#include "scan/scan_inputs.hpp"
#include "support/log.hpp"
#include "support/temp_dir.hpp"

namespace spyglass::artifacts::ios::testing {

// Writes a STIX 2.1 bundle with one malware ("Spyware") and one indicator per
// (stix object path, value) pair, e.g. {"domain-name:value", "evil.example"}.
inline std::filesystem::path write_stix(
    const std::filesystem::path& path,
    const std::vector<std::pair<std::string, std::string>>& patterns) {
  std::string json =
      R"({"type": "bundle", "id": "bundle--t", "objects": [{"type": "malware", "id": )"
      R"("malware--s", "name": "Spyware", "is_family": false})";
  int n = 0;
  for (const auto& [object_path, value] : patterns) {
    const std::string id = "indicator--" + std::to_string(++n);
    json += R"(, {"type": "indicator", "spec_version": "2.1", "id": ")" + id +
            R"(", "pattern": "[)" + object_path + "='" + value +
            R"(']", "pattern_type": "stix", "valid_from": "2000-01-01T00:00:00Z"})";
    json += R"(, {"type": "relationship", "id": "relationship--)" + std::to_string(n) +
            R"(", "relationship_type": "indicates", "source_ref": ")" + id +
            R"(", "target_ref": "malware--s"})";
  }
  json += "]}";
  spyglass::testing::write_file(path, json);
  return path;
}

struct IosScan {
  Result<scan::ScanSummary> summary;
  std::vector<std::string> files_read;
};

// Runs `modules` on `backup` with the indicators in `stix` (none when empty), writing to
// `out` (nothing when empty). `secret` opens an encrypted backup.
inline IosScan run_ios_scan(std::vector<std::unique_ptr<scan::Module>> modules,
                            const std::filesystem::path& backup, const std::filesystem::path& out,
                            const std::filesystem::path& stix = {},
                            std::optional<sources::ios_backup::Secret> secret = std::nullopt) {
  std::shared_ptr<const indicators::IndicatorSet> set;
  if (!stix.empty()) {
    indicators::LoadOptions lo;
    lo.no_default = true;
    lo.extra = {stix};
    auto loaded = indicators::load_indicators(lo);
    EXPECT_TRUE(loaded) << loaded.error().message;
    if (loaded) set = std::make_shared<indicators::IndicatorSet>(std::move(*loaded));
  }
  scan::ScanInputs inputs = scan::make_scan_inputs(set);
  scan::ScanOptions options;
  options.evidence = backup;
  options.output = out;
  options.jobs = 2;
  BackupEvidenceOptions eo;
  eo.scratch_parent = out;
  eo.secret = std::move(secret);
  auto evidence = BackupEvidence::create(backup, std::move(eo));
  if (!evidence) return {tl::unexpected(evidence.error()), {}};
  options.source = *evidence;
  LogOptions log_options;
  log_options.quiet = true;
  Logger logger(log_options, nullptr);
  IosScan result{scan::run_scan(modules, options, inputs, logger), {}};
  result.files_read = (*evidence)->files_read();
  return result;
}

}  // namespace spyglass::artifacts::ios::testing
