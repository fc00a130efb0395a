#include "artifacts/ios/contacts/contacts.hpp"

#include <gtest/gtest.h>

#include "artifacts/ios/ios_test_support.hpp"
#include "formats/json/json_writer.hpp"
#include "support/ios_backup_builder.hpp"
#include "support/ios_fixtures_contacts.hpp"
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
using st::CollectingSink;
using st::ContactPerson;
using st::IosBackupBuilder;
using st::TempDir;

constexpr const char* kDomain = "HomeDomain";
constexpr const char* kPath = "Library/AddressBook/AddressBook.sqlitedb";
constexpr const char* kFsPath = "private/var/mobile/Library/AddressBook/AddressBook.sqlitedb";

std::vector<ContactPerson> sample_people() {
  ContactPerson alice{1, "Alice", std::nullopt, "Example", std::nullopt, {}};
  alice.values = {{3, "_$!<Mobile>!$_", "+41 79 123 45 67"},
                  {4, "_$!<Work>!$_", "alice@work.example"},
                  {5, "_$!<Home>!$_", std::nullopt}};  // a postal address: its parts elsewhere
  ContactPerson org{2, std::nullopt, std::nullopt, std::nullopt, "Evil Corp", {}};
  org.values = {{4, std::nullopt, "Sales@Evil.example"},
                {22, "_$!<HomePage>!$_", "https://portal.evil.example/login"}};
  ContactPerson nobody{3, "Bob", "B.", "Nobody", std::nullopt, {}};  // no values at all
  return {alice, org, nobody};
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
  f.file_id = "31bb7ba8914766d4ba40d6dfb6113c8b614be442";
  f.evidence_path = "31/" + f.file_id;
  out.result = read_contacts(*db, f, out.sink);
  return out;
}

TEST(Contacts, FileIdIsMvts) {
  EXPECT_EQ(IosBackupBuilder::file_id(kDomain, kPath), "31bb7ba8914766d4ba40d6dfb6113c8b614be442");
}

TEST(Contacts, OneRecordPerValueWithNamesAndLabels) {
  auto p = parse(st::address_book_db(sample_people()));
  ASSERT_TRUE(p.result) << p.result.error().message;
  ASSERT_EQ(p.sink.records.size(), 4U);
  EXPECT_EQ(json::to_json_line(p.sink.records[0].data),
            "{\"value\": \"+41 79 123 45 67\", \"first\": \"Alice\", \"middle\": null, "
            "\"last\": \"Example\", \"organization\": null, \"property\": 3, "
            "\"label\": \"_$!<Mobile>!$_\", \"person_id\": 1}");
  EXPECT_TRUE(p.sink.records[0].observables.empty());  // a phone number
  EXPECT_EQ(st::observed(p.sink.records[1], ObservableKind::kEmail),
            (std::vector<std::string>{"alice@work.example"}));
  EXPECT_EQ(p.sink.records[1].observables[0].level, report::AlertLevel::kCritical);
  EXPECT_EQ(st::data_text(p.sink.records[2], "organization"), "Evil Corp");
  EXPECT_TRUE(p.sink.records[2].data.find("label")->is_null());
  EXPECT_EQ(st::observed(p.sink.records[3], ObservableKind::kUrl),
            (std::vector<std::string>{"https://portal.evil.example/login"}));
  EXPECT_NE(p.sink.records[3].provenance.locator.find("ABPerson ROWID 2"), std::string::npos);
  for (const auto& r : p.sink.records) {
    EXPECT_TRUE(r.timeline.empty());
    EXPECT_FALSE(r.time);
  }
  EXPECT_TRUE(st::findings(p.sink).empty());
}

