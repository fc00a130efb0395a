#include "artifacts/ios/os_analytics_ad_daily/os_analytics_ad_daily.hpp"

#include <gtest/gtest.h>

#include "formats/json/json_writer.hpp"
#include "support/ios_backup_builder.hpp"
#include "support/ios_fixtures_module_run.hpp"
#include "support/ios_fixtures_preferences.hpp"
#include "support/temp_dir.hpp"

namespace spyglass::artifacts::ios {
namespace {

namespace plist = formats::plist;
using matching::ObservableKind;

struct Parsed {
  Result<void> result;
  testing::CollectingSink sink;
};

Parsed parse(const std::string& bytes) {
  Parsed out;
  IosFile f;
  f.evidence_path = "f6/f65b5fafc69bbd3c60be019c6e938e146825fa83";
  out.result = read_os_analytics_ad_daily(bytes, f, out.sink);
  return out;
}

TEST(OsAnalyticsAdDaily, OneRecordPerProcess) {
  auto p = parse(testing::osanalytics_addaily_plist(
      {{"BackupAgent", 1626249600.0, 10, 20, 30.5, 40},
       {"com.apple.WebKit.WebContent", 1626253200.0, 1, 2, 3, 4}}));
  ASSERT_TRUE(p.result) << p.result.error().message;
  ASSERT_EQ(p.sink.records.size(), 2U);
  const auto& agent = p.sink.records[0];
  EXPECT_EQ(json::to_json_line(agent.data),
            "{\"package\": \"BackupAgent\", \"ts\": \"2021-07-14 08:00:00.000000\", "
            "\"wifi_in\": 10.0, \"wifi_out\": 20.0, \"wwan_in\": 30.5, \"wwan_out\": 40.0}");
  ASSERT_EQ(agent.timeline.size(), 1U);
  EXPECT_EQ(agent.timeline[0].event, "osanalytics_addaily");
  EXPECT_EQ(agent.timeline[0].description,
            "BackupAgent WIFI IN: 10.0, WIFI OUT: 20.0 - WWAN IN: 30.5, WWAN OUT: 40.0");
  EXPECT_EQ(testing::observed(agent, ObservableKind::kProcess),
            (std::vector<std::string>{"BackupAgent"}));
  EXPECT_EQ(agent.observables[0].level, report::AlertLevel::kCritical);
}

TEST(OsAnalyticsAdDaily, OddEntriesAreKeptAndMarked) {
  plist::Dict baseline;
  baseline.set("short", plist::Array{plist::Date::from_unix(1626249600.0), 1});
  baseline.set("notarray", "x");
  plist::Dict root;
  root.set("netUsageBaseline", baseline);
  auto p = parse(testing::binary_plist(plist::Value(root)));
  ASSERT_TRUE(p.result) << p.result.error().message;
  ASSERT_EQ(p.sink.records.size(), 2U);
  EXPECT_TRUE(p.sink.records[0].data.find("malformed_entry")->as_bool());
  EXPECT_TRUE(p.sink.records[0].data.find("wifi_out")->is_null());
  EXPECT_TRUE(p.sink.records[1].data.find("ts")->is_null());
  EXPECT_TRUE(p.sink.records[1].timeline.empty());
}

TEST(OsAnalyticsAdDaily, NoBaselineAndMalformedInput) {
  plist::Dict empty;
  empty.set("other", 1);
  auto none = parse(testing::binary_plist(plist::Value(empty)));
  EXPECT_TRUE(none.result);
  EXPECT_TRUE(none.sink.records.empty());

  plist::Dict wrong;
  wrong.set("netUsageBaseline", plist::Array{});
  EXPECT_FALSE(parse(testing::binary_plist(plist::Value(wrong))).result);
  EXPECT_FALSE(parse("<?xml version=\"1.0\"?><plist><dict><key>a</key>").result);
  EXPECT_FALSE(parse(std::string(100, '\0')).result);
}

TEST(OsAnalyticsAdDaily, ModuleOnABackup) {
  testing::TempDir tmp;
  testing::IosBackupBuilder b;
  b.add_file("HomeDomain", "Library/Preferences/com.apple.osanalytics.addaily.plist",
             testing::osanalytics_addaily_plist({{"bh", 1626249600.0, 1, 2, 3, 4}}));
  auto module = make_os_analytics_ad_daily_module();
  auto run = testing::run_module_on(*module, b.write(tmp / "b"));
  EXPECT_EQ(run.status.code, scan::ModuleStatus::kOk) << run.status.message;
  EXPECT_EQ(run.sink.records.size(), 1U);
}

}  // namespace
}  // namespace spyglass::artifacts::ios
