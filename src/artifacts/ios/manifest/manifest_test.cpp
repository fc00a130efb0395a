#include "artifacts/ios/manifest/manifest.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "artifacts/ios/ios_test_support.hpp"
#include "support/ios_backup_builder.hpp"

namespace spyglass::artifacts::ios {
namespace {

namespace fs = std::filesystem;
using spyglass::testing::IosBackupBuilder;
using spyglass::testing::read_file;
using spyglass::testing::TempDir;

std::vector<std::unique_ptr<scan::Module>> module() {
  std::vector<std::unique_ptr<scan::Module>> m;
  m.push_back(make_manifest_module());
  return m;
}

TEST(Manifest, MacbAndDomainParts) {
  EXPECT_EQ(macb(5, 5, 5, 5), "M-CB");
  EXPECT_EQ(macb(5, 5, 6, 7), "M---");
  EXPECT_EQ(macb(7, 5, 6, 7), "---B");
  EXPECT_EQ(macb(6, 5, 6, std::nullopt), "--C-");
  EXPECT_EQ(domain_like_parts("Library/Caches/com.x_Evil-Domain.com"),
            (std::vector<std::string>{"evil-domain.com"}));
  EXPECT_TRUE(domain_like_parts("Library/Preferences/com.apple.foo.plist").empty());
  EXPECT_TRUE(domain_like_parts("Media/DCIM/IMG_0001.JPG").empty());
}

TEST(Manifest, EveryRowWithTimelineAndIndicatorHits) {
  TempDir tmp;
  IosBackupBuilder b;
  b.add_file("HomeDomain", "Library/Caches/evilsvc/run.log", "x");
  b.add_file("HomeDomain", "Library/Caches/com.x_evil-domain.com", "y");
  b.add_file("HomeDomain", "Library/Notes/clean.txt", "z");
  b.add_directory("HomeDomain", "Library/Caches");
  b.add_symlink("HomeDomain", "Library/link", "/etc");
  // Hostile row: never followed, still listed.
  b.add_file("HomeDomain", "../../etc/passwd", "w");
  const fs::path backup = b.write(tmp / "backup");
  const std::string before = spyglass::testing::hash_tree(backup);
  const fs::path stix = testing::write_stix(
      tmp / "i.stix2",
      {{"file:path", "/Library/Caches/evilsvc"}, {"domain-name:value", "evil-domain.com"}});
  auto run = testing::run_ios_scan(module(), backup, tmp / "out", stix);
  ASSERT_TRUE(run.summary) << run.summary.error().message;
  const auto& s = *run.summary;
  EXPECT_EQ(s.modules[0].status, scan::ModuleStatus::kOk) << s.modules[0].error;
  EXPECT_EQ(s.modules[0].records, 6U);
  EXPECT_EQ(s.alerts_high, 2U);
  EXPECT_EQ(s.alerts_critical, 0U);
  const std::string json = read_file(tmp / "out" / "manifest_files.json");
  EXPECT_NE(json.find("\"mode\": \"0o100644\""), std::string::npos);
  EXPECT_NE(json.find("\"mode\": \"0o40755\""), std::string::npos);
  EXPECT_NE(json.find("\"relative_path\": \"../../etc/passwd\""), std::string::npos);
  EXPECT_NE(json.find("\"file_id\": \"" +
                      IosBackupBuilder::file_id("HomeDomain", "Library/Notes/clean.txt")),
            std::string::npos);
  // Rows in Manifest.db's table order (as MVT lists them), not fileID order.
  const std::vector<std::pair<std::string, std::string>> added = {
      {"HomeDomain", "Library/Caches/evilsvc/run.log"},
      {"HomeDomain", "Library/Caches/com.x_evil-domain.com"},
      {"HomeDomain", "Library/Notes/clean.txt"}};
  std::vector<std::size_t> at;
  std::vector<std::string> ids;
  for (const auto& [domain, path] : added) {
    at.push_back(json.find("\"relative_path\": \"" + path + "\""));
    ids.push_back(IosBackupBuilder::file_id(domain, path));
  }
  EXPECT_TRUE(std::is_sorted(at.begin(), at.end()));
  EXPECT_FALSE(std::is_sorted(ids.begin(), ids.end()));  // else the check above proves nothing
  const std::string timeline = read_file(tmp / "out" / "timeline.csv");
  EXPECT_NE(timeline.find("\"Manifest\",\"M-CB\",\"Library/Notes/clean.txt - HomeDomain\""),
            std::string::npos)
      << timeline;
  const std::string detected = read_file(tmp / "out" / "manifest_detected.json");
  EXPECT_NE(detected.find("evil-domain.com"), std::string::npos);
  EXPECT_EQ(spyglass::testing::hash_tree(backup), before);
  EXPECT_FALSE(fs::exists(tmp / "etc"));
}

}  // namespace
}  // namespace spyglass::artifacts::ios
