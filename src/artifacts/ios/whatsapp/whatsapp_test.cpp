#include "artifacts/ios/whatsapp/whatsapp.hpp"

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

// ChatStorage.sqlite as WhatsApp 2.23-2.24 for iOS writes it (Core Data, column order as on
// device; TIMESTAMP = REAL Mac absolute seconds).
constexpr const char* kChatStorageSchema = R"sql(
CREATE TABLE ZWACHATSESSION (Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER,
  ZARCHIVED INTEGER, ZCONTACTABID INTEGER, ZFLAGS INTEGER, ZHIDDEN INTEGER,
  ZIDENTITYVERIFICATIONEPOCH INTEGER, ZIDENTITYVERIFICATIONSTATE INTEGER,
  ZMESSAGECOUNTER INTEGER, ZREMOVED INTEGER, ZSESSIONTYPE INTEGER, ZSPOTLIGHTSTATUS INTEGER,
  ZUNREADCOUNT INTEGER, ZGROUPINFO INTEGER, ZLASTMESSAGE INTEGER, ZPROPERTIES INTEGER,
  ZLASTMESSAGEDATE TIMESTAMP, ZLOCATIONSHARINGENDDATE TIMESTAMP, ZCONTACTIDENTIFIER VARCHAR,
  ZCONTACTJID VARCHAR, ZETAG VARCHAR, ZLASTMESSAGETEXT VARCHAR, ZPARTNERNAME VARCHAR,
  ZSAVEDINPUT VARCHAR);
CREATE TABLE ZWAMESSAGE (Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER,
  ZCHILDMESSAGESDELIVEREDCOUNT INTEGER, ZCHILDMESSAGESPLAYEDCOUNT INTEGER,
  ZCHILDMESSAGESREADCOUNT INTEGER, ZDATAITEMVERSION INTEGER, ZDOCID INTEGER,
  ZENCRETRYCOUNT INTEGER, ZFILTEREDRECIPIENTCOUNT INTEGER, ZFLAGS INTEGER,
  ZGROUPEVENTTYPE INTEGER, ZISFROMME INTEGER, ZMESSAGEERRORSTATUS INTEGER,
  ZMESSAGESTATUS INTEGER, ZMESSAGETYPE INTEGER, ZSORT INTEGER, ZSPOTLIGHTSTATUS INTEGER,
  ZSTARRED INTEGER, ZCHATSESSION INTEGER, ZGROUPMEMBER INTEGER, ZLASTSESSION INTEGER,
  ZMEDIAITEM INTEGER, ZMESSAGEINFO INTEGER, ZPARENTMESSAGE INTEGER, ZMESSAGEDATE TIMESTAMP,
  ZSENTDATE TIMESTAMP, ZFROMJID VARCHAR, ZMEDIASECTIONID VARCHAR, ZPHASH VARCHAR,
  ZPUSHNAME VARCHAR, ZSTANZAID VARCHAR, ZTEXT VARCHAR, ZTOJID VARCHAR);
CREATE TABLE ZWAMEDIAITEM (Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER,
  ZCLOUDSTATUS INTEGER, ZFILESIZE INTEGER, ZMEDIAORIGIN INTEGER, ZMOVIEDURATION INTEGER,
  ZMESSAGE INTEGER, ZASPECTRATIO FLOAT, ZHACCURACY FLOAT, ZLATITUDE FLOAT, ZLONGITUDE FLOAT,
  ZMEDIAURLDATE TIMESTAMP, ZAUTHORNAME VARCHAR, ZCOLLECTIONNAME VARCHAR,
  ZMEDIALOCALPATH VARCHAR, ZMEDIAURL VARCHAR, ZTHUMBNAILLOCALPATH VARCHAR, ZTITLE VARCHAR,
  ZVCARDNAME VARCHAR, ZVCARDSTRING VARCHAR, ZXMPPTHUMBPATH VARCHAR, ZMEDIAKEY BLOB,
  ZMETADATA BLOB);
