#include "artifacts/ios/calls/calls.hpp"

#include <gtest/gtest.h>

#include "artifacts/ios/ios_test_support.hpp"
#include "formats/json/json_writer.hpp"
#include "support/ios_backup_builder.hpp"
#include "support/ios_fixtures_calls.hpp"
#include "support/ios_fixtures_fs_dump.hpp"
#include "support/ios_fixtures_module_run.hpp"
#include "support/ios_fixtures_sql.hpp"
#include "support/temp_dir.hpp"

namespace spyglass::artifacts::ios {
namespace {

namespace fs = std::filesystem;
namespace st = spyglass::testing;
namespace its = spyglass::artifacts::ios::testing;
using matching::ObservableKind;
using st::CallRow;
using st::CollectingSink;
using st::IosBackupBuilder;
using st::TempDir;

// 2019-05-01 10:00:00 UTC as Mac absolute time.
constexpr double kT0 = 1556704800.0 - 978307200.0;
constexpr const char* kDomain = "HomeDomain";
constexpr const char* kPath = "Library/CallHistoryDB/CallHistory.storedata";
constexpr const char* kFsPath = "private/var/mobile/Library/CallHistoryDB/CallHistory.storedata";

std::vector<CallRow> sample_calls() {
  CallRow phone;
  phone.pk = 1;
  phone.date = kT0 + 3600;
  phone.duration = 125.5;
  phone.address = "+41791234567";
  phone.location = "Switzerland";
  phone.originated = 1;
  phone.answered = 1;
  phone.name = "Alice";
  CallRow whatsapp;
  whatsapp.pk = 2;
  whatsapp.date = kT0;
  whatsapp.duration = 0;
  whatsapp.address = "+97250000001";
  whatsapp.address_as_blob = true;  // older iOS: ZADDRESS is a BLOB
  whatsapp.service_provider = "net.whatsapp.WhatsApp";
  whatsapp.originated = 0;
  whatsapp.answered = 0;
  CallRow facetime;
  facetime.pk = 3;
  facetime.date = kT0 + 7200;
  facetime.duration = 60;
  facetime.address = "caller@evil.example";
  facetime.service_provider = "com.apple.FaceTime";
  facetime.originated = 0;
  facetime.answered = 1;
  facetime.call_type = 16;
  CallRow undated;
  undated.pk = 4;
  undated.address = "+10000000000";
  undated.originated = 0;
  undated.answered = 0;
  return {phone, whatsapp, facetime, undated};
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
  IosFile f;
  f.domain = kDomain;
  f.relative_path = kPath;
  f.file_id = "5a4935c78a5255723f707230a451d79c540d2741";
  f.evidence_path = "5a/" + f.file_id;
  out.result = read_calls(*db, f, out.sink);
  return out;
}

TEST(Calls, FileIdIsMvts) {
  EXPECT_EQ(IosBackupBuilder::file_id(kDomain, kPath), "5a4935c78a5255723f707230a451d79c540d2741");
}

TEST(Calls, RecordsCarryMvtFieldsDirectionAndAnswer) {
  auto p = parse(st::call_history_db(sample_calls()));
  ASSERT_TRUE(p.result) << p.result.error().message;
  ASSERT_EQ(p.sink.records.size(), 4U);
  // Ordered by date; the undated row (NULL sorts first) has no time and no event.
  const scan::Record& undated = p.sink.records[0];
  EXPECT_FALSE(undated.time);
  EXPECT_TRUE(undated.timeline.empty());
  EXPECT_TRUE(undated.data.find("isodate")->is_null());

  const scan::Record& wa = p.sink.records[1];
  EXPECT_EQ(json::to_json_line(wa.data),
            "{\"isodate\": \"2019-05-01 10:00:00.000000\", \"duration\": 0.0, \"location\": null, "
            "\"number\": \"+97250000001\", \"provider\": \"net.whatsapp.WhatsApp\", "
            "\"direction\": \"incoming\", \"answered\": false, \"call_type\": 1, \"name\": null, "
            "\"call_id\": 2}");
  ASSERT_EQ(wa.timeline.size(), 1U);
  EXPECT_EQ(wa.timeline[0].event, "call");
  EXPECT_EQ(wa.timeline[0].description,
            "Incoming WhatsApp call from +97250000001, NOT answered, 0.0 seconds");
  EXPECT_NE(wa.provenance.locator.find("ZCALLRECORD Z_PK 2"), std::string::npos);
  EXPECT_TRUE(wa.observables.empty());  // a phone number is no email

  const scan::Record& phone = p.sink.records[2];
  EXPECT_EQ(st::data_text(phone, "direction"), "outgoing");
  EXPECT_EQ(st::data_text(phone, "location"), "Switzerland");
  EXPECT_EQ(phone.timeline[0].description,
            "Outgoing Phone call to +41791234567 (Alice), answered, 125.5 seconds");
  ASSERT_TRUE(phone.time);
  EXPECT_EQ(format_mvt_time(*phone.time), "2019-05-01 11:00:00.000000");

  const scan::Record& ft = p.sink.records[3];
  EXPECT_EQ(ft.timeline[0].description,
            "Incoming FaceTime call from caller@evil.example, answered, 60.0 seconds");
  EXPECT_EQ(st::observed(ft, ObservableKind::kEmail),
            (std::vector<std::string>{"caller@evil.example"}));
  EXPECT_EQ(ft.observables[0].level, report::AlertLevel::kCritical);
  EXPECT_TRUE(st::findings(p.sink).empty());
}

TEST(Calls, OldSchemaWithoutDirectionColumnsStillReads) {
  st::SqlFixture db;
  db.exec(
      "CREATE TABLE ZCALLRECORD (Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, "
      "ZDATE TIMESTAMP, ZDURATION FLOAT, ZADDRESS BLOB, ZLOCATION VARCHAR, "
      "ZSERVICE_PROVIDER VARCHAR);"
      "INSERT INTO ZCALLRECORD VALUES (1, 2, 1, 600000000, 3, CAST('+1555' AS BLOB), NULL, "
      "'com.apple.Telephony');");
  auto p = parse(db.bytes());
  ASSERT_TRUE(p.result) << p.result.error().message;
  ASSERT_EQ(p.sink.records.size(), 1U);
  EXPECT_TRUE(p.sink.records[0].data.find("direction")->is_null());
  EXPECT_TRUE(p.sink.records[0].data.find("answered")->is_null());
  EXPECT_EQ(p.sink.records[0].timeline[0].description, "Phone call with +1555, 3.0 seconds");
}

TEST(Calls, UnknownSchemaAndCorruptFilesFail) {
  st::SqlFixture other;
  other.exec("CREATE TABLE ZCALLRECORD (Z_PK INTEGER PRIMARY KEY, ZDATE TIMESTAMP);");
  auto p = parse(other.bytes());
  ASSERT_FALSE(p.result);
  EXPECT_EQ(p.result.error().code, ErrorCode::kMalformed);
  EXPECT_NE(p.result.error().message.find("ZCALLRECORD(Z_PK, ZDATE)"), std::string::npos)
      << p.result.error().message;
  EXPECT_NE(p.result.error().message.find("ZSERVICE_PROVIDER"), std::string::npos);

  st::SqlFixture none;
  none.exec("CREATE TABLE call (ROWID INTEGER PRIMARY KEY, address TEXT);");
  p = parse(none.bytes());
  ASSERT_FALSE(p.result);
  EXPECT_NE(p.result.error().message.find("no table ZCALLRECORD"), std::string::npos)
      << p.result.error().message;
}

TEST(Calls, ScanAlertsOnAPlantedEmailOnlyAndWritesTheTimeline) {
  TempDir tmp;
  IosBackupBuilder b;
  b.add_file(kDomain, kPath, st::call_history_db(sample_calls()));
  const fs::path stix = its::write_stix(
      tmp / "i.stix2",
      {{"email-addr:value", "Caller@Evil.example"}, {"email-addr:value", "other@evil.example"}});
  std::vector<std::unique_ptr<scan::Module>> modules;
  modules.push_back(make_calls_module());
  auto run = its::run_ios_scan(std::move(modules), b.write(tmp / "backup"), tmp / "out", stix);
  ASSERT_TRUE(run.summary) << run.summary.error().message;
  const auto& s = *run.summary;
  ASSERT_EQ(s.modules.size(), 1U);
  EXPECT_EQ(s.modules[0].status, scan::ModuleStatus::kOk) << s.modules[0].error;
  EXPECT_EQ(s.modules[0].records, 4U);
  EXPECT_EQ(s.alerts_critical, 1U);
  EXPECT_EQ(s.alerts_high + s.alerts_medium + s.alerts_low, 0U);
  const std::string detected = st::read_file(tmp / "out" / "calls_detected.json");
  EXPECT_NE(detected.find("caller@evil.example"), std::string::npos) << detected;
  const std::string timeline = st::read_file(tmp / "out" / "timeline.csv");
  EXPECT_NE(timeline.find("\"2019-05-01 10:00:00.000000\",\"Calls\",\"call\",\"Incoming "
                          "WhatsApp call from +97250000001, NOT answered, 0.0 seconds\""),
            std::string::npos)
      << timeline;
  EXPECT_NE(st::read_file(tmp / "out" / "calls.json")
                .find("\"provider\": "
                      "\"com.apple.FaceTime\""),
            std::string::npos);
}

TEST(Calls, BackupAndFilesystemDumpGiveTheSameRecords) {
  TempDir tmp;
  const std::string db = st::call_history_db(sample_calls());
  IosBackupBuilder b;
  b.add_file(kDomain, kPath, db);
  auto module = make_calls_module();
  auto backup = st::run_module_on(*module, b.write(tmp / "backup"));
  ASSERT_EQ(backup.status.code, scan::ModuleStatus::kOk) << backup.status.message;
  st::put_file(tmp / "dump", kFsPath, db);
  auto dump = st::run_module_on_dump(*module, tmp / "dump");
  ASSERT_EQ(dump.status.code, scan::ModuleStatus::kOk) << dump.status.message;
  ASSERT_EQ(backup.sink.records.size(), dump.sink.records.size());
  for (std::size_t i = 0; i < dump.sink.records.size(); ++i) {
    EXPECT_EQ(json::to_json_line(backup.sink.records[i].data),
              json::to_json_line(dump.sink.records[i].data));
  }
  EXPECT_EQ(dump.sink.records[1].provenance.file, kFsPath);
}

TEST(Calls, AbsentTruncatedAndForeignFiles) {
  TempDir tmp;
  auto module = make_calls_module();
  IosBackupBuilder empty;
  empty.add_file("HomeDomain", "Library/SMS/sms.db", "x");
  auto absent = st::run_module_on(*module, empty.write(tmp / "none"));
  EXPECT_EQ(absent.status.code, scan::ModuleStatus::kNotPresent) << absent.status.message;

  const std::string db = st::call_history_db(sample_calls());
  IosBackupBuilder truncated;
  truncated.add_file(kDomain, kPath, db.substr(0, db.size() / 2));
  auto failed = st::run_module_on(*module, truncated.write(tmp / "truncated"));
  EXPECT_EQ(failed.status.code, scan::ModuleStatus::kFailed);
  EXPECT_NE(failed.status.message.find("CallHistory.storedata"), std::string::npos)
      << failed.status.message;

  IosBackupBuilder foreign;
  st::SqlFixture other;
  other.exec("CREATE TABLE ZCALLRECORD (Z_PK INTEGER PRIMARY KEY, ZDATE TIMESTAMP);");
  foreign.add_file(kDomain, kPath, other.bytes());
  auto unknown = st::run_module_on(*module, foreign.write(tmp / "foreign"));
  EXPECT_EQ(unknown.status.code, scan::ModuleStatus::kFailed);
  EXPECT_NE(unknown.status.message.find("unknown schema"), std::string::npos)
      << unknown.status.message;
}

}  // namespace
}  // namespace spyglass::artifacts::ios
