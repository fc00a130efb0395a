#include "core/manifest/signing.hpp"

#include <sys/stat.h>

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"

namespace spyglass::manifest {
namespace {

using spyglass::testing::read_file;
using spyglass::testing::TempDir;
using spyglass::testing::write_file;

TEST(Keygen, WritesHexKeysAndSecretIsMode0600) {
  TempDir dir;
  auto files = generate_key_files(dir / "examiner");
  ASSERT_TRUE(files) << files.error().message;
  EXPECT_EQ(files->secret_key, dir / "examiner.key");
  EXPECT_EQ(files->public_key, dir / "examiner.pub");
  struct stat st {};
  ASSERT_EQ(::stat(files->secret_key.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(read_file(files->secret_key).size(), 129u);  // 128 hex + newline
  EXPECT_EQ(read_file(files->public_key), files->public_key_value.hex() + "\n");

  auto sk = load_secret_key(files->secret_key);
  auto pk = load_public_key(files->public_key);
  ASSERT_TRUE(sk) << sk.error().message;
  ASSERT_TRUE(pk) << pk.error().message;
  EXPECT_EQ(sk->public_key().bytes, pk->bytes);
}

TEST(Keygen, RefusesToOverwriteEitherFile) {
  TempDir dir;
  write_file(dir / "a.key", "precious");
  auto first = generate_key_files(dir / "a");
  ASSERT_FALSE(first);
  EXPECT_EQ(first.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(read_file(dir / "a.key"), "precious");

  write_file(dir / "b.pub", "other");
  ASSERT_FALSE(generate_key_files(dir / "b"));
  EXPECT_FALSE(std::filesystem::exists(dir / "b.key"));
  EXPECT_EQ(read_file(dir / "b.pub"), "other");

  ASSERT_TRUE(generate_key_files(dir / "c"));
  const std::string before = read_file(dir / "c.key");
  ASSERT_FALSE(generate_key_files(dir / "c"));
  EXPECT_EQ(read_file(dir / "c.key"), before);
}

TEST(Keys, MissingAndMalformedKeyFiles) {
  TempDir dir;
  auto missing = load_public_key(dir / "none.pub");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  write_file(dir / "short.pub", "abcd\n");
  auto short_key = load_public_key(dir / "short.pub");
  ASSERT_FALSE(short_key);
  EXPECT_EQ(short_key.error().code, ErrorCode::kMalformed);
  write_file(dir / "nothex.pub", std::string(64, 'z'));
  EXPECT_FALSE(load_public_key(dir / "nothex.pub"));
  write_file(dir / "huge.key", std::string(10000, '0'));
  EXPECT_FALSE(load_secret_key(dir / "huge.key"));
}

TEST(Keys, SecretKeyWithInconsistentHalvesIsRejected) {
  TempDir dir;
  auto files = generate_key_files(dir / "k");
  ASSERT_TRUE(files);
  std::string text = read_file(files->secret_key);
  text[127] = text[127] == '0' ? '1' : '0';  // last hex digit: inside the public half
  auto parsed = parse_secret_key(text);
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().code, ErrorCode::kMalformed);
}

TEST(Signature, SignAndVerify) {
  TempDir dir;
  auto files = generate_key_files(dir / "k");
  ASSERT_TRUE(files);
  auto sk = load_secret_key(files->secret_key);
  ASSERT_TRUE(sk);
  const std::string message = "{\"x\": 1}\n";
  const std::string sig = sign_detached(message, *sk);
  EXPECT_EQ(sig.size(), 89u);  // 88 base64 characters + newline
  EXPECT_EQ(sig.back(), '\n');
  EXPECT_EQ(verify_detached(message, sig, files->public_key_value), SignatureCheck::kValid);
  EXPECT_EQ(verify_detached("{\"x\": 2}\n", sig, files->public_key_value),
            SignatureCheck::kInvalid);

  std::string flipped = sig;
  flipped[10] = flipped[10] == 'A' ? 'B' : 'A';
  EXPECT_EQ(verify_detached(message, flipped, files->public_key_value), SignatureCheck::kInvalid);
  EXPECT_EQ(verify_detached(message, "not base64!!", files->public_key_value),
            SignatureCheck::kMalformed);
  EXPECT_EQ(verify_detached(message, "", files->public_key_value), SignatureCheck::kMalformed);
  EXPECT_EQ(verify_detached(message, sig.substr(0, 40), files->public_key_value),
            SignatureCheck::kMalformed);

  auto other = generate_key_files(dir / "other");
  ASSERT_TRUE(other);
  EXPECT_EQ(verify_detached(message, sig, other->public_key_value), SignatureCheck::kInvalid);
}

}  // namespace
}  // namespace spyglass::manifest
