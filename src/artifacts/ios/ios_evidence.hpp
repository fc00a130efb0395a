#pragma once
// iOS evidence as artifact modules see it: files found by locators, opened read-only, whether
// the evidence is an iTunes/Finder backup or (later) a filesystem dump. A module names its
// files once, for both sources, and never builds a path itself.
//
//   IosLocator sms_db;
//   sms_db.backup_files = {{"HomeDomain", "Library/SMS/sms.db"}};     // fileID 3d0d7e5f...
//   sms_db.fs_globs = {"private/var/mobile/Library/SMS/sms.db"};
//   auto files = evidence.find(sms_db);              // Result<std::vector<IosFile>>
//   auto db = evidence.open_sqlite(files->front());  // private copy, with its -wal
//   record.provenance = files->front().provenance("message rowid 12");
//
// Implementations are safe for concurrent use by modules running in parallel.
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/report/alert.hpp"
#include "formats/plist/value.hpp"
#include "formats/sqlite/database.hpp"
#include "scan/module.hpp"
#include "sources/ios_backup/backup.hpp"
#include "sources/ios_backup/secrets.hpp"
#include "support/error.hpp"

namespace spyglass::artifacts::ios {

enum class IosSourceKind { kBackup, kFilesystem };
std::string_view source_kind_name(IosSourceKind kind);  // "backup", "filesystem"

// A file at a known place: in a backup its fileID is SHA1(domain + "-" + relative_path).
struct BackupPath {
  std::string domain;         // "HomeDomain", "AppDomainGroup-group.net.whatsapp.WhatsApp.shared"
  std::string relative_path;  // "Library/SMS/sms.db"
};

// A Manifest.db query, as MVT's _get_backup_files_from_manifest: relativePath LIKE (MVT's
// "*" is accepted and means "%"), optionally restricted to one domain or a domain pattern.
struct BackupPattern {
  std::string relative_path_like;  // "Library/Safari/Profiles/*/History.db"
  std::optional<std::string> domain;
  std::optional<std::string> domain_like;
};

// Where a module's files are, for every kind of source. Plain data, part of the module spec.
struct IosLocator {
  std::vector<BackupPath> backup_files;        // exact domain + path (fileID computed)
  std::vector<std::string> backup_file_ids;    // a fileID only (when the path is unknown)
  std::vector<BackupPattern> backup_patterns;  // Manifest.db queries
  // Filesystem dumps: glob patterns relative to the dump root ("*" within one component),
  // e.g. "private/var/mobile/Library/SMS/sms.db". Read by the filesystem source (to come).
  std::vector<std::string> fs_globs;

  bool empty() const {
    return backup_files.empty() && backup_file_ids.empty() && backup_patterns.empty() &&
           fs_globs.empty();
  }
  bool has_backup_side() const {
    return !backup_files.empty() || !backup_file_ids.empty() || !backup_patterns.empty();
  }
};

// One file found by a locator.
struct IosFile {
  IosSourceKind source = IosSourceKind::kBackup;
  std::string domain;         // backup: Manifest domain; filesystem: empty
  std::string relative_path;  // backup: Manifest relativePath; filesystem: path below the root
  std::string file_id;        // backup only
  // The file inside the evidence, relative to its root: "3d/3d0d7e5f..." (backup) or
  // "private/var/mobile/Library/SMS/sms.db" (dump). Never built from relativePath in a backup.
  std::string evidence_path;
  // Backup: the Manifest row (MBFile times, mode, size); absent for a filesystem dump.
  std::optional<sources::ios_backup::ManifestEntry> manifest_entry;

  // "HomeDomain/Library/SMS/sms.db (3d0d7e5f)" or the dump path: for messages.
  std::string display_name() const;
  // For records: file = evidence_path, locator = "<display_name>: <where>".
  report::Provenance provenance(std::string_view where = {}) const;
};

// The opened evidence shared by the modules of one scan (ScanOptions::source).
class IosEvidence : public scan::EvidenceSource {
 public:
  ~IosEvidence() override = default;

