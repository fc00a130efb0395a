#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "core/indicators/indicator_set.hpp"
#include "support/temp_dir.hpp"

namespace spyglass::indicators {
namespace {

namespace fs = std::filesystem;
using spyglass::testing::TempDir;
using spyglass::testing::write_file;

std::string one_domain_bundle(const std::string& domain) {
  return R"({"type":"bundle","id":"bundle--x","objects":[{"type":"indicator","id":"indicator--)" +
         domain + R"(","pattern":"[domain-name:value=')" + domain +
         R"(']","pattern_type":"stix"}]})";
}

std::string sha256_hex(const std::string& bytes) {
  unsigned char md[32];
  unsigned int n = 0;
  EVP_Digest(bytes.data(), bytes.size(), md, &n, EVP_sha256(), nullptr);
  std::string out;
  char buf[3];
  for (unsigned int i = 0; i < n; ++i) {
    std::snprintf(buf, sizeof buf, "%02x", md[i]);
    out += buf;
  }
  return out;
}

std::vector<std::string> values(const IndicatorSet& set) {
  std::vector<std::string> out;
  for (const Indicator& i : set.indicators()) out.push_back(i.value);
  return out;
}

TEST(LoadIndicators, BundledFolderLoadsStix2RecursivelyInSortedOrder) {
  TempDir dir;
  write_file(dir / "b/z.stix2", one_domain_bundle("bz.com"));
  write_file(dir / "a.stix2", one_domain_bundle("a.com"));
  write_file(dir / "b/a.STIX2", one_domain_bundle("ba.com"));
  write_file(dir / "c.json", one_domain_bundle("json.com"));  // not bundled: .stix2 only
  write_file(dir / "README.md", "# not a bundle");
  LoadOptions options;
  options.bundled_dir = dir.path();
  auto set = load_indicators(options);
  ASSERT_TRUE(set) << set.error().message;
  EXPECT_EQ(values(*set), (std::vector<std::string>{"a.com", "ba.com", "bz.com"}));
  ASSERT_EQ(set->files().size(), 3U);
  EXPECT_EQ(set->files()[0].display_name, "a.stix2");
  EXPECT_EQ(set->files()[1].display_name, "b/a.STIX2");
  EXPECT_EQ(set->files()[2].display_name, "b/z.stix2");
  for (const SourceFile& f : set->files()) EXPECT_TRUE(f.bundled);
  EXPECT_TRUE(set->warnings().empty());
  // Each indicator points at its own file and its file's default collection.
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(set->indicators()[i].file, i);
    const Collection& c = set->collections()[set->indicators()[i].collections.at(0)];
    EXPECT_EQ(c.file, i);
    EXPECT_EQ(c.name, set->files()[i].display_name);
  }
}

TEST(LoadIndicators, SourceFileRecordsHashAndSize) {
  TempDir dir;
  const std::string bytes = one_domain_bundle("hash.com");
  write_file(dir / "one.stix2", bytes);
  LoadOptions options;
  options.no_default = true;
  options.extra = {dir / "one.stix2"};
  auto set = load_indicators(options);
  ASSERT_TRUE(set);
  ASSERT_EQ(set->files().size(), 1U);
  EXPECT_EQ(set->files()[0].sha256, sha256_hex(bytes));
  EXPECT_EQ(set->files()[0].size, bytes.size());
  EXPECT_EQ(set->files()[0].display_name, "one.stix2");
  EXPECT_EQ(set->files()[0].path, (dir / "one.stix2").string());
  EXPECT_FALSE(set->files()[0].bundled);
}

TEST(LoadIndicators, ExtraFoldersTakeStix2AndJsonAndFilesAnyName) {
  TempDir dir;
  write_file(dir / "f/x.json", one_domain_bundle("x.com"));
  write_file(dir / "f/sub/y.stix2", one_domain_bundle("y.com"));
  write_file(dir / "f/z.txt", one_domain_bundle("z.com"));
  write_file(dir / "iocs.txt", one_domain_bundle("t.com"));
  LoadOptions options;
  options.no_default = true;
  options.extra = {dir / "f", dir / "iocs.txt"};
  auto set = load_indicators(options);
  ASSERT_TRUE(set) << set.error().message;
  EXPECT_EQ(values(*set), (std::vector<std::string>{"y.com", "x.com", "t.com"}));
  EXPECT_EQ(set->files()[0].display_name, "sub/y.stix2");
  EXPECT_EQ(set->files()[2].display_name, "iocs.txt");
}

