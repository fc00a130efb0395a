#include "sources/ios_backup/decrypt.hpp"

#include <algorithm>
#include <fstream>

#include "formats/plist/writer.hpp"
#include "sources/ios_backup/backup_keys.hpp"
#include "sources/ios_backup/locate.hpp"

namespace spyglass::sources::ios_backup {
namespace fs = std::filesystem;

Result<SecureBytes> extract_key(const fs::path& backup_path, const Secret& secret) {
  auto root = locate_backup(backup_path);
  if (!root) return tl::unexpected(root.error());
  auto manifest = read_root_plist(*root / "Manifest.plist");
  if (!manifest) return tl::unexpected(manifest.error());
  const auto* enc = manifest->get("IsEncrypted");
  if (enc == nullptr || !enc->as_bool().value_or(false)) {
    return make_error(ErrorCode::kInvalidArgument, "the backup is not encrypted");
  }
  auto keys = unlock_backup(*manifest, secret);
  if (!keys) return tl::unexpected(keys.error());
  return std::move(keys->passcode_key);
}

namespace {

bool is_within(const fs::path& inner, const fs::path& outer) {
  std::error_code ec;
  const fs::path a = fs::weakly_canonical(inner, ec);
  const fs::path b = fs::weakly_canonical(outer, ec);
  auto [end_b, end_a] = std::mismatch(b.begin(), b.end(), a.begin(), a.end());
  return end_b == b.end();
}

}  // namespace

Result<DecryptReport> decrypt_backup(const fs::path& backup_path, const Secret& secret,
                                     const fs::path& dest, const fs::path& scratch_dir) {
  auto root = locate_backup(backup_path);
  if (!root) return tl::unexpected(root.error());
  if (is_within(dest, *root)) {
    return make_error(ErrorCode::kInvalidArgument,
                      "the destination must not be inside the backup (evidence is read-only)");
  }
  std::error_code ec;
  if (fs::exists(dest, ec) && !fs::is_empty(dest, ec)) {
    return make_error(ErrorCode::kInvalidArgument, "the destination folder is not empty");
  }
  auto backup = Backup::open(*root, OpenOptions{scratch_dir, &secret});
  if (!backup) return tl::unexpected(backup.error());
  if (!backup->encrypted()) {
    return make_error(ErrorCode::kInvalidArgument, "the backup is not encrypted");
  }
  fs::create_directories(dest, ec);
  if (ec) return make_error(ErrorCode::kIo, "cannot create " + dest.string() + ": " + ec.message());

  DecryptReport report;
  report.diagnostics = backup->diagnostics();
  ManifestQuery files;
  files.flags = 1;
  auto cursor = backup->query(files);
  if (!cursor) return tl::unexpected(cursor.error());
  while (true) {
    auto row = cursor->next();
    if (!row) return tl::unexpected(row.error());
    if (!*row) break;
    const ManifestEntry& e = cursor->entry();
    if (!e.file_id_valid) {
      report.diagnostics.push_back({Diagnostic::Severity::kWarning, "bad_file_id",
                                    "skipped a row whose fileID is not 40 hex characters"});
      continue;
    }
    fs::create_directories(dest / e.file_id.substr(0, 2), ec);
    auto r = backup->extract_file(e, dest / e.file_id.substr(0, 2) / e.file_id);
    if (!r) {
      // One bad file must not stop the copy; it is reported instead.
      report.diagnostics.push_back({Diagnostic::Severity::kWarning,
                                    r.error().code == ErrorCode::kNotFound ? "blob_missing"
                                                                           : "decrypt_failed",
                                    r.error().message});
      continue;
    }
    ++report.files;
    report.bytes += r->bytes;
    for (auto& d : r->diagnostics) report.diagnostics.push_back(std::move(d));
  }

  // The open Manifest.db is already a plaintext private copy.
  auto db_path = backup->manifest_db_path();
  fs::copy_file(db_path, dest / "Manifest.db", ec);
  if (ec) return make_error(ErrorCode::kIo, "cannot write Manifest.db: " + ec.message());
  for (const char* name : {"Info.plist", "Status.plist"}) {
    if (fs::exists(*root / name, ec)) fs::copy_file(*root / name, dest / name, ec);
  }
  if (const auto* manifest = backup->manifest_plist()) {
    formats::plist::Value copy = *manifest;
    copy.as_dict()->set("IsEncrypted", false);
    auto bytes = formats::plist::write_binary(copy);
    if (!bytes) return tl::unexpected(bytes.error());
    std::ofstream out(dest / "Manifest.plist", std::ios::binary);
    out.write(bytes->data(), static_cast<std::streamsize>(bytes->size()));
    if (!out) return make_error(ErrorCode::kIo, "cannot write Manifest.plist");
  }
  return report;
}

}  // namespace spyglass::sources::ios_backup
