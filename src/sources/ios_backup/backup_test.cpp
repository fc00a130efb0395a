#include "sources/ios_backup/backup.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "sources/ios_backup/locate.hpp"
#include "support/ios_backup_builder.hpp"
#include "support/temp_dir.hpp"

namespace spyglass::sources::ios_backup {
namespace {
namespace fs = std::filesystem;
using spyglass::testing::IosBackupBuilder;
using spyglass::testing::TempDir;

std::string small_sqlite(const TempDir& tmp, const std::string& name, int rows, bool wal) {
  const fs::path p = tmp / name;
  sqlite3* db = nullptr;
  sqlite3_open(p.c_str(), &db);
  sqlite3_exec(db, "CREATE TABLE message(ROWID INTEGER PRIMARY KEY, text TEXT);", nullptr,
               nullptr, nullptr);
  if (wal) {
    sqlite3_exec(db, "PRAGMA journal_mode=WAL;", nullptr, nullptr, nullptr);
    sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
  }
  for (int i = 0; i < rows; ++i) {
    sqlite3_exec(db, ("INSERT INTO message(text) VALUES('m" + std::to_string(i) + "')").c_str(),
                 nullptr, nullptr, nullptr);
  }
  sqlite3_close(db);
  return spyglass::testing::read_file(p);
}

struct Fixture {
  TempDir tmp;
  TempDir out;
  fs::path root;
};

TEST(BackupTest, PlaintextRoundTrip) {
  Fixture f;
  IosBackupBuilder b;
  b.add_directory("HomeDomain", "Library");
  const std::string id = b.add_file("HomeDomain", "Library/SMS/sms.db", "hello sms");
  b.add_symlink("HomeDomain", "Library/link", "/var/mobile");
  EXPECT_EQ(id, "3d0d7e5fb2ce288813306e4d4636395e047a3d28");  // MVT's hard-coded SMS fileID
  f.root = b.write(f.tmp / b.udid());

  auto backup = Backup::open(f.root, {.scratch_dir = f.out.path(), .secret = nullptr});
  ASSERT_TRUE(backup) << backup.error().message;
  EXPECT_FALSE(backup->encrypted());
  EXPECT_EQ(backup->device().product_version, "14.3");
  EXPECT_EQ(backup->device().unique_identifier, b.udid());
  EXPECT_TRUE(backup->diagnostics().empty());
  EXPECT_EQ(*backup->count_entries(), 3u);

  auto e = backup->find("HomeDomain", "Library/SMS/sms.db");
  ASSERT_TRUE(e && e->has_value());
  EXPECT_EQ((*e)->file_id, id);
  EXPECT_TRUE((*e)->is_file());
  ASSERT_TRUE((*e)->file.has_value());
  EXPECT_EQ((*e)->file->size, 9);
  auto content = backup->read_file(**e);
  ASSERT_TRUE(content) << content.error().message;
  EXPECT_EQ(content->data, "hello sms");
  EXPECT_FALSE(content->size_mismatch);

  auto by_id = backup->find_by_file_id(id);
  ASSERT_TRUE(by_id && by_id->has_value());
  auto like = backup->find_like("Library/*");
  ASSERT_TRUE(like);
  EXPECT_EQ(like->size(), 2u);
  auto link = backup->find("HomeDomain", "Library/link");
  ASSERT_TRUE(link && link->has_value());
  EXPECT_EQ((*link)->file->target, "/var/mobile");
  EXPECT_FALSE(*backup->find("HomeDomain", "nope"));
  auto dir = backup->find("HomeDomain", "Library");
  EXPECT_EQ((*dir)->file->mode, 040755);
}

TEST(BackupTest, LocatesNestedBackupAndRejectsSeveral) {
  Fixture f;
  IosBackupBuilder b;
  b.add_file("HomeDomain", "a", "x");
  b.write(f.tmp / "Backup" / b.udid());
  auto found = locate_backup(f.tmp / "Backup");
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_EQ(found->filename(), b.udid());
  EXPECT_TRUE(Backup::open(f.tmp / "Backup", {.scratch_dir = f.out.path(), .secret = nullptr}));

  IosBackupBuilder other;
  other.add_file("HomeDomain", "a", "y");
  other.write(f.tmp / "Backup" / "second");
  auto several = locate_backup(f.tmp / "Backup");
  ASSERT_FALSE(several);
  EXPECT_NE(several.error().message.find("second"), std::string::npos);
  EXPECT_NE(several.error().message.find(b.udid()), std::string::npos);

  TempDir empty;
  auto none = locate_backup(empty.path());
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, ErrorCode::kNotFound);
  EXPECT_NE(none.error().message.find("Manifest.db"), std::string::npos);
}

TEST(BackupTest, MissingAndBrokenRootFiles) {
  {
    Fixture f;
    IosBackupBuilder b;
    b.add_file("HomeDomain", "a", "x");
    b.omit_info_plist();
    auto backup = Backup::open(b.write(f.tmp / "u"), {.scratch_dir = f.out.path(), .secret = nullptr});
    ASSERT_TRUE(backup) << backup.error().message;  // a warning, not fatal
    ASSERT_EQ(backup->diagnostics().size(), 1u);
    EXPECT_EQ(backup->diagnostics()[0].code, "info_plist_missing");
    EXPECT_EQ(backup->info_plist(), nullptr);
    EXPECT_EQ(backup->device().product_version, "14.3");  // from Manifest.plist Lockdown
  }
  {
    Fixture f;
    IosBackupBuilder b;
    b.add_file("HomeDomain", "a", "x");
    b.corrupt_manifest_plist();
    auto backup = Backup::open(b.write(f.tmp / "u"), {.scratch_dir = f.out.path(), .secret = nullptr});
    ASSERT_TRUE(backup);
    EXPECT_EQ(backup->diagnostics()[0].code, "manifest_plist_malformed");
  }
  {
    Fixture f;
    IosBackupBuilder b;
    for (int i = 0; i < 200; ++i) b.add_file("HomeDomain", "f" + std::to_string(i), "x");
    b.truncate_manifest_db(1000);
    auto backup = Backup::open(b.write(f.tmp / "u"), {.scratch_dir = f.out.path(), .secret = nullptr});
    ASSERT_FALSE(backup);
    EXPECT_EQ(backup.error().code, ErrorCode::kMalformed);
  }
  {
    Fixture f;
    IosBackupBuilder b;
    b.add_file("HomeDomain", "a", "x");
    const fs::path root = b.write(f.tmp / "u");
    fs::remove(root / "Manifest.db");
    auto backup = Backup::open(root, {.scratch_dir = f.out.path(), .secret = nullptr});
    ASSERT_FALSE(backup);
    EXPECT_EQ(backup.error().code, ErrorCode::kNotFound);
    EXPECT_NE(backup.error().message.find("Manifest.db"), std::string::npos);
  }
}

TEST(BackupTest, WalRowsAreReadAndEvidenceIsUnchanged) {
  Fixture f;
  IosBackupBuilder b;
  b.add_file("HomeDomain", "Library/SMS/sms.db", small_sqlite(f.tmp, "s.db", 3, false));
  b.add_file("HomeDomain", "late", "only in the wal");
  b.keep_last_rows_in_wal(1);
  const fs::path root = b.write(f.tmp / "u");
  ASSERT_TRUE(fs::exists(root / "Manifest.db-wal"));
  const std::string before = spyglass::testing::hash_tree(root);
  {
    auto backup = Backup::open(root, {.scratch_dir = f.out.path(), .secret = nullptr});
    ASSERT_TRUE(backup) << backup.error().message;
    auto late = backup->find("HomeDomain", "late");
    ASSERT_TRUE(late && late->has_value());
    EXPECT_EQ(backup->read_file(**late)->data, "only in the wal");
    auto sms = backup->find("HomeDomain", "Library/SMS/sms.db");
    auto db = backup->open_sqlite(**sms);
    ASSERT_TRUE(db) << db.error().message;
    auto stmt = db->prepare("SELECT count(*) FROM message");
    ASSERT_TRUE(stmt && *stmt->step());
    EXPECT_EQ(stmt->get_int64(0), 3);
  }
  EXPECT_EQ(spyglass::testing::hash_tree(root), before);
  EXPECT_TRUE(fs::is_empty(f.out.path()));  // scratch removed with the Backup
}

TEST(BackupTest, SqliteWithWalEntryInTheBackup) {
  Fixture f;
  IosBackupBuilder b;
  small_sqlite(f.tmp, "w.db", 4, true);
  ASSERT_TRUE(fs::exists(f.tmp / "w.db-wal"));
  b.add_file("HomeDomain", "Library/SMS/sms.db", spyglass::testing::read_file(f.tmp / "w.db"));
  b.add_file("HomeDomain", "Library/SMS/sms.db-wal",
             spyglass::testing::read_file(f.tmp / "w.db-wal"));
  auto backup = Backup::open(b.write(f.tmp / "u"), {.scratch_dir = f.out.path(), .secret = nullptr});
  ASSERT_TRUE(backup);
  auto sms = backup->find("HomeDomain", "Library/SMS/sms.db");
  auto db = backup->open_sqlite(**sms);
  ASSERT_TRUE(db) << db.error().message;
  auto stmt = db->prepare("SELECT count(*) FROM message");
  ASSERT_TRUE(stmt && *stmt->step());
  EXPECT_EQ(stmt->get_int64(0), 4);  // rows that exist only in the -wal entry
}

TEST(BackupTest, OrphanAndMissingBlobsSizeMismatchAndUnsafePaths) {
  Fixture f;
  IosBackupBuilder b;
  const std::string gone = b.add_file("HomeDomain", "gone", "x");
  b.omit_blob(gone);
  const std::string orphan = b.add_orphan_blob("stray");
  b.add_file("HomeDomain", "short", "twelve bytes", {.protection_class = 3, .recorded_size = 5,
                                                     .mode = 0100644});
  b.add_file("HomeDomain", "../../etc/passwd", "root:x");
  auto backup = Backup::open(b.write(f.tmp / "u"), {.scratch_dir = f.out.path(), .secret = nullptr});
  ASSERT_TRUE(backup);

  auto audit = backup->audit_blobs();
  ASSERT_TRUE(audit);
  EXPECT_EQ(audit->missing, std::vector<std::string>{gone});
  EXPECT_EQ(audit->orphans, std::vector<std::string>{orphan.substr(0, 2) + "/" + orphan});
  auto missing = backup->read_file(**backup->find("HomeDomain", "gone"));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);