CREATE TABLE ZWAMESSAGEDATAITEM (Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER,
  ZINDEX INTEGER, ZTYPE INTEGER, ZMESSAGE INTEGER, ZDATE TIMESTAMP, ZCONTENT1 VARCHAR,
  ZCONTENT2 VARCHAR, ZMATCHEDTEXT VARCHAR, ZSECTIONID VARCHAR, ZSENDERJID VARCHAR,
  ZSUMMARY VARCHAR, ZTITLE VARCHAR, ZMETADATA BLOB);
CREATE TABLE ZWAGROUPINFO (Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER,
  ZSTATE INTEGER, ZCHATSESSION INTEGER, ZLASTMESSAGEOWNER INTEGER, ZCREATIONDATE TIMESTAMP,
  ZSUBJECTTIMESTAMP TIMESTAMP, ZCREATORJID VARCHAR, ZOWNERJID VARCHAR, ZPICTUREID VARCHAR,
  ZPICTUREPATH VARCHAR, ZSOURCEJID VARCHAR, ZSUBJECTOWNERJID VARCHAR);
CREATE INDEX ZWAMESSAGE_ZCHATSESSION_INDEX ON ZWAMESSAGE (ZCHATSESSION);
CREATE INDEX ZWAMEDIAITEM_ZMESSAGE_INDEX ON ZWAMEDIAITEM (ZMESSAGE);
CREATE INDEX ZWAMESSAGEDATAITEM_ZMESSAGE_INDEX ON ZWAMESSAGEDATAITEM (ZMESSAGE);
)sql";

constexpr const char* kLidPairSchema =
    "CREATE TABLE ZWAPHONENUMBERLIDPAIR (Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, "
    "Z_OPT INTEGER, ZTIMESTAMP TIMESTAMP, ZLID VARCHAR, ZPHONENUMBER VARCHAR);";

// 2021-07-18 12:00:00 UTC in Mac absolute seconds.
constexpr double kNoon = 648302400;

std::vector<std::unique_ptr<scan::Module>> whatsapp_only() {
  std::vector<std::unique_ptr<scan::Module>> m;
  m.push_back(make_whatsapp_module());
  return m;
}

struct Message {
  std::int64_t pk;
  std::int64_t session;
  double date;
  std::optional<std::string> text;
  std::optional<std::string> from_jid;
};

void add_message(SqlFixture& db, const Message& m) {
  db.run(
      "INSERT INTO ZWAMESSAGE (Z_PK, Z_ENT, Z_OPT, ZISFROMME, ZMESSAGETYPE, ZCHATSESSION, "
      "ZMESSAGEDATE, ZSENTDATE, ZFROMJID, ZSTANZAID, ZTEXT) VALUES (?, 9, 1, ?, 0, ?, ?, ?, ?, ?, ?)",
      {m.pk, std::int64_t{m.from_jid ? 0 : 1}, m.session, m.date, m.date,
       spyglass::testing::sql_opt(m.from_jid), "STANZA" + std::to_string(m.pk),
       spyglass::testing::sql_opt(m.text)});
}