  virtual IosSourceKind kind() const = 0;
  // The evidence root as given (a backup folder, or a dump's root folder).
  virtual const std::filesystem::path& root() const = 0;

  // Every file the locator names on this kind of source, deduplicated, in a stable order
  // (backup: fileID order). Empty when none is present. Rows whose relativePath is unsafe
  // (absolute, "..") are still returned (their content is read by fileID, never by path).
  // Errors: the evidence itself cannot be read (e.g. corrupt Manifest.db).
  virtual Result<std::vector<IosFile>> find(const IosLocator& locator) = 0;

  // A read-only private copy in the scratch folder (with the -wal sidecar when the evidence
  // has one). kNotFound when the content is missing, kMalformed when it is not SQLite.
  virtual Result<formats::sqlite::Database> open_sqlite(const IosFile& file) = 0;
  // The whole (decrypted) content, at most max_bytes (kLimitExceeded beyond).
  virtual Result<std::string> read_file(const IosFile& file,
                                        std::size_t max_bytes = std::size_t{64} << 20) = 0;

  // Files read so far, relative to the root ("Manifest.db", "Info.plist", "3d/3d0d7e5f..."),
  // sorted and unique: what the run's evidence manifest must hash.
  std::vector<std::string> files_read() const override = 0;
};

// ---- Backup source --------------------------------------------------------------------------

struct BackupEvidenceOptions {
  // Private scratch folders (decrypted Manifest.db, SQLite copies) are created below this
  // folder and removed when the evidence is destroyed. Empty: the system temp folder.
  std::filesystem::path scratch_parent;
  // Needed for encrypted backups. A Kind::kKey secret skips the slow key derivation.
  std::optional<sources::ios_backup::Secret> secret;
};

class BackupEvidence final : public IosEvidence {
 public:
  // Cheap: checks that `path` is (or holds) a backup folder. The Manifest.db copy or
  // decryption happens on first use, inside the scan (after the output folder is prepared),
  // exactly once whatever the number of modules asking at the same time.
  static Result<std::shared_ptr<BackupEvidence>> create(const std::filesystem::path& path,
                                                        BackupEvidenceOptions options);
  ~BackupEvidence() override;
  BackupEvidence(const BackupEvidence&) = delete;
  BackupEvidence& operator=(const BackupEvidence&) = delete;

  IosSourceKind kind() const override { return IosSourceKind::kBackup; }
  const std::filesystem::path& root() const override;
  Result<std::vector<IosFile>> find(const IosLocator& locator) override;
  Result<formats::sqlite::Database> open_sqlite(const IosFile& file) override;
  Result<std::string> read_file(const IosFile& file, std::size_t max_bytes) override;
  using IosEvidence::read_file;
  std::vector<std::string> files_read() const override;
  // Closes the backup and removes its scratch folder; later lookups fail.
  void modules_done() override;

  // Opens now (idempotent); the first error is kept and returned to every later caller.
  Result<void> ensure_open();
  // Backup-only modules (backup_info, manifest). Valid after a successful ensure_open();
  // the plists never change after opening, so reading them needs no lock.
  const sources::ios_backup::Backup& backup() const;
  // Streams the Manifest rows the query selects (every row by default; fileID order unless
  // query.any_order) without holding them in memory, on a connection of its own, so other
  // modules query Manifest.db meanwhile. A visitor error stops it.
  Result<void> for_each_manifest_entry(
      const std::function<Result<void>(const sources::ios_backup::ManifestEntry&)>& visit,
      const sources::ios_backup::ManifestQuery& query = {});
  // Records a root file read directly (e.g. "Info.plist") for files_read().
  void note_read(std::string relative_path);

 private:
  struct Impl;
  explicit BackupEvidence(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The filesystem-dump source (check-fs) is declared by the locators' fs_globs; its
// implementation comes with `spyglass ios check-fs`. Until then: kUnsupported.
Result<std::shared_ptr<IosEvidence>> open_fs_dump(const std::filesystem::path& root);

}  // namespace spyglass::artifacts::ios