  auto shorter = backup->read_file(**backup->find("HomeDomain", "short"));
  ASSERT_TRUE(shorter);
  EXPECT_EQ(shorter->data, "twelve bytes");  // never cut to Size
  EXPECT_TRUE(shorter->size_mismatch);
  ASSERT_EQ(shorter->diagnostics.size(), 1u);
  EXPECT_EQ(shorter->diagnostics[0].code, "size_mismatch");

  auto evil = backup->find("HomeDomain", "../../etc/passwd");
  ASSERT_TRUE(evil && evil->has_value());
  EXPECT_TRUE((*evil)->unsafe_relative_path);
  EXPECT_FALSE((*backup->find("HomeDomain", "short"))->unsafe_relative_path);
  EXPECT_TRUE(is_unsafe_relative_path("a/../b"));
  EXPECT_TRUE(is_unsafe_relative_path("/abs"));
  EXPECT_FALSE(is_unsafe_relative_path("a/..b/c"));
  ManifestEntry bad = **evil;
  bad.file_id = "../../../etc/passwd";
  EXPECT_EQ(backup->read_file(bad).error().code, ErrorCode::kMalformed);
}

TEST(BackupTest, StreamsManyRows) {
  Fixture f;
  IosBackupBuilder b;
  for (int i = 0; i < 2000; ++i) b.add_file("AppDomain-x", "f/" + std::to_string(i), "c");
  auto backup = Backup::open(b.write(f.tmp / "u"), {.scratch_dir = f.out.path(), .secret = nullptr});
  ASSERT_TRUE(backup);
  auto cursor = backup->query({});
  ASSERT_TRUE(cursor);
  std::size_t n = 0;
  std::string last;
  while (*cursor->next()) {
    EXPECT_GT(cursor->entry().file_id, last);  // fileID order
    last = cursor->entry().file_id;
    ++n;
  }
  EXPECT_EQ(n, 2000u);
}

}  // namespace
}  // namespace spyglass::sources::ios_backup
