#pragma once
// Library side of `extract-key` and `decrypt-backup`.
#include <filesystem>
#include <vector>

#include "sources/ios_backup/backup.hpp"
#include "sources/ios_backup/secrets.hpp"

namespace spyglass::sources::ios_backup {

// The 32-byte passcode key, checked by unwrapping the class keys. Reads Manifest.plist only.
Result<SecureBytes> extract_key(const std::filesystem::path& backup_path, const Secret& secret);

struct DecryptReport {
  std::uint64_t files = 0;
  std::uint64_t bytes = 0;
  std::vector<Diagnostic> diagnostics;  // size mismatches, missing blobs, skipped rows
};

// Writes a plaintext copy to `dest` (absent or empty; never inside the backup): Manifest.db
// decrypted, every listed file at <xx>/<fileID> decrypted, Info.plist and Status.plist as they
// are, and Manifest.plist with IsEncrypted set to false (everything else kept) so that the
// copy opens as the plaintext backup it now is.
Result<DecryptReport> decrypt_backup(const std::filesystem::path& backup_path,
                                     const Secret& secret, const std::filesystem::path& dest,
                                     const std::filesystem::path& scratch_dir);

}  // namespace spyglass::sources::ios_backup
