#pragma once
// A stand-in for the iOS filesystem-dump source (tests only) until `check-fs` has its own:
// resolves a locator's fs_globs ("*" within one path component) below a folder, so a module
// written once for both sources can be run on a dump and its records compared with the
// backup's. Also a runner that hands a module this evidence as the scan would.
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "artifacts/ios/ios_evidence.hpp"
#include "support/ios_fixtures_module_run.hpp"

namespace spyglass::testing {

class FakeFsDump final : public artifacts::ios::IosEvidence {
 public:
  FakeFsDump(std::filesystem::path root, std::filesystem::path scratch)
      : root_(std::move(root)), scratch_(std::move(scratch)) {}
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
  std::vector<std::string> files_read() const override { return {}; }

 private:
  std::filesystem::path root_;
  std::filesystem::path scratch_;
};

// Writes `content` at root/relative (parents created).
void put_file(const std::filesystem::path& root, const std::string& relative,
              const std::string& content);

// Runs `module` on a dump folder through FakeFsDump.
ModuleRun run_module_on_fs(scan::Module& module, const std::filesystem::path& root);

}  // namespace spyglass::testing
