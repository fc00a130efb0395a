#pragma once
// A fresh folder under the system temp dir, removed with its content on destruction.
#include <filesystem>
#include <string>

namespace spyglass::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

// Writes bytes to a file, creating parent folders.
void write_file(const std::filesystem::path& path, std::string_view bytes);
// Reads a whole file (test helper; evidence code uses bounded readers).
std::string read_file(const std::filesystem::path& path);
// The source tree root (from SPYGLASS_SOURCE_DIR set by ctest, else the compile-time path).
std::filesystem::path source_dir();

}  // namespace spyglass::testing
