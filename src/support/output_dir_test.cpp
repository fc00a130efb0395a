#include "support/output_dir.hpp"

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"

namespace spyglass {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;
using testing::write_file;

TEST(OutputDir, WithinIsComponentWise) {
  EXPECT_TRUE(path_is_within("/a/b/c", "/a/b"));
  EXPECT_TRUE(path_is_within("/a/b", "/a/b"));
  EXPECT_FALSE(path_is_within("/a/bc", "/a/b"));
  EXPECT_FALSE(path_is_within("/a", "/a/b"));
}

TEST(OutputDir, CreatesAbsentFolder) {
  TempDir tmp;
  write_file(tmp / "evidence/x", "x");
  auto out = prepare_output_dir(tmp / "out/nested", tmp / "evidence", false);
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_TRUE(fs::is_directory(*out));
}

TEST(OutputDir, RefusesNonEmptyWithoutOverwrite) {
  TempDir tmp;
  write_file(tmp / "evidence/x", "x");
  write_file(tmp / "out/old.json", "old");
  auto out = prepare_output_dir(tmp / "out", tmp / "evidence", false);
  ASSERT_FALSE(out);
  EXPECT_NE(out.error().message.find("--overwrite"), std::string::npos);
  EXPECT_TRUE(fs::exists(tmp / "out/old.json"));
}

TEST(OutputDir, OverwriteEmptiesFolderButNotSymlinkTargets) {
  TempDir tmp;
  write_file(tmp / "evidence/x", "x");
  write_file(tmp / "elsewhere/keep", "keep");
  write_file(tmp / "out/sub/old.json", "old");
  fs::create_directory_symlink(tmp / "elsewhere", tmp / "out/link");
  auto out = prepare_output_dir(tmp / "out", tmp / "evidence", true);
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_TRUE(fs::is_empty(*out));
  EXPECT_TRUE(fs::exists(tmp / "elsewhere/keep"));
}

TEST(OutputDir, RefusesOutputInsideEvidence) {
  TempDir tmp;
  write_file(tmp / "evidence/x", "x");
  EXPECT_FALSE(prepare_output_dir(tmp / "evidence/out", tmp / "evidence", false));
  EXPECT_FALSE(prepare_output_dir(tmp / "evidence", tmp / "evidence", true));
  EXPECT_FALSE(fs::exists(tmp / "evidence/out"));
  // Through a symlink that resolves into the evidence.
  fs::create_directory_symlink(tmp / "evidence", tmp / "alias");
  EXPECT_FALSE(prepare_output_dir(tmp / "alias/out", tmp / "evidence", false));
  EXPECT_FALSE(fs::exists(tmp / "evidence/out"));
}

TEST(OutputDir, OverwriteRefusesFolderHoldingEvidence) {
  TempDir tmp;
  write_file(tmp / "case/evidence/x", "x");
  auto out = prepare_output_dir(tmp / "case", tmp / "case/evidence", true);
  ASSERT_FALSE(out);
  EXPECT_TRUE(fs::exists(tmp / "case/evidence/x"));
}

TEST(OutputDir, RefusesFile) {
  TempDir tmp;
  write_file(tmp / "evidence/x", "x");
  write_file(tmp / "out", "file");
  EXPECT_FALSE(prepare_output_dir(tmp / "out", tmp / "evidence", true));
}

}  // namespace
}  // namespace spyglass
