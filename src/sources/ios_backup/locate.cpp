#include "sources/ios_backup/locate.hpp"

#include <algorithm>
#include <string>
#include <vector>

namespace spyglass::sources::ios_backup {
namespace fs = std::filesystem;

bool is_backup_folder(const fs::path& dir) {
  std::error_code ec;
  if (fs::is_regular_file(dir / "Manifest.db", ec)) return true;
  return fs::is_regular_file(dir / "Manifest.plist", ec) && fs::is_regular_file(dir / "Info.plist", ec);
}

Result<fs::path> locate_backup(const fs::path& path) {
  std::error_code ec;
  if (!fs::is_directory(path, ec)) {
    return make_error(ErrorCode::kNotFound, "not a folder: " + path.string());
  }
  if (is_backup_folder(path)) return path;
  std::vector<fs::path> found;
  for (fs::directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_directory(ec) && !it->is_symlink(ec) && is_backup_folder(it->path())) {
      found.push_back(it->path());
    }
  }
  if (ec) return make_error(ErrorCode::kIo, "cannot list " + path.string() + ": " + ec.message());
  std::sort(found.begin(), found.end());
  if (found.size() == 1) return found.front();
  if (found.empty()) {
    return make_error(ErrorCode::kNotFound,
                      "no iOS backup in " + path.string() +
                          ": expected Manifest.db (or Manifest.plist and Info.plist) in it or in "
                          "one of its subfolders");
  }
  std::string list;
  for (const auto& f : found) list += "\n  " + f.string();
  return make_error(ErrorCode::kInvalidArgument,
                    "several iOS backups in " + path.string() + "; give one of:" + list);
}

}  // namespace spyglass::sources::ios_backup
