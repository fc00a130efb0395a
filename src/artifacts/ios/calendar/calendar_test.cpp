#include "artifacts/ios/calendar/calendar.hpp"

#include <gtest/gtest.h>

#include "formats/json/json_writer.hpp"
#include "support/ios_backup_builder.hpp"
#include "support/ios_fixtures_calendar.hpp"
#include "support/ios_fixtures_module_run.hpp"
#include "support/ios_fixtures_sql.hpp"
#include "support/temp_dir.hpp"
#include "support/time.hpp"

namespace spyglass::artifacts::ios {
namespace {

using matching::ObservableKind;
using testing::CalendarEvent;
using testing::CalendarParticipant;
using testing::CalendarSchema;
using testing::CollectingSink;
using testing::TempDir;

// 2021-07-14 08:00:00 UTC as Mac absolute time.
constexpr double kT0 = 1626249600.0 - 978307200.0;

IosFile calendar_file() {
  IosFile f;
  f.domain = "HomeDomain";
  f.relative_path = "Library/Calendar/Calendar.sqlitedb";
  f.file_id = "2041457d5fe04d39d0ab481178355df6781e6858";
  f.evidence_path = "20/" + f.file_id;
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
  out.result = read_calendar(*db, calendar_file(), out.sink);
  return out;
}

std::vector<CalendarEvent> events() {
  return {
      {1, "Dentist", "Bring card", kT0, kT0 + 3600, kT0 + 10, kT0 - 86400, std::nullopt,
       "11111111-0000-4000-8000-000000000001", std::nullopt},
      {2, "Meeting", "Notes", kT0 + 7200, kT0 + 9000, std::nullopt, kT0 + 100, 7,
       "22222222-0000-4000-8000-000000000002", "https://invite.example/x"},
  };
}

std::vector<CalendarParticipant> participants() {
  return {{7, 2, "33333333-0000-4000-8000-000000000003", "attacker@evil.example", "+15550100",
           std::nullopt, kT0 + 50}};
}

TEST(Calendar, Ios11EventsWithOrganizerAndQuaDreamHeuristic) {
  auto p = parse(testing::calendar_db(CalendarSchema::kIos11, events(), participants()));
  ASSERT_TRUE(p.result) << p.result.error().message;
  ASSERT_EQ(p.sink.records.size(), 2U);
  const scan::Record& dentist = p.sink.records[0];
  EXPECT_TRUE(dentist.observables.empty());
  EXPECT_TRUE(dentist.heuristics.empty());
  ASSERT_EQ(dentist.timeline.size(), 4U);  // no organizer: no participant_last_modified
  EXPECT_EQ(dentist.timeline[0].event, "start_date");
  EXPECT_EQ(dentist.timeline[3].event, "creation_date");
  EXPECT_EQ(dentist.timeline[0].description,
            "Calendar event Dentist (Bring card) (organizer: None)");
  ASSERT_TRUE(dentist.time);
  EXPECT_EQ(format_mvt_time(*dentist.time), "2021-07-14 08:00:00.000000");

  const scan::Record& meeting = p.sink.records[1];
  EXPECT_EQ(json::to_json_line(meeting.data),
            "{\"id\": 2, \"summary\": \"Meeting\", \"description\": \"Notes\", "
            "\"start_date\": \"2021-07-14 10:00:00.000000\", "
            "\"end_date\": \"2021-07-14 10:30:00.000000\", \"all_day\": 0, \"calendar_id\": 1, "
            "\"organizer_id\": 7, \"url\": \"https://invite.example/x\", \"last_modified\": null, "
            "\"external_id\": null, \"external_mod_tag\": null, \"unique_identifier\": null, "
            "\"hidden\": 0, \"uuid\": \"22222222-0000-4000-8000-000000000002\", "
            "\"creation_date\": \"2021-07-14 08:01:40.000000\", \"action\": null, "
            "\"created_by_id\": null, "
            "\"participant_uuid\": \"33333333-0000-4000-8000-000000000003\", "
            "\"participant_email\": \"attacker@evil.example\", "
            "\"participant_phone\": \"+15550100\", \"participant_comment\": null, "
            "\"participant_last_modified\": \"2021-07-14 08:00:50.000000\"}");
  EXPECT_EQ(testing::observed(meeting, ObservableKind::kEmail),
            (std::vector<std::string>{"attacker@evil.example"}));
  EXPECT_EQ(meeting.observables[0].level, report::AlertLevel::kCritical);
  ASSERT_EQ(meeting.timeline.size(), 4U);
  EXPECT_EQ(meeting.timeline[3].event, "participant_last_modified");
  EXPECT_EQ(testing::findings(p.sink),
            (std::vector<std::string>{
                "HIGH: Potential QuaDream exploit calendar event (\"Meeting\" with notes "
                "\"Notes\"): 22222222-0000-4000-8000-000000000002 (organizer: "
                "attacker@evil.example)"}));
  EXPECT_NE(meeting.provenance.locator.find("CalendarItem ROWID 2"), std::string::npos);
}

TEST(Calendar, Ios9SchemaWithoutActionAndPhone) {
  auto p = parse(testing::calendar_db(CalendarSchema::kIos9, events(), participants()));
  ASSERT_TRUE(p.result) << p.result.error().message;
  ASSERT_EQ(p.sink.records.size(), 2U);
  const scan::Record& meeting = p.sink.records[1];
  EXPECT_TRUE(meeting.data.find("action")->is_null());
  EXPECT_TRUE(meeting.data.find("participant_phone")->is_null());
  EXPECT_EQ(testing::data_text(meeting, "participant_email"), "attacker@evil.example");
  EXPECT_EQ(testing::findings(p.sink).size(), 1U);
}

TEST(Calendar, NearMissesAndHostileValuesAreNotFlagged) {
  auto e = events();
  e[1].summary = "meeting";  // case differs
  e.push_back({3, "Meeting", "Notes ", kT0, std::nullopt, std::nullopt, std::nullopt, 99,
               std::nullopt, std::nullopt});  // dangling organizer, trailing space
  e.push_back({4, std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt,
               std::nullopt, std::nullopt, std::nullopt, std::nullopt});
  auto p = parse(testing::calendar_db(CalendarSchema::kIos11, e, participants()));
  ASSERT_TRUE(p.result) << p.result.error().message;
  ASSERT_EQ(p.sink.records.size(), 4U);
  EXPECT_TRUE(testing::findings(p.sink).empty());
  EXPECT_TRUE(p.sink.records[2].observables.empty());
  EXPECT_TRUE(p.sink.records[3].timeline.empty());
  EXPECT_FALSE(p.sink.records[3].time);
}

TEST(Calendar, UnknownSchemaAndCorruptFilesFailWithADiagnostic) {
  testing::SqlFixture none;
  none.exec("CREATE TABLE Store (ROWID INTEGER PRIMARY KEY, name TEXT);");
  auto p = parse(none.bytes());
  ASSERT_FALSE(p.result);
  EXPECT_EQ(p.result.error().code, ErrorCode::kMalformed);
  EXPECT_NE(p.result.error().message.find("CalendarItem"), std::string::npos)
      << p.result.error().message;

  testing::SqlFixture partial;
  partial.exec("CREATE TABLE CalendarItem (ROWID INTEGER PRIMARY KEY, summary TEXT);");
  p = parse(partial.bytes());
  ASSERT_FALSE(p.result);
  EXPECT_NE(p.result.error().message.find("organizer_id"), std::string::npos)
      << p.result.error().message;

  // No Participant table: events without organizers.
  testing::SqlFixture lone;
  lone.exec(
      "CREATE TABLE CalendarItem (ROWID INTEGER PRIMARY KEY, summary TEXT, description "
      "TEXT, start_date REAL, end_date REAL, organizer_id INTEGER);"
      "INSERT INTO CalendarItem VALUES (1, 'Meeting', 'Notes', 'garbage', NULL, 5);");
  p = parse(lone.bytes());
  ASSERT_TRUE(p.result) << p.result.error().message;
  ASSERT_EQ(p.sink.records.size(), 1U);
  EXPECT_EQ(testing::data_text(p.sink.records[0], "start_date"), "garbage");
  EXPECT_EQ(testing::findings(p.sink).size(), 1U);

  const std::string db = testing::calendar_db(CalendarSchema::kIos11, events(), participants());
  p = parse(db.substr(0, db.size() / 2));
  EXPECT_FALSE(p.result);
}

TEST(Calendar, ModuleReadsTheBackupAndReportsAbsence) {
  EXPECT_EQ(testing::IosBackupBuilder::file_id("HomeDomain", "Library/Calendar/Calendar.sqlitedb"),
            "2041457d5fe04d39d0ab481178355df6781e6858");
  TempDir tmp;
  testing::IosBackupBuilder b;
  b.add_file("HomeDomain", "Library/Calendar/Calendar.sqlitedb",
             testing::calendar_db(CalendarSchema::kIos11, events(), participants()));
  auto module = make_calendar_module();
  EXPECT_EQ(module->spec().slug, "calendar");
  auto run = testing::run_module_on(*module, b.write(tmp.path() / "ok"));
  ASSERT_EQ(run.status.code, scan::ModuleStatus::kOk) << run.status.message;
  EXPECT_EQ(run.sink.records.size(), 2U);

  testing::IosBackupBuilder empty;
  empty.add_file("HomeDomain", "Library/SMS/sms.db", "x");
  auto absent = testing::run_module_on(*module, empty.write(tmp.path() / "none"));
  EXPECT_EQ(absent.status.code, scan::ModuleStatus::kNotPresent) << absent.status.message;

  testing::IosBackupBuilder bad;
  bad.add_file("HomeDomain", "Library/Calendar/Calendar.sqlitedb", "not sqlite");
  auto failed = testing::run_module_on(*module, bad.write(tmp.path() / "bad"));
  EXPECT_EQ(failed.status.code, scan::ModuleStatus::kFailed);
  EXPECT_NE(failed.status.message.find("Calendar.sqlitedb"), std::string::npos)
      << failed.status.message;
}

}  // namespace
}  // namespace spyglass::artifacts::ios
