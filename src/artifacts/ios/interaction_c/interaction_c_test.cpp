#include "artifacts/ios/interaction_c/interaction_c.hpp"

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

// interactionC.db as iOS 13-17 write it (Core Data model: Attachment = entity 1, Contact = 2,
// Interaction = 3, Keyword = 4). `n` renumbers the entities of the many-to-many join tables,
// as another model version would.
std::string interaction_schema(int attachment_ent, int contact_ent, int interaction_ent) {
  const std::string a = std::to_string(attachment_ent);
  const std::string c = std::to_string(contact_ent);
  const std::string i = std::to_string(interaction_ent);
  return R"sql(
CREATE TABLE ZATTACHMENT (Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER,
  ZSIZEINBYTES INTEGER, ZCREATIONDATE TIMESTAMP, ZCLOUDIDENTIFIER VARCHAR,
  ZCONTENTTEXT VARCHAR, ZCONTENTURL VARCHAR, ZPHOTOLOCALIDENTIFIER VARCHAR, ZUTI VARCHAR,
  ZIDENTIFIER BLOB);
CREATE TABLE ZCONTACTS (Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER,
  ZINCOMINGRECIPIENTCOUNT INTEGER, ZINCOMINGSENDERCOUNT INTEGER,
  ZOUTGOINGRECIPIENTCOUNT INTEGER, ZPERSONIDTYPE INTEGER, ZTYPE INTEGER,
  ZCREATIONDATE TIMESTAMP, ZFIRSTINCOMINGRECIPIENTDATE TIMESTAMP,
  ZFIRSTINCOMINGSENDERDATE TIMESTAMP, ZFIRSTOUTGOINGRECIPIENTDATE TIMESTAMP,
  ZLASTINCOMINGRECIPIENTDATE TIMESTAMP, ZLASTINCOMINGSENDERDATE TIMESTAMP,
  ZLASTOUTGOINGRECIPIENTDATE TIMESTAMP, ZCUSTOMIDENTIFIER VARCHAR, ZDISPLAYNAME VARCHAR,
  ZIDENTIFIER VARCHAR, ZPERSONID VARCHAR);
CREATE TABLE ZINTERACTIONS (Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER,
  ZDIRECTION INTEGER, ZISRESPONSE INTEGER, ZMECHANISM INTEGER, ZRECIPIENTCOUNT INTEGER,
  ZSENDER INTEGER, ZCREATIONDATE TIMESTAMP, ZENDDATE TIMESTAMP, ZSTARTDATE TIMESTAMP,
  ZACCOUNT VARCHAR, ZBUNDLEID VARCHAR, ZCONTENTURL VARCHAR, ZDERIVEDINTENTIDENTIFIER VARCHAR,
  ZDOMAINIDENTIFIER VARCHAR, ZGROUPNAME VARCHAR, ZLOCATIONUUID VARCHAR,
  ZTARGETBUNDLEID VARCHAR, ZUUID VARCHAR);
CREATE TABLE ZKEYWORDS (Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER,
  ZKEYWORD VARCHAR);
CREATE TABLE Z_)sql" +
         a + "INTERACTIONS (Z_" + a + "ATTACHMENTS INTEGER, Z_" + i +
         "INTERACTIONS INTEGER, PRIMARY KEY (Z_" + a + "ATTACHMENTS, Z_" + i +
         "INTERACTIONS));\nCREATE TABLE Z_" + c + "INTERACTIONRECIPIENT (Z_" + c +
         "RECIPIENTS INTEGER, Z_" + i + "INTERACTIONRECIPIENT INTEGER, PRIMARY KEY (Z_" + c +
         "RECIPIENTS, Z_" + i + "INTERACTIONRECIPIENT));\nCREATE TABLE Z_" + i +
         "KEYWORDS (Z_" + i + "INTERACTIONS INTEGER, Z_4KEYWORDS INTEGER);\n";
}

constexpr double kNoon = 648302400;  // 2021-07-18 12:00:00 UTC, Mac absolute seconds
constexpr double kDay = 86400;

std::vector<std::unique_ptr<scan::Module>> interaction_only() {
  std::vector<std::unique_ptr<scan::Module>> m;
  m.push_back(make_interaction_c_module());
  return m;
}