std::string chat_storage() {
  SqlFixture db;
  db.exec(kChatStorageSchema);
  db.run("INSERT INTO ZWACHATSESSION (Z_PK, Z_ENT, Z_OPT, ZARCHIVED, ZMESSAGECOUNTER, ZREMOVED, "
         "ZSESSIONTYPE, ZGROUPINFO, ZLASTMESSAGEDATE, ZCONTACTJID, ZPARTNERNAME) VALUES "
         "(1, 4, 1, 0, 3, 0, 0, NULL, ?, '100000000000001@lid', 'Alice Example'),"
         "(2, 4, 1, 0, 1, 0, 1, 1, ?, '120363000000000001@g.us', 'Example Group')",
         {kNoon + 7200, kNoon + 300});
  db.run("INSERT INTO ZWAGROUPINFO (Z_PK, Z_ENT, Z_OPT, ZCHATSESSION, ZCREATIONDATE, "
         "ZCREATORJID) VALUES (1, 3, 1, 2, ?, '14155550100@s.whatsapp.net')",
         {kNoon - 86400});
  const std::string alice = "100000000000001@lid";
  add_message(db, {1, 1, kNoon, "see https://Evil-WA.example/x now\nok", alice});
  add_message(db, {2, 1, kNoon + 60, std::nullopt, alice});  // a photo
  add_message(db, {3, 1, kNoon + 120, "look at this", std::nullopt});
  add_message(db, {4, 2, kNoon + 300, "go to evil-bare-wa.net/login please", alice});
  db.run("INSERT INTO ZWAMEDIAITEM (Z_PK, Z_ENT, Z_OPT, ZMESSAGE, ZFILESIZE, ZMEDIALOCALPATH, "
         "ZMEDIAURL, ZAUTHORNAME) VALUES (1, 7, 1, 2, 1024, 'Media/x.jpg', "
         "'https://mmg.whatsapp.net/v/t62.7118-24/1234_5678.enc?ccb=11-4&oh=01', NULL),"
         "(2, 7, 1, 3, 0, NULL, 'https://media-mxp1-1.cdn.whatsapp.net/v/t62/abc.enc', NULL)",
         {});
  db.run("INSERT INTO ZWAMESSAGEDATAITEM (Z_PK, Z_ENT, Z_OPT, ZINDEX, ZTYPE, ZMESSAGE, "
         "ZCONTENT1, ZMATCHEDTEXT, ZSUMMARY, ZTITLE) VALUES (1, 8, 1, 0, 0, 3, "
         "'https://benign.example/article', 'https://benign.example/article', 'A summary', "
         "'An article')",
         {});
  return db.bytes();
}

std::string lid_db() {
  SqlFixture db;
  db.exec(kLidPairSchema);
  db.run("INSERT INTO ZWAPHONENUMBERLIDPAIR (Z_PK, Z_ENT, Z_OPT, ZTIMESTAMP, ZLID, ZPHONENUMBER) "
         "VALUES (1, 1, 1, ?, '100000000000001', '14155550100')",
         {kNoon - 3600});
  return db.bytes();
}

TEST(Whatsapp, MediaHostsAreNotLinks) {
  EXPECT_TRUE(is_whatsapp_media_link("https://mmg.whatsapp.net/d/f/abc.enc"));
  EXPECT_TRUE(is_whatsapp_media_link("https://MMG-FNA.whatsapp.net/d/f/abc.enc"));
  EXPECT_TRUE(is_whatsapp_media_link("https://media-mxp1-1.cdn.whatsapp.net/v/t62/abc.enc"));
  EXPECT_TRUE(is_whatsapp_media_link("https://media.fmad3-1.fna.whatsapp.net/v/abc"));
  EXPECT_TRUE(is_whatsapp_media_link("https://pps.whatsapp.net:443/v/t61/pic"));
  // Lookalikes and hosts that merely mention WhatsApp are links like any other.
  EXPECT_FALSE(is_whatsapp_media_link("https://mmg.whatsapp.net.evil.example/x"));
  EXPECT_FALSE(is_whatsapp_media_link("https://mmg.whatsapp.net@evil.example/x"));
  EXPECT_FALSE(is_whatsapp_media_link("https://evil.example/mmg.whatsapp.net/x"));
  EXPECT_FALSE(is_whatsapp_media_link("https://chat.whatsapp.com/AbCdEf"));
  EXPECT_FALSE(is_whatsapp_media_link("https://mediaevil.example/"));
}

