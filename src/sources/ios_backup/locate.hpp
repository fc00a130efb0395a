#pragma once
// Finds the backup folder: the path itself when it holds Manifest.db (or Manifest.plist and
// Info.plist), else its only subfolder that does (a parent "Backup/" folder).
#include <filesystem>

#include "support/error.hpp"

namespace spyglass::sources::ios_backup {

bool is_backup_folder(const std::filesystem::path& dir);
Result<std::filesystem::path> locate_backup(const std::filesystem::path& path);

}  // namespace spyglass::sources::ios_backup