std::string interaction_db(int attachment_ent = 1, int contact_ent = 2, int interaction_ent = 3) {
  SqlFixture db;
  db.exec(interaction_schema(attachment_ent, contact_ent, interaction_ent));
  // Contacts: a WhatsApp peer known by LID, two SMS recipients.
  db.run("INSERT INTO ZCONTACTS (Z_PK, Z_ENT, Z_OPT, ZINCOMINGSENDERCOUNT, ZCREATIONDATE, "
         "ZFIRSTINCOMINGSENDERDATE, ZLASTINCOMINGSENDERDATE, ZIDENTIFIER, ZDISPLAYNAME) VALUES "
         "(1, 2, 1, 4, ?, ?, ?, '100000000000001@lid', NULL)",
         {kNoon - 10 * kDay, kNoon - 5 * kDay, kNoon});
  db.run("INSERT INTO ZCONTACTS (Z_PK, Z_ENT, Z_OPT, ZIDENTIFIER, ZDISPLAYNAME) VALUES "
         "(2, 2, 1, '+41790000000', 'Bob'), (3, 2, 1, '+41790000001', '+41 79 000 00 01')",
         {});
  db.run("INSERT INTO ZINTERACTIONS (Z_PK, Z_ENT, Z_OPT, ZDIRECTION, ZISRESPONSE, ZMECHANISM, "
         "ZRECIPIENTCOUNT, ZSENDER, ZCREATIONDATE, ZENDDATE, ZSTARTDATE, ZBUNDLEID, "
         "ZTARGETBUNDLEID, ZDOMAINIDENTIFIER, ZUUID) VALUES "
         "(1, 3, 1, 0, 0, 4, 1, 1, ?, ?, ?, 'net.whatsapp.WhatsApp', NULL, NULL, 'U1'),"
         "(2, 3, 1, 1, 0, 4, 2, NULL, ?, ?, ?, 'com.apple.MobileSMS', "
         "'com.apple.MobileSMS', 'chat123', 'U2'),"
         "(3, 3, 1, 1, 0, 4, 0, NULL, ?, NULL, ?, 'com.evil.spy', 'com.evil.spy.share', NULL, "
         "'U3')",
         {kNoon + 1, kNoon + 30, kNoon, kNoon + 600 + 2 * kDay, kNoon + 600, kNoon + 600,
          kNoon + 1200, kNoon + 1200});
  db.run("INSERT INTO ZATTACHMENT (Z_PK, Z_ENT, Z_OPT, ZSIZEINBYTES, ZCONTENTTEXT, ZUTI, "
         "ZIDENTIFIER) VALUES (1, 1, 1, 5, 'hello', 'public.plain-text', X'0A0B')",
         {});
  const std::string a = std::to_string(attachment_ent);
  const std::string c = std::to_string(contact_ent);
  db.exec("INSERT INTO Z_" + a + "INTERACTIONS VALUES (1, 2);");
  db.exec("INSERT INTO Z_" + c + "INTERACTIONRECIPIENT VALUES (2, 2), (3, 2);");
  return db.bytes();
}

std::string whatsapp_contacts_db() {
  SqlFixture db;
  db.exec("CREATE TABLE ZWAADDRESSBOOKCONTACT (Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, "
          "Z_OPT INTEGER, ZFULLNAME VARCHAR, ZGIVENNAME VARCHAR, ZLID VARCHAR, "
          "ZPHONENUMBER VARCHAR, ZWHATSAPPID VARCHAR);"
          "INSERT INTO ZWAADDRESSBOOKCONTACT VALUES (1, 2, 1, 'Alice Example', 'Alice', "
          "'100000000000001@lid', '+14155550100', '14155550100@s.whatsapp.net');");
  return db.bytes();
}

