#include "sources/ios_backup/keybag.hpp"

#include <gtest/gtest.h>

#include "formats/plist/reader.hpp"
#include "support/ios_backup_builder.hpp"
#include "support/temp_dir.hpp"

namespace spyglass::sources::ios_backup {
namespace {

std::vector<std::uint8_t> keybag_of(spyglass::testing::IosBackupBuilder& b) {
  spyglass::testing::TempDir dir;
  b.write(dir.path());
  auto m = formats::plist::parse(spyglass::testing::read_file(dir / "Manifest.plist"));
  return *m->get("BackupKeyBag")->as_data();
}

TEST(KeybagTest, ParsesHeaderAndClassesAndUnlocks) {
  spyglass::testing::IosBackupBuilder b;
  b.set_encrypted("secret", {.dpic = 1000, .iter = 10, .pre_10_2 = false});
  const auto bytes = keybag_of(b);
  auto kb = parse_keybag(bytes);
  ASSERT_TRUE(kb) << kb.error().message;
  EXPECT_EQ(kb->type, 1u);
  EXPECT_EQ(kb->iterations, 10u);
  EXPECT_EQ(kb->dp_iterations, 1000u);
  EXPECT_EQ(kb->salt.size(), 20u);
  EXPECT_EQ(kb->dp_salt.size(), 20u);
  ASSERT_EQ(kb->classes.size(), 11u);
  EXPECT_EQ(kb->classes[2].protection_class, 3u);
  EXPECT_EQ(kb->classes[2].wrapped_key.size(), 40u);

  auto key = derive_passcode_key(*kb, "secret", "14.3");
  ASSERT_TRUE(key);
  auto keys = unlock_class_keys(*kb, *key);
  ASSERT_TRUE(keys) << keys.error().message;
  EXPECT_EQ(keys->size(), 11u);
  EXPECT_EQ(keys->at(3).size(), 32u);

  auto wrong = derive_passcode_key(*kb, "Secret", "14.3");
  auto bad = unlock_class_keys(*kb, *wrong);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kWrongPassword);
  // Pre-10.2 derivation (SHA-1 only) gives another key, so it fails too.
  auto old = derive_passcode_key(*kb, "secret", "9.3");
  EXPECT_EQ(unlock_class_keys(*kb, *old).error().code, ErrorCode::kWrongPassword);
}

TEST(KeybagTest, Pre102KeybagWithoutDpsl) {
  spyglass::testing::IosBackupBuilder b;
  b.set_encrypted("pw", {.dpic = 1000, .iter = 10, .pre_10_2 = true});
  auto kb = parse_keybag(keybag_of(b));
  ASSERT_TRUE(kb);
  EXPECT_TRUE(kb->dp_salt.empty());
  auto key = derive_passcode_key(*kb, "pw", "");
  ASSERT_TRUE(key);
  EXPECT_TRUE(unlock_class_keys(*kb, *key));
}

TEST(KeybagTest, RejectsMalformed) {
  spyglass::testing::IosBackupBuilder b;
  b.set_encrypted("pw", {.dpic = 1000, .iter = 10, .pre_10_2 = false});
  auto bytes = keybag_of(b);
  EXPECT_FALSE(parse_keybag({}));
  // Truncated in the middle of a record.
  auto cut = bytes;
  cut.resize(bytes.size() - 7);
  EXPECT_EQ(parse_keybag(cut).error().code, ErrorCode::kMalformed);
  // A length larger than what remains.
  auto big = bytes;
  big[4] = 0x7F;
  EXPECT_EQ(parse_keybag(big).error().code, ErrorCode::kMalformed);
  // Header only: no classes.
  std::vector<std::uint8_t> header(bytes.begin(), bytes.begin() + 8 + 4);
  EXPECT_FALSE(parse_keybag(header));
  // DPIC above the limit (the 4-byte value right after the "DPIC" tag and length).
  auto slow = bytes;
  const std::string tag = "DPIC";
  auto at = std::search(slow.begin(), slow.end(), tag.begin(), tag.end());
  ASSERT_NE(at, slow.end());
  std::fill(at + 8, at + 12, 0xFF);
  EXPECT_EQ(parse_keybag(slow).error().code, ErrorCode::kLimitExceeded);
}

}  // namespace
}  // namespace spyglass::sources::ios_backup
