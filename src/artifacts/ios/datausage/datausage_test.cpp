#include "artifacts/ios/datausage/datausage.hpp"

#include <gtest/gtest.h>

#include "formats/json/json_writer.hpp"
#include "support/ios_backup_builder.hpp"
#include "support/ios_fixtures_datausage.hpp"
#include "support/ios_fixtures_module_run.hpp"
#include "support/ios_fixtures_sql.hpp"
#include "support/temp_dir.hpp"

namespace spyglass::artifacts::ios {
namespace {

using matching::CommTruncation;
using matching::ObservableKind;
using testing::CollectingSink;
using testing::DataUsageFixture;
using testing::DataUsageSchema;
using testing::TempDir;

// 2021-07-14 08:00:00 UTC as Mac absolute time.
constexpr double kT0 = 1626249600.0 - 978307200.0;

IosFile datausage_file() {
  IosFile f;
  f.domain = "WirelessDomain";
  f.relative_path = "Library/Databases/DataUsage.sqlite";
  f.file_id = "0d609c54856a9bb2d56729df1d68f2958a88426b";
  f.evidence_path = "0d/" + f.file_id;
  return f;
}

struct Parsed {
  Result<void> result;
  CollectingSink sink;
};

Parsed parse(const std::string& bytes) {
  TempDir scratch;
  Parsed out;
  auto db = formats::sqlite::Database::open_bytes(bytes, scratch.path());
  if (!db) {
    out.result = tl::unexpected(db.error());
    return out;
  }
  out.result = read_net_usage(*db, datausage_file(), out.sink);
  return out;
}

DataUsageFixture base_fixture(DataUsageSchema schema) {
  DataUsageFixture f;
  f.schema = schema;
  f.processes = {
      {1, kT0, kT0 + 60, std::nullopt, "BackupAgent"},
      {2, kT0 + 10, kT0 + 70, "com.apple.mobilesafari", "MobileSafari/com.apple.mobilesafari"},
      {3, kT0 + 20, kT0 + 80, std::nullopt, "roleaccountd"},  // no live usage
  };
  f.live = {
      {1, 1, kT0 + 30, 100, 200, 300, 400},
      {2, 2, kT0 + 40, 1, 2, 3, 4},
  };
  return f;
}

const scan::Record* by_proc_name(const CollectingSink& sink, std::string_view name) {
  for (const auto& r : sink.records) {
    if (testing::data_text(r, "proc_name") == name) return &r;
  }
  return nullptr;
}

TEST(Datausage, LiveUsageJoinedWithProcessesAndProcessesWithoutUsage) {
  auto p = parse(testing::datausage_db(base_fixture(DataUsageSchema::kWithWifi)));
  ASSERT_TRUE(p.result) << p.result.error().message;
  ASSERT_EQ(p.sink.records.size(), 3U);
  EXPECT_TRUE(testing::findings(p.sink).empty());

  const scan::Record* agent = by_proc_name(p.sink, "BackupAgent");
  ASSERT_NE(agent, nullptr);
  EXPECT_EQ(json::to_json_line(agent->data),
            "{\"first_isodate\": \"2021-07-14 08:00:00.000000\", "
            "\"isodate\": \"2021-07-14 08:01:00.000000\", \"proc_name\": \"BackupAgent\", "
            "\"bundle_id\": null, \"proc_id\": 1, \"wifi_in\": 100.0, \"wifi_out\": 200.0, "
            "\"wwan_in\": 300.0, \"wwan_out\": 400.0, \"live_id\": 1, \"live_proc_id\": 1, "
            "\"live_isodate\": \"2021-07-14 08:00:30.000000\"}");
  // Triangulation's indicator is the exact process name BackupAgent.
  ASSERT_EQ(agent->observables.size(), 1U);
  EXPECT_EQ(agent->observables[0].observable.kind, ObservableKind::kProcess);
  EXPECT_EQ(agent->observables[0].observable.value, "BackupAgent");
  EXPECT_EQ(agent->observables[0].observable.field, "proc_name");
  EXPECT_EQ(agent->observables[0].observable.truncation, CommTruncation::kIos);
  EXPECT_EQ(agent->observables[0].level, report::AlertLevel::kCritical);
  ASSERT_TRUE(agent->time);
  EXPECT_EQ(format_mvt_time(*agent->time), "2021-07-14 08:00:00.000000");
  ASSERT_EQ(agent->timeline.size(), 3U);
  EXPECT_EQ(agent->timeline[0].event, "live_usage");
  EXPECT_EQ(agent->timeline[0].description,
            "BackupAgent (Bundle ID: None, ID: 1) WWAN IN: 300.0, WWAN OUT: 400.0");
  EXPECT_EQ(agent->timeline[1].event, "first_usage");
  EXPECT_EQ(agent->timeline[2].event, "current_usage");
  EXPECT_EQ(agent->provenance.file, "0d/0d609c54856a9bb2d56729df1d68f2958a88426b");

  const scan::Record* safari = by_proc_name(p.sink, "MobileSafari/com.apple.mobilesafari");
  ASSERT_NE(safari, nullptr);
  EXPECT_EQ(testing::observed(*safari, ObservableKind::kProcess),
            (std::vector<std::string>{"MobileSafari/com.apple.mobilesafari", "MobileSafari"}));
  EXPECT_EQ(testing::observed(*safari, ObservableKind::kAppId),
            (std::vector<std::string>{"com.apple.mobilesafari"}));

  const scan::Record* idle = by_proc_name(p.sink, "roleaccountd");
  ASSERT_NE(idle, nullptr);
  EXPECT_TRUE(idle->data.find("live_id")->is_null());
  ASSERT_EQ(idle->timeline.size(), 1U);  // live_usage at the first use only
  EXPECT_EQ(format_mvt_time(idle->timeline[0].time), "2021-07-14 08:00:20.000000");
}

TEST(Datausage, RecentSchemaWithoutWifiColumns) {
  auto p = parse(testing::datausage_db(base_fixture(DataUsageSchema::kWwanOnly)));
  ASSERT_TRUE(p.result) << p.result.error().message;
  ASSERT_EQ(p.sink.records.size(), 3U);
  const scan::Record* agent = by_proc_name(p.sink, "BackupAgent");
  ASSERT_NE(agent, nullptr);
  EXPECT_TRUE(agent->data.find("wifi_in")->is_null());
  EXPECT_DOUBLE_EQ(agent->data.find("wwan_in")->as_double(), 300.0);
}

TEST(Datausage, LiveUsageOfADeletedProcessIsManipulation) {
  auto f = base_fixture(DataUsageSchema::kWithWifi);
  f.live.push_back({3, 9, kT0 + 50, 0, 0, 5, 6});
  f.live.push_back({4, 9, kT0 + 90, 0, 0, 7, 8});  // same deleted process: one alert
  auto p = parse(testing::datausage_db(f));
  ASSERT_TRUE(p.result) << p.result.error().message;
  EXPECT_EQ(testing::findings(p.sink),
            (std::vector<std::string>{"HIGH: Found manipulated process entry 9. Entry on "
                                      "2021-07-14 08:00:50.000000: its ZPROCESS row is gone"}));
  int manipulated = 0;
  for (const auto& r : p.sink.records) {
    if (testing::data_text(r, "proc_name") != "MANIPULATED [process record deleted]") continue;
    ++manipulated;
    EXPECT_TRUE(r.observables.empty());
    EXPECT_EQ(testing::data_text(r, "first_isodate"), testing::data_text(r, "live_isodate"));
  }
  EXPECT_EQ(manipulated, 2);
}

TEST(Datausage, GapsInProcessIdsAreMissingProcesses) {
  auto f = base_fixture(DataUsageSchema::kWithWifi);
  f.processes.push_back({6, kT0 + 100, kT0 + 100, std::nullopt, "later"});
  f.process_z_max = 7;  // the newest process row was deleted too
  auto p = parse(testing::datausage_db(f));
  ASSERT_TRUE(p.result) << p.result.error().message;
  const auto found = testing::findings(p.sink);
  ASSERT_EQ(found.size(), 3U);
  EXPECT_EQ(found[0],
            "LOW: Missing process 4. Previous process at \"2021-07-14 08:00:20.000000\" "
            "(roleaccountd)");
  EXPECT_EQ(found[1].rfind("LOW: Missing process 5.", 0), 0U);
  EXPECT_EQ(found[2],
            "LOW: Missing process 7. Previous process at \"2021-07-14 08:01:40.000000\" "
            "(later); Z_PRIMARYKEY.Z_MAX is 7");
  EXPECT_NE(by_proc_name(p.sink, "MISSING [follows roleaccountd]"), nullptr);
}

TEST(Datausage, HugeIdGapGivesOneAlertNotBillions) {
  DataUsageFixture f;
  f.processes = {{1, kT0, kT0, std::nullopt, "a"},
                 {4'000'000'000'000LL, kT0, kT0, std::nullopt, "b"}};
  auto p = parse(testing::datausage_db(f));
  ASSERT_TRUE(p.result) << p.result.error().message;
  EXPECT_EQ(p.sink.records.size(), 2U);
  ASSERT_EQ(p.sink.alerts.size(), 1U);
  EXPECT_EQ(p.sink.alerts[0].message.rfind("Missing processes 2 to 3999999999999", 0), 0U);
}

TEST(Datausage, NullProcessReferenceDoesNotHideIdleProcesses) {
  auto f = base_fixture(DataUsageSchema::kWithWifi);
  f.live.push_back({3, std::nullopt, kT0 + 55, 0, 0, 0, 0});
  auto p = parse(testing::datausage_db(f));
  ASSERT_TRUE(p.result) << p.result.error().message;
  EXPECT_NE(by_proc_name(p.sink, "roleaccountd"), nullptr);
  EXPECT_TRUE(testing::findings(p.sink).empty());
}

TEST(Datausage, UnknownSchemaAndCorruptFilesFailWithADiagnostic) {
  testing::SqlFixture other;
  other.exec("CREATE TABLE ZPROCESS (Z_PK INTEGER PRIMARY KEY, ZBUNDLENAME VARCHAR);"
             "CREATE TABLE ZLIVEUSAGE (Z_PK INTEGER PRIMARY KEY);");
  auto p = parse(other.bytes());
  ASSERT_FALSE(p.result);
  EXPECT_EQ(p.result.error().code, ErrorCode::kMalformed);
  EXPECT_NE(p.result.error().message.find("ZPROCNAME"), std::string::npos);

  const std::string good = testing::datausage_db(base_fixture(DataUsageSchema::kWithWifi));
  for (std::size_t cut : {std::size_t{0}, std::size_t{50}, good.size() / 2}) {
    auto t = parse(good.substr(0, cut));
    EXPECT_FALSE(t.result) << "cut " << cut;
  }
  std::string garbled = good;
  for (std::size_t i = 4096; i < garbled.size(); i += 7) garbled[i] = '\x5a';
  auto g = parse(garbled);  // must not crash; either error or partial rows
  if (!g.result) {
    EXPECT_FALSE(g.result.error().message.empty());
  }
}

TEST(Datausage, ModuleReadsTheBackupAndReportsAbsence) {
  TempDir tmp;
  testing::IosBackupBuilder b;
  b.add_file("WirelessDomain", "Library/Databases/DataUsage.sqlite",
             testing::datausage_db(base_fixture(DataUsageSchema::kWithWifi)));
  const auto backup = b.write(tmp / "backup");
  auto module = make_datausage_module();
  EXPECT_EQ(module->spec().slug, "datausage");
  auto run = testing::run_module_on(*module, backup);
  EXPECT_EQ(run.status.code, scan::ModuleStatus::kOk) << run.status.message;
  EXPECT_EQ(run.sink.records.size(), 3U);

  testing::IosBackupBuilder empty;
  empty.add_file("HomeDomain", "Library/SMS/sms.db", "x");
  const auto none = empty.write(tmp / "none");
  auto absent = testing::run_module_on(*module, none);
  EXPECT_EQ(absent.status.code, scan::ModuleStatus::kNotPresent) << absent.status.message;

  testing::IosBackupBuilder bad;
  bad.add_file("WirelessDomain", "Library/Databases/DataUsage.sqlite", "not sqlite at all");
  auto failed = testing::run_module_on(*module, bad.write(tmp / "bad"));
  EXPECT_EQ(failed.status.code, scan::ModuleStatus::kFailed);
  EXPECT_NE(failed.status.message.find("DataUsage.sqlite"), std::string::npos)
      << failed.status.message;
}

}  // namespace
}  // namespace spyglass::artifacts::ios