TEST(InteractionC, RecordsTimelineAndAppIdAlert) {
  TempDir tmp;
  IosBackupBuilder b;
  EXPECT_EQ(b.add_file("HomeDomain", "Library/CoreDuet/People/interactionC.db", interaction_db()),
            "1f5a521220a3ad80ebfdc196978df8e7a2e49dee");
  b.add_file("AppDomainGroup-group.net.whatsapp.WhatsApp.shared", "ContactsV2.sqlite",
             whatsapp_contacts_db());
  const fs::path stix = testing::write_stix(tmp / "i.stix2", {{"app:id", "com.evil.spy"}});
  auto run = testing::run_ios_scan(interaction_only(), b.write(tmp / "backup"), tmp / "out", stix);
  ASSERT_TRUE(run.summary) << run.summary.error().message;
  const auto& s = *run.summary;
  EXPECT_EQ(s.modules[0].status, scan::ModuleStatus::kOk) << s.modules[0].error;
  EXPECT_EQ(s.modules[0].records, 4U);  // interaction 2 has two recipients: two rows, as MVT
  EXPECT_EQ(s.alerts_critical, 1U);     // com.evil.spy, not com.apple.MobileSMS

  const std::string json = read_file(tmp / "out" / "interaction_c.json");
  EXPECT_NE(json.find("\"start_date\": \"2021-07-18 12:00:00.000000\""), std::string::npos);
  EXPECT_NE(json.find("\"direction\": \"INCOMING\""), std::string::npos);
  EXPECT_NE(json.find("\"direction\": \"OUTGOING\""), std::string::npos);
  EXPECT_NE(json.find("\"content\": \"hello\""), std::string::npos);
  EXPECT_NE(json.find("\"attachment_id\": \"0A0B\""), std::string::npos);
  EXPECT_NE(json.find("\"recipient_display_name\": \"Bob\""), std::string::npos);
  EXPECT_NE(json.find("\"sender_resolved_phone_number\": \"+14155550100\""), std::string::npos);
  EXPECT_NE(json.find("\"sender_resolved_name\": \"Alice Example\""), std::string::npos);
  EXPECT_NE(json.find("\"table_id\": 3"), std::string::npos);

  const std::string detected = read_file(tmp / "out" / "interaction_c_detected.json");
  EXPECT_NE(detected.find("com.evil.spy"), std::string::npos);
  EXPECT_NE(detected.find("1f/1f5a521220a3ad80ebfdc196978df8e7a2e49dee"), std::string::npos);

  const std::string t = read_file(tmp / "out" / "timeline.csv");
  EXPECT_NE(t.find("\"2021-07-18 12:00:00.000000\",\"InteractionC\",\"start_date\","
                   "\"[net.whatsapp.WhatsApp] INCOMING from Alice Example (+14155550100) to "
                   "local user\""),
            std::string::npos)
      << t;
  EXPECT_NE(t.find("\"2021-07-18 12:00:30.000000\",\"InteractionC\",\"end_date\""),
            std::string::npos);
  // A creation date one second after the start is no event; two days after is one.
  EXPECT_EQ(t.find("\"2021-07-18 12:00:01.000000\""), std::string::npos);
  EXPECT_NE(t.find("\"2021-07-20 12:10:00.000000\",\"InteractionC\","
                   "\"interactions_creation_date\",\"Interaction record created 2 days after "
                   "the event: [com.apple.MobileSMS] OUTGOING from local user to Bob "
                   "(+41790000000): hello\""),
            std::string::npos);
  // The display name repeating the number is dropped.
  EXPECT_NE(t.find("OUTGOING from local user to +41790000001: hello\""), std::string::npos);
  // Interaction 3: no end date, creation equal to the start.
  EXPECT_NE(t.find("\"2021-07-18 12:20:00.000000\",\"InteractionC\",\"start_date\","
                   "\"[com.evil.spy] OUTGOING from local user to unknown\""),
            std::string::npos);
  // Per-contact aggregates, once per contact.
  const std::string first = "\"first_incoming_sender_date\",\"First incoming interaction from "
                            "Alice Example (+14155550100)\"";
  EXPECT_NE(t.find("\"2021-07-13 12:00:00.000000\",\"InteractionC\"," + first),
            std::string::npos);
  EXPECT_EQ(t.find(first), t.rfind(first));
  EXPECT_NE(t.find("\"2021-07-08 12:00:00.000000\",\"InteractionC\",\"contacts_creation_date\","
                   "\"Contact Alice Example (+14155550100) first recorded in interactionC\""),
            std::string::npos);
}

TEST(InteractionC, RenumberedJoinTablesAreFound) {
  TempDir tmp;
  IosBackupBuilder b;
  b.add_file("HomeDomain", "Library/CoreDuet/People/interactionC.db", interaction_db(2, 3, 4));
  auto run = testing::run_ios_scan(interaction_only(), b.write(tmp / "b"), tmp / "out");
  ASSERT_TRUE(run.summary);
  EXPECT_EQ(run.summary->modules[0].status, scan::ModuleStatus::kOk)
      << run.summary->modules[0].error;
  EXPECT_EQ(run.summary->modules[0].records, 4U);
  const std::string json = read_file(tmp / "out" / "interaction_c.json");
  EXPECT_NE(json.find("\"content\": \"hello\""), std::string::npos);
  EXPECT_NE(json.find("\"recipient_identifier\": \"+41790000001\""), std::string::npos);
  // Without ContactsV2.sqlite the WhatsApp peer stays a LID.
  EXPECT_NE(json.find("\"sender_resolved_phone_number\": null"), std::string::npos);
}

