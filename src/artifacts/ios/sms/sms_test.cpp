#include "artifacts/ios/sms/sms.hpp"

#include <gtest/gtest.h>

#include "artifacts/ios/ios_test_support.hpp"
#include "artifacts/ios/sms/sms_db_fixture.hpp"
#include "support/ios_backup_builder.hpp"
#include "support/typedstream_builder.hpp"

namespace spyglass::artifacts::ios {
namespace {

namespace fs = std::filesystem;
using spyglass::testing::IosBackupBuilder;
using spyglass::testing::read_file;
using spyglass::testing::TempDir;

std::vector<std::unique_ptr<scan::Module>> sms_only() {
  std::vector<std::unique_ptr<scan::Module>> m;
  m.push_back(make_sms_module());
  return m;
}

// 2021-07-18 12:00:00 UTC in Mac absolute nanoseconds (iOS >= 11) and seconds (iOS 10).
constexpr std::int64_t kMacSeconds = 648302400;
constexpr std::int64_t kMacNanos = kMacSeconds * 1000000000LL;

TEST(Sms, RecordsLinksTimelineAndAlerts) {
  TempDir tmp;
  const std::string inserts =
      "INSERT INTO handle(ROWID, id, service) VALUES (1, '+41790000000', 'SMS'),"
      " (2, 'someone@example.org', 'iMessage');"
      "INSERT INTO message(ROWID, guid, text, handle_id, service, account, date, date_read,"
      " is_from_me, is_read) VALUES"
      " (1, 'G1', 'Your parcel: https://Evil-Parcel.example/t/1 thanks', 1, 'SMS', 'p:+1', " +
      std::to_string(kMacNanos) + ", " + std::to_string(kMacNanos + 60000000000LL) +
      ", 0, 1),"
      " (2, 'G2', 'ALERT: State-sponsored attackers may be targeting your iPhone. Apple', 2,"
      " 'iMessage', 'e:a', " +
      std::to_string(kMacNanos + 1000000000LL) +
      ", 0, 0, 0),"
      " (3, 'G3', NULL, 1, 'SMS', NULL, " +
      std::to_string(kMacSeconds) +
      ", 0, 1, 0),"
      " (4, 'G4', 'orphan http://evil-parcel.example/', 99, 'SMS', NULL, 1, 0, 0, 0);";
  IosBackupBuilder b;
  b.add_file("HomeDomain", "Library/SMS/sms.db", testing::make_sms_db(tmp.path(), inserts));
  const fs::path backup = b.write(tmp / "backup");
  const fs::path stix =
      testing::write_stix(tmp / "i.stix2", {{"domain-name:value", "evil-parcel.example"}});

  auto run = testing::run_ios_scan(sms_only(), backup, tmp / "out", stix);
  ASSERT_TRUE(run.summary) << run.summary.error().message;
  const auto& s = *run.summary;
  ASSERT_EQ(s.modules.size(), 1U);
  EXPECT_EQ(s.modules[0].status, scan::ModuleStatus::kOk) << s.modules[0].error;
  EXPECT_EQ(s.modules[0].records, 3U);  // message 4 has no handle row (inner join, as MVT)
  EXPECT_EQ(s.alerts_critical, 1U);     // the parcel link
  EXPECT_EQ(s.alerts_high, 1U);         // the threat notification

  const std::string json = read_file(tmp / "out" / "sms.json");
  EXPECT_NE(json.find("\"phone_number\": \"+41790000000\""), std::string::npos);
  EXPECT_NE(json.find("\"isodate\": \"2021-07-18 12:00:00.000000\""), std::string::npos);
  EXPECT_NE(json.find("\"isodate_read\": \"2021-07-18 12:01:00.000000\""), std::string::npos);
  EXPECT_NE(json.find("\"direction\": \"sent\""), std::string::npos);
  EXPECT_NE(json.find("\"links\": [\n            \"https://Evil-Parcel.example/t/1\""),
            std::string::npos);
  // The iOS 10 row (date in seconds) gets the same instant as the nanosecond row.
  const std::string noon = "\"isodate\": \"2021-07-18 12:00:00.000000\"";
  EXPECT_NE(json.find(noon), json.rfind(noon));
  EXPECT_NE(json.find("\"guid\": \"G3\""), std::string::npos);
  EXPECT_EQ(json.find("\"guid\": \"G4\""), std::string::npos);

  const std::string detected = read_file(tmp / "out" / "sms_detected.json");
  EXPECT_NE(detected.find("\"level\": \"CRITICAL\""), std::string::npos);
  EXPECT_NE(detected.find("\"level\": \"HIGH\""), std::string::npos);
  EXPECT_NE(detected.find("3d/3d0d7e5fb2ce288813306e4d4636395e047a3d28"), std::string::npos);
  const std::string timeline = read_file(tmp / "out" / "timeline.csv");
  EXPECT_NE(timeline.find("\"sms_received\""), std::string::npos);
  EXPECT_NE(timeline.find("\"2021-07-18 12:01:00.000000\",\"SMS\",\"sms_read\""),
            std::string::npos);
  EXPECT_NE(read_file(tmp / "out" / "urls.json").find("https://Evil-Parcel.example/t/1"),
            std::string::npos);
  EXPECT_NE(std::find(run.files_read.begin(), run.files_read.end(),
                      "3d/3d0d7e5fb2ce288813306e4d4636395e047a3d28"),
            run.files_read.end());
}

// An SQL blob literal X'..' of the bytes.
std::string sql_blob(std::string_view bytes) {
  constexpr std::string_view kHex = "0123456789ABCDEF";
  std::string out = "X'";
  for (char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    out += kHex[b >> 4];
    out += kHex[b & 0xf];
  }
  return out + "'";
}

TEST(Sms, TextOnlyInAttributedBody) {
  using spyglass::testing::AttributedBodyOptions;
  using spyglass::testing::make_attributed_body;
  TempDir tmp;
  AttributedBodyOptions mutable_body;
  mutable_body.mutable_attributed = true;
  mutable_body.mutable_string = true;
  const std::string date = std::to_string(kMacNanos);
  const std::string inserts =
      "INSERT INTO handle(ROWID, id, service) VALUES (1, '+41790000000', 'iMessage');"
      "INSERT INTO message(ROWID, guid, text, attributedBody, handle_id, service, date) VALUES"
      " (10, 'B10', NULL, " +
      sql_blob(make_attributed_body("Colis en attente\nhttps://Evil-Parcel.example/z?id=1")) +
      ", 1, 'iMessage', " + date + ")," +
      " (11, 'B11', '', " +
      sql_blob(make_attributed_body(
          "ALERT: Apple detected a targeted mercenary spyware attack against your iPhone",
          mutable_body)) +
      ", 1, 'iMessage', " + date + ")," +
      // `text` is set: attributedBody is not read (it repeats the text on real devices).
      " (12, 'B12', 'plain words', " +
      sql_blob(make_attributed_body("https://evil-parcel.example/hidden")) + ", 1, 'iMessage', " +
      date + ")," +
      " (13, 'B13', NULL, X'040B73747265616D7479706564FF', 1, 'iMessage', " + date + ")," +
      " (14, 'B14', NULL, " + sql_blob(make_attributed_body("see you at 5")) +
      ", 1, 'iMessage', " + date + ");";
  IosBackupBuilder b;
  b.add_file("HomeDomain", "Library/SMS/sms.db", testing::make_sms_db(tmp.path(), inserts));
  const fs::path stix =
      testing::write_stix(tmp / "i.stix2", {{"domain-name:value", "evil-parcel.example"}});
  auto run = testing::run_ios_scan(sms_only(), b.write(tmp / "backup"), tmp / "out", stix);
  ASSERT_TRUE(run.summary) << run.summary.error().message;
  const auto& s = *run.summary;
  EXPECT_EQ(s.modules[0].status, scan::ModuleStatus::kOk) << s.modules[0].error;
  EXPECT_EQ(s.modules[0].records, 5U);  // the undecodable body (13) is still reported
  EXPECT_EQ(s.alerts_critical, 1U);     // only message 10's link: 12 has text of its own
  EXPECT_EQ(s.alerts_high, 1U);         // the notification held in attributedBody

  const std::string json = read_file(tmp / "out" / "sms.json");
  EXPECT_NE(json.find("\"attributed_body_text\": \"Colis en attente\\nhttps://Evil-Parcel."
                      "example/z?id=1\""),
            std::string::npos)
      << json;
  EXPECT_NE(json.find("\"links\": [\n            \"https://Evil-Parcel.example/z?id=1\""),
            std::string::npos);
  EXPECT_NE(json.find("\"attributed_body_text\": \"see you at 5\""), std::string::npos);
  EXPECT_EQ(json.find("\"attributed_body_text\": \"https://evil-parcel.example/hidden\""),
            std::string::npos);
  // The new field comes after MVT's, and MVT's `text` stays "" for a NULL text.
  const std::size_t b10 = json.find("\"guid\": \"B10\"");
  ASSERT_NE(b10, std::string::npos);
  EXPECT_NE(json.find("\"text\": \"\"", b10), std::string::npos);
  EXPECT_LT(json.find("\"links\"", b10), json.find("\"attributed_body_text\"", b10));
  const std::size_t b13 = json.find("\"guid\": \"B13\"");
  ASSERT_NE(b13, std::string::npos);
  EXPECT_NE(json.find("\"attributed_body_text\": null", b13), std::string::npos);

  const std::string detected = read_file(tmp / "out" / "sms_detected.json");
  EXPECT_NE(detected.find("evil-parcel.example"), std::string::npos);
  EXPECT_NE(detected.find("Apple threat notification"), std::string::npos);
  EXPECT_NE(read_file(tmp / "out" / "timeline.csv").find("Colis en attente"), std::string::npos);
  EXPECT_NE(read_file(tmp / "out" / "urls.json").find("https://Evil-Parcel.example/z?id=1"),
            std::string::npos);
}

TEST(Sms, ThreatNotificationNeedsNoIndicators) {
  EXPECT_TRUE(is_apple_threat_notification(
      "ALERT: Apple detected a targeted mercenary spyware attack against your iPhone"));
  EXPECT_FALSE(is_apple_threat_notification("FYI ALERT: State-sponsored attackers may be"));
  TempDir tmp;
  IosBackupBuilder b;
  b.add_file("HomeDomain", "Library/SMS/sms.db",
             testing::make_sms_db(tmp.path(),
                                  "INSERT INTO handle(ROWID, id, service) VALUES (1, 'x', 'S');"
                                  "INSERT INTO message(guid, text, handle_id, date) VALUES ('g',"
                                  " 'ALERT: Apple detected a targeted mercenary spyware attack',"
                                  " 1, 1);"));
  auto run = testing::run_ios_scan(sms_only(), b.write(tmp / "b"), tmp / "out");
  ASSERT_TRUE(run.summary);
  EXPECT_EQ(run.summary->alerts_high, 1U);
}

TEST(Sms, AbsentTruncatedAndUnknownSchema) {
  TempDir tmp;
  {
    IosBackupBuilder b;
    b.add_file("HomeDomain", "Library/Other.db", "x");
    auto run = testing::run_ios_scan(sms_only(), b.write(tmp / "absent"), {});
    ASSERT_TRUE(run.summary);
    EXPECT_EQ(run.summary->modules[0].status, scan::ModuleStatus::kNotPresent);
  }
  {
    IosBackupBuilder b;
    std::string db = testing::make_sms_db(tmp.path(), "");
    db.resize(db.size() / 3);
    b.add_file("HomeDomain", "Library/SMS/sms.db", db);
    auto run = testing::run_ios_scan(sms_only(), b.write(tmp / "truncated"), {});
    ASSERT_TRUE(run.summary);
    EXPECT_EQ(run.summary->modules[0].status, scan::ModuleStatus::kFailed);
    EXPECT_NE(run.summary->modules[0].error.find("Library/SMS/sms.db"), std::string::npos);
  }
  {
    IosBackupBuilder b;
    b.add_file("HomeDomain", "Library/SMS/sms.db",
               testing::make_sqlite_bytes(tmp.path(),
                                          "CREATE TABLE message(ROWID INTEGER PRIMARY KEY, body);"
                                          "CREATE TABLE handle(ROWID INTEGER PRIMARY KEY, id);",
                                          ""));
    auto run = testing::run_ios_scan(sms_only(), b.write(tmp / "schema"), {});
    ASSERT_TRUE(run.summary);
    EXPECT_EQ(run.summary->modules[0].status, scan::ModuleStatus::kFailed);
    EXPECT_NE(run.summary->modules[0].error.find("unknown schema: table message(ROWID, body)"),
              std::string::npos)
        << run.summary->modules[0].error;
  }
}

}  // namespace
}  // namespace spyglass::artifacts::ios
