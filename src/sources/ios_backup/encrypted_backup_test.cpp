#include <gtest/gtest.h>

#include "sources/ios_backup/backup.hpp"
#include "sources/ios_backup/decrypt.hpp"
#include "support/ios_backup_builder.hpp"
#include "support/temp_dir.hpp"

namespace spyglass::sources::ios_backup {
namespace {
namespace fs = std::filesystem;
using spyglass::testing::IosBackupBuilder;
using spyglass::testing::TempDir;

Secret password(std::string_view pw) { return Secret{Secret::Kind::kPassword, SecureBytes(pw)}; }

std::string big_content() {
  std::string s;
  for (int i = 0; s.size() < (3u << 20) + 5; ++i) s += "line " + std::to_string(i) + "\n";
  return s;
}

struct Encrypted {
  TempDir tmp;
  TempDir out;
  fs::path root;
  std::string sms_id;
  Encrypted() {
    IosBackupBuilder b(42);
    b.add_directory("HomeDomain", "Library");
    sms_id = b.add_file("HomeDomain", "Library/SMS/sms.db", "secret sms");
    b.add_file("HomeDomain", "big", big_content());  // spans several 1 MiB chunks
    b.add_file("HomeDomain", "empty", "");
    b.add_file("HomeDomain", "block", std::string(32, 'b'));  // full padding block
    b.add_file("HomeDomain", "short", "0123456789", {.protection_class = 4, .recorded_size = 3,
                                                     .mode = 0100644});
    b.set_encrypted("hunter2", {.dpic = 1000, .iter = 10, .pre_10_2 = false});
    root = b.write(tmp / "enc");
  }
};

TEST(EncryptedBackupTest, RoundTripWithPasswordAndKey) {
  Encrypted f;
  const Secret pw = password("hunter2");
  auto backup = Backup::open(f.root, {.scratch_dir = f.out.path(), .secret = &pw});
  ASSERT_TRUE(backup) << backup.error().message;
  EXPECT_TRUE(backup->encrypted());
  EXPECT_EQ(backup->passcode_key().size(), 32u);
  auto sms = backup->find_by_file_id(f.sms_id);
  ASSERT_TRUE(sms && sms->has_value());
  EXPECT_EQ((*sms)->file->encryption_key->size(), 44u);
  EXPECT_EQ(backup->read_file(**sms)->data, "secret sms");
  EXPECT_EQ(backup->read_file(**backup->find("HomeDomain", "big"))->data, big_content());
  EXPECT_EQ(backup->read_file(**backup->find("HomeDomain", "empty"))->data, "");
  EXPECT_EQ(backup->read_file(**backup->find("HomeDomain", "block"))->data, std::string(32, 'b'));
  auto shorter = backup->read_file(**backup->find("HomeDomain", "short"));
  ASSERT_TRUE(shorter);
  EXPECT_EQ(shorter->data, "0123456789");
  EXPECT_TRUE(shorter->size_mismatch);

  // The derived key opens the backup without the password.
  const Secret key{Secret::Kind::kKey, backup->passcode_key()};
  auto by_key = Backup::open(f.root, {.scratch_dir = f.out.path(), .secret = &key});
  ASSERT_TRUE(by_key) << by_key.error().message;
  EXPECT_EQ(by_key->read_file(**by_key->find_by_file_id(f.sms_id))->data, "secret sms");
  auto extracted = extract_key(f.root, pw);
  ASSERT_TRUE(extracted);
  EXPECT_EQ(*extracted, backup->passcode_key());
}

TEST(EncryptedBackupTest, WrongPasswordAndMissingSecret) {
  Encrypted f;
  const Secret wrong = password("hunter3");
  auto r = Backup::open(f.root, {.scratch_dir = f.out.path(), .secret = &wrong});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kWrongPassword);
  EXPECT_NE(r.error().message.find("wrong backup password"), std::string::npos);
  EXPECT_EQ(r.error().message.find("hunter"), std::string::npos);  // never echoed
  const Secret bad_key{Secret::Kind::kKey, SecureBytes(std::string(32, 'k'))};
  EXPECT_EQ(Backup::open(f.root, {.scratch_dir = f.out.path(), .secret = &bad_key}).error().code,
            ErrorCode::kWrongPassword);
  auto none = Backup::open(f.root, {.scratch_dir = f.out.path(), .secret = nullptr});
  ASSERT_FALSE(none);
  EXPECT_NE(none.error().message.find("--password-file"), std::string::npos);
}

TEST(EncryptedBackupTest, SqliteFileDecryptsIntoScratchOnly) {
  TempDir tmp;
  TempDir out;
  const fs::path plain = tmp / "p.db";
  sqlite3* db = nullptr;
  sqlite3_open(plain.c_str(), &db);
  sqlite3_exec(db, "CREATE TABLE t(x); INSERT INTO t VALUES(7);", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  IosBackupBuilder b;
  b.add_file("HomeDomain", "Library/TCC/TCC.db", spyglass::testing::read_file(plain));
  b.set_encrypted("pw", {.dpic = 1000, .iter = 10, .pre_10_2 = false});
  const fs::path root = b.write(tmp / "enc");
  const std::string before = spyglass::testing::hash_tree(root);
  const Secret pw = password("pw");
  {
    auto backup = Backup::open(root, {.scratch_dir = out.path(), .secret = &pw});
    ASSERT_TRUE(backup) << backup.error().message;
    auto tcc = backup->open_sqlite(**backup->find("HomeDomain", "Library/TCC/TCC.db"));
    ASSERT_TRUE(tcc) << tcc.error().message;
    EXPECT_EQ(tcc->path().string().rfind(out.path().string(), 0), 0u);
    auto stmt = tcc->prepare("SELECT x FROM t");
    ASSERT_TRUE(stmt && *stmt->step());
    EXPECT_EQ(stmt->get_int64(0), 7);
  }
  EXPECT_EQ(spyglass::testing::hash_tree(root), before);
  EXPECT_TRUE(fs::is_empty(out.path()));
}

TEST(EncryptedBackupTest, Pre102BackupHasPlaintextManifest) {
  TempDir tmp;
  TempDir out;
  IosBackupBuilder b;
  b.set_product_version("9.3.5");
  b.add_file("HomeDomain", "a", "old");
  b.set_encrypted("pw", {.dpic = 1000, .iter = 10, .pre_10_2 = true});
  const Secret pw = password("pw");
  auto backup = Backup::open(b.write(tmp / "old"), {.scratch_dir = out.path(), .secret = &pw});
  ASSERT_TRUE(backup) << backup.error().message;
  EXPECT_EQ(backup->read_file(**backup->find("HomeDomain", "a"))->data, "old");
}

TEST(EncryptedBackupTest, DecryptBackupWritesAPlaintextCopy) {
  Encrypted f;
  TempDir dest_parent;
  const Secret pw = password("hunter2");
  const fs::path dest = dest_parent / "plain";
  EXPECT_EQ(decrypt_backup(f.root, pw, f.root / "inside", f.out.path()).error().code,
            ErrorCode::kInvalidArgument);
  auto report = decrypt_backup(f.root, pw, dest, f.out.path());
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->files, 5u);
  EXPECT_TRUE(std::any_of(report->diagnostics.begin(), report->diagnostics.end(),
                          [](const Diagnostic& d) { return d.code == "size_mismatch"; }));
  EXPECT_EQ(spyglass::testing::read_file(dest / f.sms_id.substr(0, 2) / f.sms_id), "secret sms");

  auto copy = Backup::open(dest, {.scratch_dir = f.out.path(), .secret = nullptr});
  ASSERT_TRUE(copy) << copy.error().message;
  EXPECT_FALSE(copy->encrypted());
  EXPECT_EQ(copy->read_file(**copy->find("HomeDomain", "big"))->data, big_content());
  EXPECT_EQ(decrypt_backup(f.root, pw, dest, f.out.path()).error().code,
            ErrorCode::kInvalidArgument);  // not empty
}

}  // namespace
}  // namespace spyglass::sources::ios_backup