TEST(Whatsapp, RecordsLinksTimelineAndAlerts) {
  TempDir tmp;
  IosBackupBuilder b;
  const std::string id = b.add_file(kGroup, "ChatStorage.sqlite", chat_storage());
  EXPECT_EQ(id, "7c7fba66680ef796b916b067077cc246adacf01d");
  EXPECT_EQ(b.add_file(kGroup, "LID.sqlite", lid_db()),
            "e794f6ffcc3c222535f47684a63d5178da3c4500");
  const fs::path backup = b.write(tmp / "backup");
  const fs::path stix = testing::write_stix(
      tmp / "i.stix2", {{"domain-name:value", "evil-wa.example"},
                        {"domain-name:value", "evil-bare-wa.net"},
                        {"domain-name:value", "mmg.whatsapp.net"}});

  auto run = testing::run_ios_scan(whatsapp_only(), backup, tmp / "out", stix);
  ASSERT_TRUE(run.summary) << run.summary.error().message;
  const auto& s = *run.summary;
  ASSERT_EQ(s.modules.size(), 1U);
  EXPECT_EQ(s.modules[0].status, scan::ModuleStatus::kOk) << s.modules[0].error;
  EXPECT_EQ(s.modules[0].records, 7U);  // 4 messages, 1 LID pair, 2 chats
  // The link in message 1 and the bare domain in message 4; never the media host.
  EXPECT_EQ(s.alerts_critical, 2U);

  const std::string json = read_file(tmp / "out" / "whatsapp.json");
  EXPECT_NE(json.find("\"isodate\": \"2021-07-18 12:00:00.000000\""), std::string::npos);
  EXPECT_NE(json.find("\"links\": [\n            \"https://Evil-WA.example/x\"\n"),
            std::string::npos);
  // The preview repeats the text's URL: one link.
  EXPECT_NE(json.find("\"links\": [\n            \"https://benign.example/article\"\n        ]"),
            std::string::npos);
  EXPECT_NE(json.find("\"ZTITLE\": \"An article\""), std::string::npos);
  EXPECT_NE(json.find("\"ZTEXT\": \"\""), std::string::npos);  // the photo
  EXPECT_NE(json.find("\"record_type\": \"lid_phone_number_pair\""), std::string::npos);
  EXPECT_NE(json.find("\"partner_resolved_phone_number\": \"+14155550100\""), std::string::npos);
  EXPECT_NE(json.find("\"stored_message_count\": 3"), std::string::npos);
  EXPECT_NE(json.find("\"group_creation_date\": \"2021-07-17 12:00:00.000000\""),
            std::string::npos);

  const std::string urls = read_file(tmp / "out" / "urls.json");
  EXPECT_NE(urls.find("\"url\": \"https://Evil-WA.example/x\""), std::string::npos);
  EXPECT_NE(urls.find("\"source\": \"whatsapp\""), std::string::npos);
  EXPECT_NE(urls.find("https://benign.example/article"), std::string::npos);
  EXPECT_EQ(urls.find("whatsapp.net"), std::string::npos);

  const std::string detected = read_file(tmp / "out" / "whatsapp_detected.json");
  EXPECT_NE(detected.find("evil-wa.example"), std::string::npos);
  EXPECT_NE(detected.find("evil-bare-wa.net"), std::string::npos);
  EXPECT_EQ(detected.find("\"level\": \"HIGH\""), std::string::npos);
  EXPECT_NE(detected.find("7c/7c7fba66680ef796b916b067077cc246adacf01d"), std::string::npos);

  const std::string timeline = read_file(tmp / "out" / "timeline.csv");
  EXPECT_NE(timeline.find("\"2021-07-18 12:00:00.000000\",\"Whatsapp\",\"message\",\"'see "
                          "https://Evil-WA.example/x now\\\\nok' from 100000000000001@lid - "
                          "Embedded links: https://Evil-WA.example/x\""),
            std::string::npos)
      << timeline;
  EXPECT_NE(timeline.find("\"lid_pair_recorded\",\"WhatsApp associated LID 100000000000001 with "
                          "phone number 14155550100\""),
            std::string::npos);
  EXPECT_NE(timeline.find("\"2021-07-17 12:00:00.000000\",\"Whatsapp\",\"group_created\","
                          "\"WhatsApp group chat 'Example Group' (120363000000000001@g.us) was "
                          "created\""),
            std::string::npos);
  EXPECT_NE(timeline.find("\"2021-07-18 12:00:00.000000\",\"Whatsapp\",\"chat_first_message\","
                          "\"First stored message in WhatsApp chat with 'Alice Example' "
                          "(+14155550100)\""),
            std::string::npos);
  // The session's own date (12:00 + 2 h) wins over the newest stored message (12:02).
  EXPECT_NE(timeline.find("\"2021-07-18 14:00:00.000000\",\"Whatsapp\",\"chat_last_message\""),
            std::string::npos);
  EXPECT_NE(std::find(run.files_read.begin(), run.files_read.end(),
                      "e7/e794f6ffcc3c222535f47684a63d5178da3c4500"),
            run.files_read.end());
}

