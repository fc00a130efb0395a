#include "support/file_hash.hpp"

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"

namespace spyglass {
namespace {

using testing::TempDir;
using testing::write_file;

TEST(FileHash, KnownDigests) {
  TempDir tmp;
  write_file(tmp / "abc", "abc");
  write_file(tmp / "empty", "");
  EXPECT_EQ(*sha256_file(tmp / "abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(*sha256_file(tmp / "empty"),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_FALSE(sha256_file(tmp / "missing"));
}

TEST(FileHash, TreeIsSortedAndSkipsSymlinks) {
  TempDir tmp;
  write_file(tmp / "root/b/2", "2");
  write_file(tmp / "root/a", "1");
  std::filesystem::create_symlink(tmp / "root/a", tmp / "root/link");
  auto tree = sha256_tree(tmp / "root");
  ASSERT_TRUE(tree);
  ASSERT_EQ(tree->size(), 2u);
  EXPECT_EQ((*tree)[0].path.filename(), "a");
  EXPECT_EQ((*tree)[1].path.filename(), "2");
  EXPECT_EQ((*tree)[0].sha256, *sha256_file(tmp / "root/a"));
}

}  // namespace
}  // namespace spyglass
