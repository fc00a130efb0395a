#pragma once
// Manifest.db file times for the triangle_check tests: IosBackupBuilder stamps every row with
// one fixed time, while the Triangulation heuristic is about when SMS attachment folders and
// preference files changed. This rewrites one row's MBFile blob of a written plaintext backup.
#include <cstdint>
#include <filesystem>
#include <string>

namespace spyglass::testing {

struct ManifestTimes {
  std::int64_t birth = 0;               // Unix seconds
  std::int64_t last_modified = 0;       // Unix seconds
  std::int64_t last_status_change = 0;  // Unix seconds
};

// The row (domain, relative_path) must exist; aborts on a fixture bug.
void set_manifest_times(const std::filesystem::path& backup, const std::string& domain,
                        const std::string& relative_path, const ManifestTimes& times);

}  // namespace spyglass::testing
