#pragma once
// The base of every iOS artifact module: the spec carries the locators (backup and
// filesystem dump), run() finds the files and hands them to the module. A module is
// "not present" when none of its files exist and "failed" when they exist but cannot be read
// (corrupt, truncated, unknown schema), with the tables and columns seen in the message.
//
//   class SmsModule final : public IosModule {
//    public:
//     SmsModule() : IosModule(make_spec()) {}
//    private:
//     static IosModuleSpec make_spec() {
//       IosModuleSpec s;
//       s.slug = "sms"; s.display_name = "SMS"; s.summary = "...";
//       s.locator.backup_files = {{"HomeDomain", "Library/SMS/sms.db"}};
//       s.locator.fs_globs = {"private/var/mobile/Library/SMS/sms.db"};
//       return s;
//     }
//     scan::Status run_files(IosRun& run) override {
//       for (const IosFile& f : run.files) {
//         auto db = run.evidence.open_sqlite(f);
//         if (!db) return run.file_failed(f, db.error());
//         ...  run.sink.emit(record);
//       }
//       return scan::Status::ok();
//     }
//   };
//   std::unique_ptr<scan::Module> make_sms_module() { return std::make_unique<SmsModule>(); }
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "artifacts/ios/ios_evidence.hpp"
#include "formats/json/json_value.hpp"
#include "formats/sqlite/database.hpp"
#include "scan/module.hpp"
#include "scan/record.hpp"

namespace spyglass::artifacts::ios {

// Which sources a module reads. Backup-only modules (Info.plist, Manifest.db) are "not
// present" on a filesystem dump, and the reverse.
enum class IosSources { kBoth, kBackupOnly, kFilesystemOnly };

struct IosModuleSpec : scan::ModuleSpec {
  IosModuleSpec() { family = scan::Family::kIos; }
  IosLocator locator;  // empty: the module reads the source itself (e.g. Manifest.db)
  IosSources sources = IosSources::kBoth;
};

// What run_files() gets: the evidence, the files the locator found (never empty when the
// locator is not), the scan context and the sink.
struct IosRun {
  IosEvidence& evidence;
  const std::vector<IosFile>& files;
  scan::ModuleContext& context;
  scan::RecordSink& sink;

  // A failure that names the file: "HomeDomain/Library/SMS/sms.db (3d0d7e5f): <error>".
  // kNotFound (content missing from the backup) is a failure too: Manifest lists the file.
  scan::Status file_failed(const IosFile& file, const Error& error) const;
  // The backup source, or nullptr on a filesystem dump.
  BackupEvidence* backup() const;
};

class IosModule : public scan::Module {
 public:
  explicit IosModule(IosModuleSpec spec) : spec_(std::move(spec)) {}
  const scan::ModuleSpec& spec() const final { return spec_; }
  const IosModuleSpec& ios_spec() const { return spec_; }

  // Takes the shared IosEvidence from the context (ScanOptions::source); without one (a
  // generic scan of a folder), opens options.evidence as a plaintext backup of its own.
  scan::Status run(scan::ModuleContext& context, scan::RecordSink& sink) final;

 protected:
  virtual scan::Status run_files(IosRun& run) = 0;

 private:
  IosModuleSpec spec_;
};

// ---- Helpers for SQLite artifacts -----------------------------------------------------------

// The columns of `table` (PRAGMA table_info) as a set for branching on schema versions.
class TableColumns {
 public:
  static Result<TableColumns> read(const formats::sqlite::Database& db, std::string_view table);
  bool has(std::string_view column) const;
  bool empty() const { return names_.empty(); }  // the table does not exist
  const std::string& table() const { return table_; }
  const std::vector<std::string>& names() const { return names_; }
  // "message(ROWID, guid, text, ...)" for diagnostics.
  std::string describe() const;

 private:
  std::string table_;
  std::vector<std::string> names_;
};

// kMalformed "unknown schema: ..." naming the table, the columns seen and those missing,
// unless every `required` column is present.
Result<void> require_columns(const TableColumns& columns,
                             std::initializer_list<std::string_view> required);

// One result column as MVT's JSON has it: integers, reals and text as they are, NULL as
// null, blobs as base64 (MVT base64-encodes attributedBody and friends).
json::Value column_json(const formats::sqlite::Statement& stmt, int col);
// Every column of the current row, in query order, as an object.
json::Value row_json(const formats::sqlite::Statement& stmt);
std::string base64_encode(std::span<const std::uint8_t> bytes);

// MVT's check_for_links: case-insensitive "https?://" up to the next whitespace.
std::vector<std::string> find_links(std::string_view text);

// Mac absolute time (seconds since 2001-01-01) as iOS stores it; values above 1e12 are
// nanoseconds (iOS >= 11 in sms.db). nullopt for 0/NULL (never set).
std::optional<UnixMicros> from_mac_time_auto(std::int64_t value);

}  // namespace spyglass::artifacts::ios
