#pragma once
// SHA-256 of files, read in bounded chunks (evidence files can be many gigabytes).
#include <filesystem>
#include <string>
#include <vector>

#include "support/error.hpp"

namespace spyglass {

// Lower-case hex digest of the file's bytes.
Result<std::string> sha256_file(const std::filesystem::path& path);

struct FileHash {
  std::filesystem::path path;
  std::string sha256;
};

// Every regular file under `root` (or `root` itself when it is a file), sorted by path,
// without following symlinks. Unreadable files are an error naming the file.
Result<std::vector<FileHash>> sha256_tree(const std::filesystem::path& root);

}  // namespace spyglass