TEST(Contacts, UnknownSchemaFailsNamingTheTable) {
  st::SqlFixture db;
  db.exec(
      "CREATE TABLE ABPerson (ROWID INTEGER PRIMARY KEY, First TEXT, Last TEXT, Middle TEXT, "
      "Organization TEXT);"
      "CREATE TABLE ABMultiValue (UID INTEGER PRIMARY KEY, record_id INTEGER, value TEXT);");
  auto p = parse(db.bytes());
  ASSERT_FALSE(p.result);
  EXPECT_EQ(p.result.error().code, ErrorCode::kMalformed);
  EXPECT_NE(p.result.error().message.find("ABMultiValue(UID, record_id, value)"), std::string::npos)
      << p.result.error().message;
  EXPECT_NE(p.result.error().message.find("property"), std::string::npos);

  st::SqlFixture contacts_framework;  // the newer Contacts store is a different file
  contacts_framework.exec("CREATE TABLE ZCONTACT (Z_PK INTEGER PRIMARY KEY);");
  p = parse(contacts_framework.bytes());
  ASSERT_FALSE(p.result);
  EXPECT_NE(p.result.error().message.find("no table ABPerson"), std::string::npos)
      << p.result.error().message;
}

TEST(Contacts, ScanAlertsCriticalOnAPlantedEmailAndDomain) {
  TempDir tmp;
  IosBackupBuilder b;
  b.add_file(kDomain, kPath, st::address_book_db(sample_people()));
  // Case differs from the stored value: e-mail indicators are case-insensitive.
  const fs::path stix =
      its::write_stix(tmp / "i.stix2", {{"email-addr:value", "sales@evil.example"},
                                        {"domain-name:value", "portal.evil.example"},
                                        {"email-addr:value", "x@y.example"}});
  std::vector<std::unique_ptr<scan::Module>> modules;
  modules.push_back(make_contacts_module());
  auto run = its::run_ios_scan(std::move(modules), b.write(tmp / "backup"), tmp / "out", stix);
  ASSERT_TRUE(run.summary) << run.summary.error().message;
  const auto& s = *run.summary;
  EXPECT_EQ(s.modules[0].status, scan::ModuleStatus::kOk) << s.modules[0].error;
  EXPECT_EQ(s.modules[0].records, 4U);
  // The e-mail and the homepage URL's host (not the e-mail's domain, evil.example); the
  // phone and alice@work.example do not match.
  EXPECT_EQ(s.alerts_critical, 2U);
  EXPECT_EQ(s.alerts_high + s.alerts_medium + s.alerts_low, 0U);
  const std::string detected = st::read_file(tmp / "out" / "contacts_detected.json");
  EXPECT_NE(detected.find("Sales@Evil.example"), std::string::npos) << detected;
  EXPECT_EQ(detected.find("alice@work.example"), std::string::npos) << detected;
  EXPECT_FALSE(fs::exists(tmp / "out" / "timeline.csv") &&
               st::read_file(tmp / "out" / "timeline.csv").find("Contacts") != std::string::npos);
}

TEST(Contacts, BackupAndFilesystemDumpGiveTheSameRecords) {
  TempDir tmp;
  const std::string db = st::address_book_db(sample_people());
  IosBackupBuilder b;
  b.add_file(kDomain, kPath, db);
  auto module = make_contacts_module();
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
}

TEST(Contacts, AbsentTruncatedAndUnknownFiles) {
  TempDir tmp;
  auto module = make_contacts_module();
  IosBackupBuilder empty;
  empty.add_file("HomeDomain", "Library/SMS/sms.db", "x");
  auto absent = st::run_module_on(*module, empty.write(tmp / "none"));
  EXPECT_EQ(absent.status.code, scan::ModuleStatus::kNotPresent) << absent.status.message;

  const std::string db = st::address_book_db(sample_people());
  IosBackupBuilder truncated;
  truncated.add_file(kDomain, kPath, db.substr(0, 3000));
  auto failed = st::run_module_on(*module, truncated.write(tmp / "truncated"));
  EXPECT_EQ(failed.status.code, scan::ModuleStatus::kFailed);
  EXPECT_NE(failed.status.message.find("AddressBook.sqlitedb"), std::string::npos)
      << failed.status.message;

  IosBackupBuilder garbage;
  garbage.add_file(kDomain, kPath, "this is not a database");
  auto bad = st::run_module_on(*module, garbage.write(tmp / "garbage"));
  EXPECT_EQ(bad.status.code, scan::ModuleStatus::kFailed);
}

}  // namespace
}  // namespace spyglass::artifacts::ios