TEST(Whatsapp, NoAlertWithoutMatchingIndicator) {
  TempDir tmp;
  IosBackupBuilder b;
  b.add_file(kGroup, "ChatStorage.sqlite", chat_storage());
  const fs::path stix =
      testing::write_stix(tmp / "i.stix2", {{"domain-name:value", "unrelated.example"}});
  auto run = testing::run_ios_scan(whatsapp_only(), b.write(tmp / "b"), tmp / "out", stix);
  ASSERT_TRUE(run.summary);
  EXPECT_EQ(run.summary->modules[0].status, scan::ModuleStatus::kOk);
  EXPECT_EQ(run.summary->modules[0].records, 6U);  // no LID.sqlite, no pairs in the store
  EXPECT_EQ(run.summary->alerts_critical + run.summary->alerts_high +
                run.summary->alerts_medium + run.summary->alerts_low,
            0U);
  // Without LID.sqlite the chat keeps its LID.
  EXPECT_NE(read_file(tmp / "out" / "timeline.csv")
                .find("First stored message in WhatsApp chat with 'Alice Example' "
                      "(100000000000001@lid)"),
            std::string::npos);
}

TEST(Whatsapp, LidPairsInChatStorageAndOlderSchema) {
  // Older stores: no link-preview table, no ZWAGROUPINFO, the LID pairs inside ChatStorage.
  SqlFixture db;
  db.exec("CREATE TABLE ZWAMESSAGE (Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, "
          "ZCHATSESSION INTEGER, ZMEDIAITEM INTEGER, ZMESSAGEDATE TIMESTAMP, ZFROMJID VARCHAR, "
          "ZTEXT VARCHAR);"
          "CREATE TABLE ZWAMEDIAITEM (Z_PK INTEGER PRIMARY KEY, ZMESSAGE INTEGER, "
          "ZMEDIAURL VARCHAR);"
          "CREATE TABLE ZWACHATSESSION (Z_PK INTEGER PRIMARY KEY, ZCONTACTJID VARCHAR, "
          "ZPARTNERNAME VARCHAR, ZLASTMESSAGEDATE TIMESTAMP);");
  db.exec(kLidPairSchema);
  db.run("INSERT INTO ZWAMESSAGE VALUES (1, 9, 1, 1, NULL, ?, '77@lid', "
         "'http://evil-old.example/p')",
         {kNoon});
  db.run("INSERT INTO ZWACHATSESSION VALUES (1, '77@lid', NULL, ?)", {kNoon});
  db.run("INSERT INTO ZWAPHONENUMBERLIDPAIR (Z_PK, ZTIMESTAMP, ZLID, ZPHONENUMBER) VALUES "
         "(1, ?, '77@lid', '+4179000000@s.whatsapp.net')",
         {kNoon - 60});
  TempDir tmp;
  IosBackupBuilder b;
  b.add_file(kGroup, "ChatStorage.sqlite", db.bytes());
  const fs::path stix =
      testing::write_stix(tmp / "i.stix2", {{"domain-name:value", "evil-old.example"}});
  auto run = testing::run_ios_scan(whatsapp_only(), b.write(tmp / "b"), tmp / "out", stix);
  ASSERT_TRUE(run.summary);
  EXPECT_EQ(run.summary->modules[0].status, scan::ModuleStatus::kOk)
      << run.summary->modules[0].error;
  EXPECT_EQ(run.summary->modules[0].records, 3U);
  EXPECT_EQ(run.summary->alerts_critical, 1U);
  const std::string json = read_file(tmp / "out" / "whatsapp.json");
  EXPECT_NE(json.find("\"ZCONTENT1\": null"), std::string::npos);
  EXPECT_NE(json.find("\"ZAUTHORNAME\": null"), std::string::npos);
  EXPECT_NE(read_file(tmp / "out" / "timeline.csv").find("WhatsApp chat with +4179000000"),
            std::string::npos);
}

