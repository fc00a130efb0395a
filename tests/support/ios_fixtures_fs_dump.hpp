#pragma once
// A stand-in filesystem-dump source for module tests, until `spyglass ios check-fs` brings
// the real one (open_fs_dump() answers kUnsupported today). It resolves a locator's fs_globs
// below a dump folder ("*" within one path component, as MVT's glob) and opens files as the
// real source will: SQLite through a private read-only copy. Tests use it to show that a
// module's fs_globs find the on-device paths and that a dump and a backup give the same
// records.
#include <filesystem>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "artifacts/ios/ios_evidence.hpp"
#include "scan/module.hpp"
#include "support/ios_fixtures_module_run.hpp"

namespace spyglass::testing {

class FsDumpStandIn final : public artifacts::ios::IosEvidence {
 public:
  FsDumpStandIn(std::filesystem::path root, std::filesystem::path scratch);

  artifacts::ios::IosSourceKind kind() const override {
    return artifacts::ios::IosSourceKind::kFilesystem;
  }
  const std::filesystem::path& root() const override { return root_; }
  Result<std::vector<artifacts::ios::IosFile>> find(
      const artifacts::ios::IosLocator& locator) override;
  Result<formats::sqlite::Database> open_sqlite(const artifacts::ios::IosFile& file) override;
  Result<std::string> read_file(const artifacts::ios::IosFile& file,
                                std::size_t max_bytes) override;
  using IosEvidence::read_file;
  std::vector<std::string> files_read() const override;

 private:
  std::filesystem::path root_;
  std::filesystem::path scratch_;
  mutable std::mutex mu_;
  std::set<std::string> read_;
};

// Every path below `root` matching `pattern` (relative, '/'-separated, '*' within one
// component), sorted.
std::vector<std::string> glob_dump(const std::filesystem::path& root, const std::string& pattern);

// Writes `content` at root/relative (parents created).
void put_file(const std::filesystem::path& root, const std::string& relative,
              const std::string& content);

// Runs `module` on the dump folder `root` through FsDumpStandIn, as the runner would.
ModuleRun run_module_on_dump(scan::Module& module, const std::filesystem::path& root);

}  // namespace spyglass::testing
