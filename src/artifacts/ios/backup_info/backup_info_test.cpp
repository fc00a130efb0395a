#include "artifacts/ios/backup_info/backup_info.hpp"

#include "artifacts/ios/backup_info/ios_versions.hpp"

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

TEST(BackupInfo, BundledVersionListParses) {
  const IosVersionList* list = bundled_ios_versions();
  ASSERT_NE(list, nullptr);
  EXPECT_GE(list->releases.size(), 10U);
  EXPECT_EQ(list->compiled.size(), 10U);  // YYYY-MM-DD
  const IosRelease& newest = list->newest();
  EXPECT_FALSE(newest.released.empty()) << "the newest release needs its date";
  // Every build is listed once.
  for (std::size_t i = 0; i < list->releases.size(); ++i) {
    for (std::size_t j = i + 1; j < list->releases.size(); ++j) {
      EXPECT_NE(list->releases[i].build, list->releases[j].build);
    }
  }
}

TEST(BackupInfo, VersionNumbers) {
  EXPECT_EQ(parse_ios_version("17.5.1"), (std::vector<int>{17, 5, 1}));
  EXPECT_EQ(parse_ios_version("18"), (std::vector<int>{18}));
  for (std::string_view bad : {"", "17.", ".5", "17..1", "17.5a", "-1", "1.2.3.4.5", "999999",
                               "iOS 17", "17,5"}) {
    EXPECT_FALSE(parse_ios_version(bad)) << bad;
  }
  EXPECT_EQ(compare_ios_versions({18}, {18, 0, 0}), 0);
  EXPECT_LT(compare_ios_versions({17, 7, 10}, {17, 10}), 0);
  EXPECT_GT(compare_ios_versions({26, 0, 1}, {18, 7, 2}), 0);
}

IosVersionList small_list() {
  auto list = parse_ios_version_list(R"({"compiled": "2026-01-02",
    "builds_complete_from_major": 26,
    "releases": [
      {"version": "26.1", "build": "23B85", "released": "2025-11-03"},
      {"version": "26.0", "build": "23A341", "released": null},
      {"version": "18.7.2", "build": "22H124", "released": null}]})");
  EXPECT_TRUE(list) << list.error().message;
  return list ? *list : IosVersionList{};
}

TEST(BackupInfo, OutdatedCurrentUnknownAndMalformedVersions) {
  const IosVersionList list = small_list();
  ASSERT_EQ(list.releases.size(), 3U);
  {  // older: one LOW alert naming both versions and the release date
    auto alerts = check_ios_version(list, "18.7.2", "22H124");
    ASSERT_EQ(alerts.size(), 1U);
    EXPECT_EQ(alerts[0].level, report::AlertLevel::kLow);
    EXPECT_EQ(alerts[0].message,
              "iOS 18.7.2 is older than the newest known release 26.1 (released 2025-11-03); "
              "devices that are not updated are more exposed");
  }
  {  // current, with its own build: nothing
    EXPECT_TRUE(check_ios_version(list, "26.1", "23B85").empty());
    EXPECT_TRUE(check_ios_version(list, "26.1.0", "23B85").empty());
  }
  {  // an unknown build of a fully listed major: informational only
    auto alerts = check_ios_version(list, "26.1", "23B99");
    ASSERT_EQ(alerts.size(), 1U);
    EXPECT_EQ(alerts[0].level, report::AlertLevel::kInformational);
    EXPECT_NE(alerts[0].message.find("23B99"), std::string::npos);
    // ...but not for a major the list does not cover build by build
    auto old = check_ios_version(list, "17.1", "21B80");
    ASSERT_EQ(old.size(), 1U);
    EXPECT_EQ(old[0].level, report::AlertLevel::kLow);
  }
  {  // a known build that belongs to another version
    auto alerts = check_ios_version(list, "26.0", "23B85");
    ASSERT_EQ(alerts.size(), 2U);
    EXPECT_EQ(alerts[0].level, report::AlertLevel::kLow);
    EXPECT_EQ(alerts[1].level, report::AlertLevel::kInformational);
    EXPECT_NE(alerts[1].message.find("is iOS 26.1 in the bundled list"), std::string::npos);
  }
  {  // newer than the list: no LOW, one note that the list cannot tell
    auto alerts = check_ios_version(list, "26.2", "23C55");
    ASSERT_EQ(alerts.size(), 2U);
    EXPECT_EQ(alerts[0].level, report::AlertLevel::kInformational);
    EXPECT_NE(alerts[0].message.find("newer than every release"), std::string::npos);
  }
  {  // malformed: informational, no comparison
    for (std::string_view bad : {"banana", "26.x", "1.2.3.4.5"}) {
      auto alerts = check_ios_version(list, bad, "23B85");
      ASSERT_EQ(alerts.size(), 1U) << bad;
      EXPECT_EQ(alerts[0].level, report::AlertLevel::kInformational);
      EXPECT_NE(alerts[0].message.find("not an iOS version number"), std::string::npos);
    }
    EXPECT_TRUE(check_ios_version(list, "", "").empty());
  }
  // A broken list is refused, not half-used.
  EXPECT_FALSE(parse_ios_version_list("{}"));
  EXPECT_FALSE(parse_ios_version_list(R"({"compiled": "x", "builds_complete_from_major": 1,
    "releases": [{"version": "x.y", "build": "1"}]})"));
  EXPECT_FALSE(parse_ios_version_list(R"({"compiled": "x", "builds_complete_from_major": 1,
    "releases": []})"));
}

TEST(BackupInfo, OutdatedIosIsALowAlertThroughTheRunner) {
  const IosVersionList* list = bundled_ios_versions();
  ASSERT_NE(list, nullptr);
  const IosRelease& newest = list->newest();
  TempDir tmp;
  {
    IosBackupBuilder b;
    b.set_product_version("15.7.1");
    b.add_file("HomeDomain", "Library/x", "x");
    auto run = testing::run_ios_scan(module(), b.write(tmp / "old"), tmp / "out_old");
    ASSERT_TRUE(run.summary) << run.summary.error().message;
    EXPECT_EQ(run.summary->alerts_low, 1U);
    EXPECT_EQ(run.summary->alerts_high + run.summary->alerts_critical +
                  run.summary->alerts_medium,
              0U);
    const std::string detected = read_file(tmp / "out_old" / "backup_info_detected.json");
    EXPECT_NE(detected.find("iOS 15.7.1 is older than the newest known release " +
                            newest.version_text + " (released " + newest.released + ")"),
              std::string::npos)
        << detected;
    EXPECT_NE(detected.find("\"level\": \"LOW\""), std::string::npos);
  }
  {
    // The newest version: no LOW. The builder's fixed build (18C66, iOS 14.3) is not a build
    // of that version, which the build check reports as informational.
    IosBackupBuilder b;
    b.set_product_version(newest.version_text);
    b.add_file("HomeDomain", "Library/x", "x");
    auto run = testing::run_ios_scan(module(), b.write(tmp / "new"), tmp / "out_new");
    ASSERT_TRUE(run.summary) << run.summary.error().message;
    EXPECT_EQ(run.summary->alerts_low, 0U);
    EXPECT_EQ(run.summary->alerts_informational, 1U);
  }
}

}  // namespace
}  // namespace spyglass::artifacts::ios