TEST(Whatsapp, AbsentTruncatedAndUnknownSchema) {
  TempDir tmp;
  {
    IosBackupBuilder b;
    b.add_file(kGroup, "LID.sqlite", lid_db());  // the LID db alone is no WhatsApp store
    auto run = testing::run_ios_scan(whatsapp_only(), b.write(tmp / "absent"), {});
    ASSERT_TRUE(run.summary);
    EXPECT_EQ(run.summary->modules[0].status, scan::ModuleStatus::kNotPresent);
  }
  {
    IosBackupBuilder b;
    std::string bytes = chat_storage();
    bytes.resize(bytes.size() / 3);
    b.add_file(kGroup, "ChatStorage.sqlite", bytes);
    auto run = testing::run_ios_scan(whatsapp_only(), b.write(tmp / "truncated"), {});
    ASSERT_TRUE(run.summary);
    EXPECT_EQ(run.summary->modules[0].status, scan::ModuleStatus::kFailed);
    EXPECT_NE(run.summary->modules[0].error.find("ChatStorage.sqlite"), std::string::npos);
  }
  {
    SqlFixture db;
    db.exec("CREATE TABLE ZWAMESSAGE (Z_PK INTEGER PRIMARY KEY, ZBODY VARCHAR);");
    IosBackupBuilder b;
    b.add_file(kGroup, "ChatStorage.sqlite", db.bytes());
    auto run = testing::run_ios_scan(whatsapp_only(), b.write(tmp / "schema"), {});
    ASSERT_TRUE(run.summary);
    EXPECT_EQ(run.summary->modules[0].status, scan::ModuleStatus::kFailed);
    EXPECT_NE(run.summary->modules[0].error.find(
                  "unknown schema: table ZWAMESSAGE(Z_PK, ZBODY) lacks column(s) ZMESSAGEDATE, "
                  "ZTEXT"),
              std::string::npos)
        << run.summary->modules[0].error;
  }
  {
    // A readable store with a broken LID.sqlite: messages are reported, the scan is not
    // called complete.
    IosBackupBuilder b;
    b.add_file(kGroup, "ChatStorage.sqlite", chat_storage());
    b.add_file(kGroup, "LID.sqlite", "not a database at all, just text");
    auto run = testing::run_ios_scan(whatsapp_only(), b.write(tmp / "badlid"), tmp / "o4");
    ASSERT_TRUE(run.summary);
    EXPECT_EQ(run.summary->modules[0].status, scan::ModuleStatus::kFailed);
    EXPECT_NE(run.summary->modules[0].error.find("LID.sqlite"), std::string::npos);
    EXPECT_EQ(run.summary->modules[0].records, 6U);
  }
}

}  // namespace
}  // namespace spyglass::artifacts::ios
