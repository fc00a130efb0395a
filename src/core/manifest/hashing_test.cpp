#include "core/manifest/hashing.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <string>

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"

namespace spyglass::manifest {
namespace {

using spyglass::testing::TempDir;
using spyglass::testing::write_file;

TEST(Sha256, KnownVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256, FileSpanningSeveralChunksMatchesInMemoryHash) {
  TempDir dir;
  std::string big(3 * (1 << 20) + 17, '\0');
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>(i * 31 % 251);
  write_file(dir / "big.bin", big);
  auto digest = sha256_file(dir / "big.bin");
  ASSERT_TRUE(digest) << digest.error().message;
  EXPECT_EQ(digest->size, big.size());
  EXPECT_EQ(digest->sha256, sha256_hex(big));
}

TEST(Sha256, MissingFileIsNotFound) {
  TempDir dir;
  auto digest = sha256_file(dir / "nope");
  ASSERT_FALSE(digest);
  EXPECT_EQ(digest.error().code, ErrorCode::kNotFound);
}

TEST(Sha256, DirectoryAndFifoAreRefusedWithoutBlocking) {
  TempDir dir;
  auto d = sha256_file(dir.path());
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().code, ErrorCode::kUnsupported);
  ASSERT_EQ(::mkfifo((dir / "fifo").c_str(), 0600), 0);
  auto f = sha256_file(dir / "fifo");
  ASSERT_FALSE(f);
  EXPECT_EQ(f.error().code, ErrorCode::kUnsupported);
}

TEST(Sha256, SymlinkIsNotFollowedWhenAskedNotTo) {
  TempDir dir;
  write_file(dir / "target", "x");
  ASSERT_EQ(::symlink((dir / "target").c_str(), (dir / "link").c_str()), 0);
  EXPECT_TRUE(sha256_file(dir / "link", FollowSymlinks::kYes));
  auto no = sha256_file(dir / "link", FollowSymlinks::kNo);
  ASSERT_FALSE(no);
  EXPECT_EQ(no.error().code, ErrorCode::kUnsupported);
}

TEST(Sha256, HexValidation) {
  EXPECT_TRUE(is_sha256_hex(sha256_hex("x")));
  EXPECT_FALSE(is_sha256_hex(std::string(63, 'a')));
  EXPECT_FALSE(is_sha256_hex(std::string(64, 'A')));
  EXPECT_FALSE(is_sha256_hex(std::string(64, 'g')));
}

}  // namespace
}  // namespace spyglass::manifest