TEST(InteractionC, OldSchemaWithoutJoinTables) {
  // iOS 10-11: no attachments, no recipients, no target bundle id.
  SqlFixture db;
  db.exec("CREATE TABLE ZCONTACTS (Z_PK INTEGER PRIMARY KEY, ZCREATIONDATE TIMESTAMP, "
          "ZDISPLAYNAME VARCHAR, ZIDENTIFIER VARCHAR, ZPERSONID VARCHAR);"
          "CREATE TABLE ZINTERACTIONS (Z_PK INTEGER PRIMARY KEY, ZDIRECTION INTEGER, "
          "ZMECHANISM INTEGER, ZSENDER INTEGER, ZCREATIONDATE TIMESTAMP, ZENDDATE TIMESTAMP, "
          "ZSTARTDATE TIMESTAMP, ZACCOUNT VARCHAR, ZBUNDLEID VARCHAR);");
  db.run("INSERT INTO ZCONTACTS VALUES (1, ?, 'Carol', 'carol@example.org', 'P1')", {kNoon});
  db.run("INSERT INTO ZINTERACTIONS VALUES (1, 0, 3, 1, NULL, ?, ?, 'acct', "
         "'com.apple.mobilemail')",
         {kNoon + 60, kNoon});
  TempDir tmp;
  IosBackupBuilder b;
  b.add_file("HomeDomain", "Library/CoreDuet/People/interactionC.db", db.bytes());
  auto run = testing::run_ios_scan(interaction_only(), b.write(tmp / "b"), tmp / "out");
  ASSERT_TRUE(run.summary);
  EXPECT_EQ(run.summary->modules[0].status, scan::ModuleStatus::kOk)
      << run.summary->modules[0].error;
  const std::string json = read_file(tmp / "out" / "interaction_c.json");
  EXPECT_NE(json.find("\"mechanism\": 3"), std::string::npos);
  EXPECT_NE(json.find("\"content\": null"), std::string::npos);
  EXPECT_NE(json.find("\"target_bundle_id\": null"), std::string::npos);
  const std::string t = read_file(tmp / "out" / "timeline.csv");
  EXPECT_NE(t.find("\"[com.apple.mobilemail] acct INCOMING from Carol (carol@example.org) to "
                   "local user\""),
            std::string::npos)
      << t;
}

TEST(InteractionC, AbsentTruncatedAndUnknownSchema) {
  TempDir tmp;
  {
    IosBackupBuilder b;
    b.add_file("HomeDomain", "Library/CoreDuet/knowledgeC.db", "x");
    auto run = testing::run_ios_scan(interaction_only(), b.write(tmp / "absent"), {});
    ASSERT_TRUE(run.summary);
    EXPECT_EQ(run.summary->modules[0].status, scan::ModuleStatus::kNotPresent);
  }
  {
    IosBackupBuilder b;
    std::string bytes = interaction_db();
    bytes.resize(bytes.size() / 2);
    b.add_file("HomeDomain", "Library/CoreDuet/People/interactionC.db", bytes);
    auto run = testing::run_ios_scan(interaction_only(), b.write(tmp / "truncated"), {});
    ASSERT_TRUE(run.summary);
    EXPECT_EQ(run.summary->modules[0].status, scan::ModuleStatus::kFailed);
    EXPECT_NE(run.summary->modules[0].error.find("interactionC.db"), std::string::npos);
  }
  {
    SqlFixture db;
    db.exec("CREATE TABLE ZINTERACTIONS (Z_PK INTEGER PRIMARY KEY, ZWHEN TIMESTAMP);");
    IosBackupBuilder b;
    b.add_file("HomeDomain", "Library/CoreDuet/People/interactionC.db", db.bytes());
    auto run = testing::run_ios_scan(interaction_only(), b.write(tmp / "schema"), {});
    ASSERT_TRUE(run.summary);
    EXPECT_EQ(run.summary->modules[0].status, scan::ModuleStatus::kFailed);
    EXPECT_NE(run.summary->modules[0].error.find(
                  "unknown schema: table ZINTERACTIONS(Z_PK, ZWHEN) lacks column(s) ZSTARTDATE, "
                  "ZBUNDLEID"),
              std::string::npos)
        << run.summary->modules[0].error;
  }
}

}  // namespace
}  // namespace spyglass::artifacts::ios
