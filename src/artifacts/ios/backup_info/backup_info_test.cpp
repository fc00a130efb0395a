#include "artifacts/ios/backup_info/backup_info.hpp"

#include <gtest/gtest.h>

#include "artifacts/ios/ios_test_support.hpp"
#include "formats/json/json_writer.hpp"
#include "support/ios_backup_builder.hpp"

namespace spyglass::artifacts::ios {
namespace {

namespace fs = std::filesystem;
using spyglass::testing::IosBackupBuilder;
using spyglass::testing::read_file;
using spyglass::testing::TempDir;

std::vector<std::unique_ptr<scan::Module>> module() {
  std::vector<std::unique_ptr<scan::Module>> m;
  m.push_back(make_backup_info_module());
  return m;
}

TEST(BackupInfo, InfoPlistFields) {
  TempDir tmp;
  IosBackupBuilder b;
  b.set_product_version("15.7.1");
  b.add_file("HomeDomain", "Library/x", "x");
  auto run = testing::run_ios_scan(module(), b.write(tmp / "backup"), tmp / "out");
  ASSERT_TRUE(run.summary) << run.summary.error().message;
  EXPECT_EQ(run.summary->modules[0].status, scan::ModuleStatus::kOk);
  const std::string json = read_file(tmp / "out" / "backup_info.json");
  EXPECT_NE(json.find("\"Product Version\": \"15.7.1\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"Product Type\": \"iPhone9,3\""), std::string::npos);
  EXPECT_NE(json.find("\"Device Name\": \"Test iPhone\""), std::string::npos);
  EXPECT_NE(json.find("\"IMEI\": null"), std::string::npos);  // absent keys stay visible
  EXPECT_NE(json.find("\"Last Backup Date\": \"20"), std::string::npos);
  EXPECT_LT(json.find("\"Build Version\""), json.find("\"iTunes Version\""));
}

TEST(BackupInfo, MissingInfoPlistIsNotPresent) {
  TempDir tmp;
  IosBackupBuilder b;
  b.omit_info_plist();
  b.add_file("HomeDomain", "Library/x", "x");
  auto run = testing::run_ios_scan(module(), b.write(tmp / "backup"), {});
  ASSERT_TRUE(run.summary) << run.summary.error().message;
  EXPECT_EQ(run.summary->modules[0].status, scan::ModuleStatus::kNotPresent);
}

TEST(BackupInfo, PlistValuesAsJson) {
  formats::plist::Dict d;
  d.set("when", formats::plist::Date::from_unix(1626609600.0));
  d.set("data", formats::plist::Bytes{'h', 'i'});
  d.set("list", formats::plist::Array{formats::plist::Value("a"), formats::plist::Value(2)});
  EXPECT_EQ(json::to_json_line(plist_to_json(formats::plist::Value(std::move(d)))),
            "{\"when\": \"2021-07-18 12:00:00\", \"data\": \"aGk=\", \"list\": [\"a\", 2]}");
}

}  // namespace
}  // namespace spyglass::artifacts::ios
