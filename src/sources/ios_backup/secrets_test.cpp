#include "sources/ios_backup/secrets.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include "support/temp_dir.hpp"

namespace spyglass::sources::ios_backup {
namespace {
using spyglass::testing::TempDir;
using spyglass::testing::write_file;

const std::string kHex = "00112233445566778899aabbccddeeff00112233445566778899AABBCCDDEEFF";

TEST(SecretsTest, KeyFileComesFirstAndIgnoresWhitespace) {
  TempDir d;
  write_file(d / "key", "  " + kHex + "\n");
  write_file(d / "pw", "password\n");
  SecretOptions o;
  o.key_file = d / "key";
  o.password_file = d / "pw";
  auto s = obtain_secret(o);
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->kind, Secret::Kind::kKey);
  ASSERT_EQ(s->bytes.size(), 32u);
  EXPECT_EQ(s->bytes.data()[1], 0x11);
  EXPECT_EQ(s->bytes.data()[31], 0xFF);
}

TEST(SecretsTest, BadKeys) {
  EXPECT_FALSE(parse_hex_key(kHex.substr(1)));
  EXPECT_FALSE(parse_hex_key("zz" + kHex.substr(2)));
  TempDir d;
  SecretOptions o;
  o.key_file = d / "absent";
  EXPECT_EQ(obtain_secret(o).error().code, ErrorCode::kNotFound);
}

TEST(SecretsTest, PasswordFileStripsOneNewline) {
  TempDir d;
  write_file(d / "pw", "pass word\n\n");
  SecretOptions o;
  o.password_file = d / "pw";
  auto s = obtain_secret(o);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->kind, Secret::Kind::kPassword);
  EXPECT_EQ(s->bytes.view(), "pass word\n");
}

TEST(SecretsTest, EnvironmentVariable) {
  ::setenv("SPYGLASS_TEST_BACKUP_PW", "from env", 1);
  SecretOptions o;
  o.password_env = "SPYGLASS_TEST_BACKUP_PW";
  auto s = obtain_secret(o);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->bytes.view(), "from env");
  o.password_env = "SPYGLASS_TEST_UNSET_VARIABLE";
  EXPECT_FALSE(obtain_secret(o));
}

TEST(SecretsTest, NothingGivenAndNoPromptSaysHow) {
  SecretOptions o;
  o.allow_prompt = false;
  auto s = obtain_secret(o);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(s.error().message.find("--password-file"), std::string::npos);
  EXPECT_NE(s.error().message.find("--key-file"), std::string::npos);
}

}  // namespace
}  // namespace spyglass::sources::ios_backup
