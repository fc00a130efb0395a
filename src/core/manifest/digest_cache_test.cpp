#include "core/manifest/digest_cache.hpp"

#include <unistd.h>

#include <fstream>

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"

namespace spyglass::manifest {
namespace {

TEST(DigestCache, GivesTheDigestOfUnchangedFilesOnly) {
  testing::TempDir tmp;
  testing::write_file(tmp / "a.json", std::string(3 << 20, 'a'));  // several read chunks
  testing::write_file(tmp / "b.json", "bbb");
  testing::write_file(tmp / "c.json", "ccc");
  ASSERT_EQ(::symlink((tmp / "a.json").c_str(), (tmp / "link").c_str()), 0);
  DigestCache cache;
  // Another spelling of the same path still finds it.
  cache.prefetch({tmp / "a.json", tmp.path() / "." / "b.json", tmp / "c.json", tmp / "link",
                  tmp / "missing"});
  cache.prefetch({tmp / "c.json"});  // ignored: one prefetch per cache

  auto a = cache.lookup(tmp / "a.json");
  ASSERT_TRUE(a.has_value());
  auto expected = sha256_file(tmp / "a.json");
  ASSERT_TRUE(expected);
  EXPECT_EQ(a->sha256, expected->sha256);
  EXPECT_EQ(a->size, std::uint64_t{3} << 20);
  EXPECT_TRUE(cache.lookup(tmp / "b.json").has_value());

  // Changed after it was hashed: not served (write_manifest hashes it again).
  { std::ofstream(tmp / "c.json", std::ios::app) << "more"; }
  EXPECT_FALSE(cache.lookup(tmp / "c.json").has_value());
  EXPECT_FALSE(cache.lookup(tmp / "link").has_value());     // symlinks are never hashed
  EXPECT_FALSE(cache.lookup(tmp / "missing").has_value());
  EXPECT_FALSE(cache.lookup(tmp / "never-asked").has_value());
}

TEST(DigestCache, LookupWithoutPrefetchIsEmpty) {
  testing::TempDir tmp;
  testing::write_file(tmp / "x", "x");
  DigestCache cache;
  EXPECT_FALSE(cache.lookup(tmp / "x").has_value());
}

}  // namespace
}  // namespace spyglass::manifest
