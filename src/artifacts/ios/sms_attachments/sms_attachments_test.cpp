#include "artifacts/ios/sms_attachments/sms_attachments.hpp"

#include <gtest/gtest.h>

#include "artifacts/ios/ios_test_support.hpp"
#include "artifacts/ios/sms/sms_db_fixture.hpp"
#include "support/ios_backup_builder.hpp"

namespace spyglass::artifacts::ios {
namespace {

namespace fs = std::filesystem;
using spyglass::testing::IosBackupBuilder;
using spyglass::testing::read_file;
using spyglass::testing::TempDir;

std::vector<std::unique_ptr<scan::Module>> module() {
  std::vector<std::unique_ptr<scan::Module>> m;
  m.push_back(make_sms_attachments_module());
  return m;
}

TEST(SmsAttachments, PathsHeuristicAndJoins) {
  EXPECT_TRUE(is_suspicious_attachment_path("/var/tmp/com.apple.messages/x.gif-1"));
  EXPECT_FALSE(is_suspicious_attachment_path("/var/tmp/x.gif"));
  EXPECT_FALSE(is_suspicious_attachment_path("~/Library/SMS/Attachments/x-1"));

  TempDir tmp;
  const std::string inserts =
      "INSERT INTO handle(ROWID, id, service) VALUES (1, '+41790000000', 'iMessage');"
      "INSERT INTO message(ROWID, guid, handle_id, service, date) VALUES"
      " (10, 'M1', 1, 'iMessage', 648302400000000000);"
      "INSERT INTO attachment(ROWID, guid, original_guid, created_date, filename, transfer_name,"
      " total_bytes, is_outgoing, user_info) VALUES"
      " (1, 'A1', 'O1', 648302400, '/var/tmp/com.apple.messages/evil.gif-1', 'evil.gif', 748,"
      " 0, x'62706c6973743030'),"
      " (2, 'A2', 'O2', 648302460, '/var/tmp/sent.gif-1', 'sent.gif', 10, 1, NULL),"
      " (3, 'A3', 'O3', 0, NULL, NULL, 0, 0, NULL),"
      " (4, 'A4', 'O4', 648302500, '~/Library/SMS/Attachments/ab/cd/spy.mov', 'spy.mov', 5, 0,"
      " NULL);"
      "INSERT INTO message_attachment_join VALUES (10, 1);";
  IosBackupBuilder b;
  b.add_file("HomeDomain", "Library/SMS/sms.db", testing::make_sms_db(tmp.path(), inserts));
  const fs::path stix = testing::write_stix(tmp / "i.stix2", {{"file:name", "spy.mov"}});
  auto run = testing::run_ios_scan(module(), b.write(tmp / "backup"), tmp / "out", stix);
  ASSERT_TRUE(run.summary) << run.summary.error().message;
  const auto& s = *run.summary;
  EXPECT_EQ(s.modules[0].status, scan::ModuleStatus::kOk) << s.modules[0].error;
  EXPECT_EQ(s.modules[0].records, 4U);  // every attachment, joined or not
  EXPECT_EQ(s.alerts_medium, 1U);       // received /var/tmp/...-1 only, not the sent one
  EXPECT_EQ(s.alerts_high, 1U);         // the file-name indicator on a path: HIGH as MVT
  const std::string json = read_file(tmp / "out" / "sms_attachments.json");
  EXPECT_NE(json.find("\"attachment_id\": 1"), std::string::npos);
  EXPECT_NE(json.find("\"phone_number\": \"+41790000000\""), std::string::npos);
  EXPECT_NE(json.find("\"filename\": \"NULL\""), std::string::npos);
  EXPECT_NE(json.find("\"service\": \"Unknown\""), std::string::npos);
  EXPECT_NE(json.find("\"has_user_info\": true"), std::string::npos);
  EXPECT_NE(json.find("\"isodate\": \"2021-07-18 12:00:00.000000\""), std::string::npos);
  EXPECT_NE(json.find("\"direction\": \"sent\""), std::string::npos);
  const std::string timeline = read_file(tmp / "out" / "timeline.csv");
  EXPECT_NE(timeline.find("iMessage: Attachment \"\"evil.gif\"\" received from +41790000000 "
                          "with 748 bytes"),
            std::string::npos)
      << timeline;
}

TEST(SmsAttachments, UnknownSchemaFails) {
  TempDir tmp;
  IosBackupBuilder b;
  b.add_file("HomeDomain", "Library/SMS/sms.db",
             testing::make_sqlite_bytes(tmp.path(), "CREATE TABLE message(ROWID, text);", ""));
  auto run = testing::run_ios_scan(module(), b.write(tmp / "backup"), {});
  ASSERT_TRUE(run.summary);
  EXPECT_EQ(run.summary->modules[0].status, scan::ModuleStatus::kFailed);
  EXPECT_NE(run.summary->modules[0].error.find("no table attachment"), std::string::npos)
      << run.summary->modules[0].error;
}

}  // namespace
}  // namespace spyglass::artifacts::ios
