#pragma once
// Builds Manifest.db `file` blobs: NSKeyedArchiver bplists with the MBFile object graph of
// real backups ($objects[0] "$null", [1] MBFile dict, then RelativePath string, the
// EncryptionKey NSMutableData object and the class dicts).
#include <cstdint>
#include <optional>
#include <string>

namespace spyglass::testing {

struct MbFileSpec {
  std::string relative_path;
  std::int64_t mode = 0100644;
  std::int64_t size = 0;
  std::int64_t birth = 1610659523;
  std::int64_t last_modified = 1610659523;
  std::int64_t last_status_change = 1610659523;
  std::int64_t user_id = 501;
  std::int64_t group_id = 501;
  std::int64_t inode = 55569;
  std::int64_t protection_class = 3;
  std::int64_t flags = 0;
  std::optional<std::string> target;          // symlinks
  std::optional<std::string> encryption_key;  // 44 bytes: u32 LE class + wrapped key
};

std::string build_mbfile_blob(const MbFileSpec& spec);

}  // namespace spyglass::testing
