#pragma once
// An iTunes/Finder backup (iOS >= 10: Manifest.db), plaintext or encrypted. Content is found
// through Manifest.db only; its path is always <root>/<fileID[0:2]>/<fileID> with a validated
// fileID, never built from relativePath.
//
//   auto backup = Backup::open(path, {.scratch_dir = out / "scratch", .secret = &secret});
//   auto sms = backup->find("HomeDomain", "Library/SMS/sms.db");     // Result<optional<Entry>>
//   auto db = backup->open_sqlite(**sms);   // decrypted/copied, with its -wal entry beside it
//   auto cursor = backup->query({.relative_path_like = "Library/Safari/%History.db"});
//   while (*cursor->next()) use(cursor->entry());
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "formats/plist/mbfile.hpp"
#include "formats/plist/value.hpp"
#include "formats/sqlite/database.hpp"
#include "sources/ios_backup/secrets.hpp"
#include "support/error.hpp"

namespace spyglass::sources::ios_backup {

struct Diagnostic {
  enum class Severity { kInfo, kWarning, kError };
  Severity severity = Severity::kWarning;
  std::string code;  // stable id, e.g. "info_plist_missing"
  std::string message;
};

struct ManifestEntry {
  std::string file_id;
  std::string domain;
  std::string relative_path;
  std::int64_t flags = 0;  // 1 file, 2 directory, 4 symlink
  std::optional<formats::plist::MBFile> file;
  std::optional<Error> file_error;  // the `file` blob did not decode
  bool file_id_valid = false;       // 40 lowercase hex characters
  bool unsafe_relative_path = false;  // absolute, NUL or ".." component: never followed

  bool is_file() const { return flags == 1; }
  bool is_directory() const { return flags == 2; }
  bool is_symlink() const { return flags == 4; }
};

// Filters combine with AND. *_like use SQL LIKE (% and _); MVT's "*" is translated to "%".
struct ManifestQuery {
  std::optional<std::string> file_id;
  std::optional<std::string> domain;
  std::optional<std::string> relative_path;
  std::optional<std::string> domain_like;
  std::optional<std::string> relative_path_like;
  std::optional<std::int64_t> flags;
  // Rows in table order instead of fileID order: a LIKE query then scans the table once
  // instead of seeking every row through the fileID index. For callers that sort.
  bool any_order = false;
};

// Streams Manifest rows in fileID order (or table order: ManifestQuery::any_order), one
// decoded entry at a time. Valid while its Backup lives.
class ManifestCursor {
 public:
  Result<bool> next();
  const ManifestEntry& entry() const { return entry_; }

 private:
  friend class Backup;
  explicit ManifestCursor(formats::sqlite::Statement stmt) : stmt_(std::move(stmt)) {}
  // Rows picked by the in-memory index (manifest_index.hpp), read one by one by rowid.
  ManifestCursor(formats::sqlite::Statement by_rowid, std::vector<std::int64_t> rowids)
      : stmt_(std::move(by_rowid)), rowids_(std::move(rowids)) {}
  void decode_row();
  formats::sqlite::Statement stmt_;
  std::optional<std::vector<std::int64_t>> rowids_;
  std::size_t next_rowid_ = 0;
  bool positioned_ = false;  // the statement sits on row at_rowid_
  std::int64_t at_rowid_ = 0;
  ManifestEntry entry_;
};

struct FileContent {
  std::string data;  // decrypted, padding removed, never cut to Size
  std::optional<std::int64_t> recorded_size;
  bool size_mismatch = false;
  bool padding_valid = true;
  std::vector<Diagnostic> diagnostics;
};

struct ExtractReport {
  std::uint64_t bytes = 0;
  std::optional<std::int64_t> recorded_size;
  bool size_mismatch = false;
  std::vector<Diagnostic> diagnostics;
};

struct BlobAudit {
  std::vector<std::string> orphans;  // "<xx>/<name>" on disk, not listed in Manifest.db
  std::vector<std::string> missing;  // fileIDs of listed files without a blob
};

struct DeviceInfo {
  std::string product_version;
  std::string product_type;
  std::string build_version;
  std::string device_name;
  std::string serial_number;
  std::string unique_identifier;
};

struct OpenOptions {
  std::filesystem::path scratch_dir;  // required: decrypted data only goes here
  const Secret* secret = nullptr;     // required for encrypted backups
};

class Backup {
 public:
  static Result<Backup> open(const std::filesystem::path& path, const OpenOptions& options);
  Backup(Backup&&) noexcept;
  Backup& operator=(Backup&&) noexcept;
  ~Backup();

  const std::filesystem::path& root() const;
  bool encrypted() const;
  DeviceInfo device() const;
  // nullptr when the file was missing or unreadable (see diagnostics()).
  const formats::plist::Value* info_plist() const;
  const formats::plist::Value* manifest_plist() const;
  const formats::plist::Value* status_plist() const;
  const std::vector<Diagnostic>& diagnostics() const;
  // The 32-byte passcode key (encrypted backups only; empty otherwise).
  const SecureBytes& passcode_key() const;
  // The private plaintext copy of Manifest.db that this Backup reads.
  const std::filesystem::path& manifest_db_path() const;

  Result<ManifestCursor> query(const ManifestQuery& query = {}) const;
  // The same on another connection to the private Manifest.db copy (from
  // open_manifest_connection()), so that one thread can stream rows while others query.
  // Path filters still use the shared index: the caller serialises that call with every
  // other use of this Backup, not the cursor's steps.
  Result<ManifestCursor> query(const ManifestQuery& query,
                               const formats::sqlite::Database& connection) const;
  Result<formats::sqlite::Database> open_manifest_connection() const;
  Result<std::optional<ManifestEntry>> find_by_file_id(std::string_view file_id) const;
  Result<std::optional<ManifestEntry>> find(std::string_view domain,
                                            std::string_view relative_path) const;
  // MVT-style pattern: "*" -> "%".
  Result<std::vector<ManifestEntry>> find_like(std::string_view relative_path_pattern) const;
  Result<std::uint64_t> count_entries() const;

  // <root>/<xx>/<fileID>; kMalformed for a fileID that is not 40 hex characters.
  Result<std::filesystem::path> blob_path(const ManifestEntry& entry) const;
  Result<FileContent> read_file(const ManifestEntry& entry,
                                std::size_t max_bytes = std::size_t{1} << 30) const;
  // Streams the (decrypted) content to `dest`, created with mode 0600.
  Result<ExtractReport> extract_file(const ManifestEntry& entry,
                                     const std::filesystem::path& dest) const;
  // Opens an SQLite file from the backup read-only, with its "-wal" entry (same domain) as a
  // sidecar when the backup has one.
  Result<formats::sqlite::Database> open_sqlite(const ManifestEntry& entry) const;

  Result<BlobAudit> audit_blobs() const;

 private:
  Result<std::vector<std::int64_t>> order_by_file_id(const formats::sqlite::Database& db,
                                                     std::vector<std::int64_t> rowids) const;
  struct Impl;
  explicit Backup(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// fileID = lowercase hex SHA1(domain + "-" + relativePath).
std::string file_id_for(std::string_view domain, std::string_view relative_path);
bool is_valid_file_id(std::string_view file_id);
bool is_unsafe_relative_path(std::string_view relative_path);

}  // namespace spyglass::sources::ios_backup
