#include "artifacts/ios/whatsapp_contacts/whatsapp_contacts.hpp"

#include <gtest/gtest.h>

#include "artifacts/ios/ios_test_support.hpp"
#include "support/ios_backup_builder.hpp"
#include "support/ios_fixtures_sql.hpp"

namespace spyglass::artifacts::ios {
namespace {

namespace fs = std::filesystem;
using spyglass::testing::IosBackupBuilder;
using spyglass::testing::read_file;
using spyglass::testing::SqlFixture;
using spyglass::testing::TempDir;

constexpr const char* kGroup = "AppDomainGroup-group.net.whatsapp.WhatsApp.shared";

// ContactsV2.sqlite's address-book entity as recent WhatsApp for iOS writes it (Core Data:
// integers, then dates as REAL Mac absolute seconds, then strings).
constexpr const char* kContactsSchema = R"sql(
CREATE TABLE ZWAADDRESSBOOKCONTACT (Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER,
  ZDISAPPEARINGMODEDURATION INTEGER, ZPHONESTATUS INTEGER, ZSYNCPOLICY INTEGER,
  ZABOUTEXPIRATIONTIMESTAMP TIMESTAMP, ZABOUTTIMESTAMP TIMESTAMP,
  ZDISAPPEARINGMODETIMESTAMP TIMESTAMP, ZLASTUPDATED TIMESTAMP, ZABOUTEMOJI VARCHAR,
  ZABOUTTEXT VARCHAR, ZBUSINESSNAME VARCHAR, ZFULLNAME VARCHAR, ZGIVENNAME VARCHAR,
  ZIDENTIFIER VARCHAR, ZLASTNAME VARCHAR, ZLID VARCHAR, ZLOCALIZEDPHONENUMBER VARCHAR,
  ZNOTES VARCHAR, ZPHONENUMBER VARCHAR, ZPHONENUMBERLABEL VARCHAR, ZUSERNAME VARCHAR,
  ZWHATSAPPID VARCHAR);
)sql";

constexpr double kNoon = 648302400;  // 2021-07-18 12:00:00 UTC, Mac absolute seconds

std::vector<std::unique_ptr<scan::Module>> contacts_only() {
  std::vector<std::unique_ptr<scan::Module>> m;
  m.push_back(make_whatsapp_contacts_module());
  return m;
}

std::string contacts_db() {
  SqlFixture db;
  db.exec(kContactsSchema);
  db.run("INSERT INTO ZWAADDRESSBOOKCONTACT (Z_PK, Z_ENT, Z_OPT, ZDISAPPEARINGMODEDURATION, "
         "ZPHONESTATUS, ZSYNCPOLICY, ZABOUTEXPIRATIONTIMESTAMP, ZABOUTTIMESTAMP, "
         "ZDISAPPEARINGMODETIMESTAMP, ZLASTUPDATED, ZABOUTTEXT, ZFULLNAME, ZGIVENNAME, ZLID, "
         "ZPHONENUMBER, ZWHATSAPPID) VALUES "
         "(1, 2, 1, 604800, 1, 0, ?, ?, ?, ?, 'Hey there', 'Alice Example', 'Alice', "
         "'100000000000001@lid', '+1 415-555-0100', '14155550100@s.whatsapp.net')",
         {kNoon + 30 * 86400.0, kNoon - 86400, kNoon, kNoon + 10});
  db.run("INSERT INTO ZWAADDRESSBOOKCONTACT (Z_PK, Z_ENT, Z_OPT, ZDISAPPEARINGMODEDURATION, "
         "ZLID, ZPHONENUMBER) VALUES (2, 2, 1, 0, '200@lid', '+41790000000'),"
         "(3, 2, 1, 3600, NULL, '+41790000001')",
         {});
  // Some versions store strings as UTF-8 blobs.
  db.exec("UPDATE ZWAADDRESSBOOKCONTACT SET ZFULLNAME = CAST('Bob Blob' AS BLOB), "
          "ZABOUTTIMESTAMP = 648302400.5 WHERE Z_PK = 2;");
  return db.bytes();
}

TEST(WhatsappContacts, RecordsAndTimeline) {
  TempDir tmp;
  IosBackupBuilder b;
  EXPECT_EQ(b.add_file(kGroup, "ContactsV2.sqlite", contacts_db()),
            "b8548dc30aa1030df0ce18ef08b882cf7ab5212f");
  auto run = testing::run_ios_scan(contacts_only(), b.write(tmp / "backup"), tmp / "out");
  ASSERT_TRUE(run.summary) << run.summary.error().message;
  const auto& s = *run.summary;
  EXPECT_EQ(s.modules[0].status, scan::ModuleStatus::kOk) << s.modules[0].error;
  EXPECT_EQ(s.modules[0].records, 3U);

  const std::string json = read_file(tmp / "out" / "whatsapp_contacts.json");
  EXPECT_NE(json.find("\"row_pk\": 1,\n        \"whatsapp_id\": \"14155550100@s.whatsapp.net\""),
            std::string::npos)
      << json;
  EXPECT_NE(json.find("\"disappearing_mode_label\": \"7 days\""), std::string::npos);
  EXPECT_NE(json.find("\"disappearing_mode_label\": \"off\""), std::string::npos);
  EXPECT_NE(json.find("\"disappearing_mode_label\": \"3600 seconds\""), std::string::npos);
  EXPECT_NE(json.find("\"disappearing_mode_is_on\": true"), std::string::npos);
  EXPECT_NE(json.find("\"disappearing_mode_is_on\": false"), std::string::npos);
  EXPECT_NE(json.find("\"about_timestamp\": \"2021-07-17 12:00:00.000000\""), std::string::npos);
  EXPECT_NE(json.find("\"full_name\": \"Bob Blob\""), std::string::npos);
  EXPECT_NE(json.find("\"user_name\": null"), std::string::npos);
  EXPECT_NE(json.find("\"phone_status\": 1"), std::string::npos);

  const std::string timeline = read_file(tmp / "out" / "timeline.csv");
  const std::string alice = "14155550100@s.whatsapp.net (Alice Example)";
  EXPECT_NE(timeline.find("\"2021-07-18 12:00:00.000000\",\"WhatsappContacts\","
                          "\"disappearing_mode_set\",\"WhatsApp disappearing messages timer set "
                          "to '7 days' for " +
                          alice + "\""),
            std::string::npos)
      << timeline;
  EXPECT_NE(timeline.find("\"2021-07-17 12:00:00.000000\",\"WhatsappContacts\",\"about_changed\","
                          "\"WhatsApp about text of " +
                          alice + " changed to \"\"Hey there\"\"\""),
            std::string::npos);
  EXPECT_NE(timeline.find("\"2021-08-17 12:00:00.000000\",\"WhatsappContacts\","
                          "\"about_expiration\",\"WhatsApp about text of " +
                          alice + " scheduled to expire\""),
            std::string::npos);
  EXPECT_NE(timeline.find("\"2021-07-18 12:00:10.000000\",\"WhatsappContacts\","
                          "\"contact_last_updated\",\"WhatsApp contact record for " +
                          alice + " updated\""),
            std::string::npos);
  // Contact 2 has no JID: its LID names it.
  EXPECT_NE(timeline.find("\"2021-07-18 12:00:00.500000\",\"WhatsappContacts\",\"about_changed\","
                          "\"WhatsApp about text of 200@lid (Bob Blob) changed\""),
            std::string::npos);
  // No timer date, no timer event (contacts 2 and 3).
  EXPECT_EQ(timeline.find("'off'"), std::string::npos);
  EXPECT_EQ(s.alerts_critical + s.alerts_high + s.alerts_medium + s.alerts_low, 0U);
}

TEST(WhatsappContacts, OlderSchemaWithoutTimer) {
  SqlFixture db;
  db.exec("CREATE TABLE ZWAADDRESSBOOKCONTACT (Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, "
          "Z_OPT INTEGER, ZPHONENUMBERSTATUS INTEGER, ZABOUTTIMESTAMP TIMESTAMP, "
          "ZABOUTTEXT VARCHAR, ZFULLNAME VARCHAR, ZIDENTIFIER VARCHAR, ZPHONENUMBER VARCHAR, "
          "ZPHONENUMBERLABEL VARCHAR, ZWHATSAPPID VARCHAR);"
          "INSERT INTO ZWAADDRESSBOOKCONTACT VALUES (1, 2, 1, 3, NULL, 'Busy', 'Carol', "
          "'ABC:ABPerson', '+3312345678', 'mobile', '3312345678@s.whatsapp.net');");
  TempDir tmp;
  IosBackupBuilder b;
  b.add_file(kGroup, "ContactsV2.sqlite", db.bytes());
  auto run = testing::run_ios_scan(contacts_only(), b.write(tmp / "b"), tmp / "out");
  ASSERT_TRUE(run.summary);
  EXPECT_EQ(run.summary->modules[0].status, scan::ModuleStatus::kOk);
  const std::string json = read_file(tmp / "out" / "whatsapp_contacts.json");
  // Without the duration column the state is unknown (null), not "off".
  EXPECT_NE(json.find("\"disappearing_mode_is_on\": null"), std::string::npos);
  EXPECT_NE(json.find("\"disappearing_mode_label\": null"), std::string::npos);
  EXPECT_NE(json.find("\"phone_status\": 3"), std::string::npos);  // ZPHONENUMBERSTATUS
  EXPECT_NE(json.find("\"lid\": null"), std::string::npos);
  EXPECT_FALSE(fs::exists(tmp / "out" / "timeline.csv"));  // no dates at all
}

TEST(WhatsappContacts, AbsentTruncatedAndUnknownSchema) {
  TempDir tmp;
  {
    IosBackupBuilder b;
    b.add_file(kGroup, "ChatStorage.sqlite", "x");
    auto run = testing::run_ios_scan(contacts_only(), b.write(tmp / "absent"), {});
    ASSERT_TRUE(run.summary);
    EXPECT_EQ(run.summary->modules[0].status, scan::ModuleStatus::kNotPresent);
  }
  {
    IosBackupBuilder b;
    std::string bytes = contacts_db();
    bytes.resize(bytes.size() / 2);
    b.add_file(kGroup, "ContactsV2.sqlite", bytes);
    auto run = testing::run_ios_scan(contacts_only(), b.write(tmp / "truncated"), {});
    ASSERT_TRUE(run.summary);
    EXPECT_EQ(run.summary->modules[0].status, scan::ModuleStatus::kFailed);
    EXPECT_NE(run.summary->modules[0].error.find("ContactsV2.sqlite"), std::string::npos);
  }
  {
    SqlFixture db;
    db.exec("CREATE TABLE ZWAADDRESSBOOKCONTACT (Z_PK INTEGER PRIMARY KEY, ZNAME VARCHAR);");
    IosBackupBuilder b;
    b.add_file(kGroup, "ContactsV2.sqlite", db.bytes());
    auto run = testing::run_ios_scan(contacts_only(), b.write(tmp / "schema"), {});
    ASSERT_TRUE(run.summary);
    EXPECT_EQ(run.summary->modules[0].status, scan::ModuleStatus::kFailed);
    EXPECT_NE(run.summary->modules[0].error.find(
                  "unknown schema: table ZWAADDRESSBOOKCONTACT(Z_PK, ZNAME) lacks column(s) "
                  "ZWHATSAPPID, ZLID or ZPHONENUMBER"),
              std::string::npos)
        << run.summary->modules[0].error;
  }
  {
    SqlFixture db;
    db.exec("CREATE TABLE ZWACONTACT (Z_PK INTEGER PRIMARY KEY, ZWHATSAPPID VARCHAR);");
    IosBackupBuilder b;
    b.add_file(kGroup, "ContactsV2.sqlite", db.bytes());
    auto run = testing::run_ios_scan(contacts_only(), b.write(tmp / "notable"), {});
    ASSERT_TRUE(run.summary);
    EXPECT_EQ(run.summary->modules[0].status, scan::ModuleStatus::kFailed);
    EXPECT_NE(run.summary->modules[0].error.find("no table ZWAADDRESSBOOKCONTACT"),
              std::string::npos);
  }
}

}  // namespace
}  // namespace spyglass::artifacts::ios