TEST(LoadIndicators, TheSameFileTwiceLoadsOnce) {
  TempDir dir;
  write_file(dir / "a.stix2", one_domain_bundle("a.com"));
  LoadOptions options;
  options.bundled_dir = dir.path();
  options.extra = {dir / "a.stix2", dir.path() / "." / "a.stix2", dir.path()};
  auto set = load_indicators(options);
  ASSERT_TRUE(set);
  EXPECT_EQ(set->files().size(), 1U);
  EXPECT_EQ(set->indicators().size(), 1U);
}

TEST(LoadIndicators, BadFilesAreWarningsAndTheRestLoads) {
  TempDir dir;
  write_file(dir / "1.stix2", "{ not json");
  write_file(dir / "2.stix2", R"({"type":"malware"})");
  write_file(dir / "3.stix2", one_domain_bundle("fine.com"));
  LoadOptions options;
  options.bundled_dir = dir.path();
  auto set = load_indicators(options);
  ASSERT_TRUE(set);
  EXPECT_EQ(values(*set), std::vector<std::string>{"fine.com"});
  EXPECT_EQ(set->files().size(), 3U);
  ASSERT_EQ(set->warnings().size(), 2U);
  EXPECT_EQ(set->warnings()[0].file, "1.stix2");
  EXPECT_EQ(set->warnings()[1].file, "2.stix2");
}

TEST(LoadIndicators, OversizedFileIsRefusedWithoutReadingIt) {
  TempDir dir;
  write_file(dir / "big.stix2", "");
  fs::resize_file(dir / "big.stix2", (std::uint64_t{256} << 20) + 1);  // sparse
  LoadOptions options;
  options.no_default = true;
  options.extra = {dir / "big.stix2"};
  auto set = load_indicators(options);
  ASSERT_TRUE(set);
  EXPECT_TRUE(set->files().empty());
  ASSERT_EQ(set->warnings().size(), 1U);
  EXPECT_NE(set->warnings()[0].message.find("256 MiB"), std::string::npos);
}

TEST(LoadIndicators, MissingPathsAreErrors) {
  TempDir dir;
  LoadOptions options;
  options.no_default = true;
  options.extra = {dir / "nope.stix2"};
  auto set = load_indicators(options);
  ASSERT_FALSE(set);
  EXPECT_EQ(set.error().code, ErrorCode::kNotFound);
  EXPECT_NE(set.error().message.find("nope.stix2"), std::string::npos);

  LoadOptions bundled;
  bundled.bundled_dir = dir / "no-such-dir";
  auto missing_bundled = load_indicators(bundled);
  ASSERT_FALSE(missing_bundled);
  EXPECT_EQ(missing_bundled.error().code, ErrorCode::kNotFound);
}

TEST(LoadIndicators, NoDefaultAndNothingElseIsAnEmptySet) {
  LoadOptions options;
  options.no_default = true;
  auto set = load_indicators(options);
  ASSERT_TRUE(set);
  EXPECT_TRUE(set->indicators().empty());
  EXPECT_TRUE(set->files().empty());
}

TEST(LoadIndicators, DefaultBundledDirFollowsTheEnvironment) {
  const char* old = std::getenv("SPYGLASS_DATA_DIR");
  const std::string saved = old != nullptr ? old : "";
  ::setenv("SPYGLASS_DATA_DIR", "/opt/x/share", 1);
  EXPECT_EQ(default_bundled_dir(), fs::path("/opt/x/share/iocs"));
  ::unsetenv("SPYGLASS_DATA_DIR");
  const fs::path fallback = default_bundled_dir();
  EXPECT_EQ(fallback.filename(), "iocs");
  if (old != nullptr) ::setenv("SPYGLASS_DATA_DIR", saved.c_str(), 1);
}

}  // namespace
}  // namespace spyglass::indicators
