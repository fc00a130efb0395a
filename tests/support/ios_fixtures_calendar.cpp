#include "support/ios_fixtures_calendar.hpp"

#include <string>

#include "support/ios_fixtures_sql.hpp"

namespace spyglass::testing {
namespace {

// Columns common to both generations, in on-device order; `action` (iOS 11) is spliced in
// after creation_date and the iOS 11 tail is appended.
std::string calendar_item_sql(CalendarSchema schema) {
  const bool ios11 = schema == CalendarSchema::kIos11;
  std::string sql =
      "CREATE TABLE CalendarItem (ROWID INTEGER PRIMARY KEY AUTOINCREMENT,\n    summary TEXT,\n"
      "    location_id INTEGER,\n    client_location_id INTEGER,\n    description TEXT,\n"
      "    start_date REAL,\n    start_tz TEXT,\n    end_date REAL,\n    end_tz TEXT,\n"
      "    all_day INTEGER,\n    calendar_id INTEGER,\n    orig_item_id INTEGER,\n"
      "    orig_date REAL,\n    organizer_id INTEGER,\n    self_attendee_id INTEGER,\n"
      "    status INTEGER,\n    invitation_status INTEGER,\n    availability INTEGER,\n"
      "    privacy_level INTEGER,\n    url TEXT,\n    last_modified REAL,\n"
      "    sequence_num INTEGER,\n    birthday_id INTEGER,\n    modified_properties INTEGER,\n"
      "    external_tracking_status INTEGER,\n    external_id TEXT,\n    external_mod_tag TEXT,\n"
      "    unique_identifier TEXT,\n    external_schedule_id TEXT,\n    external_rep BLOB,\n"
      "    response_comment TEXT,\n    last_synced_response_comment TEXT,\n    hidden INTEGER,\n"
      "    has_recurrences INTEGER,\n    has_attendees INTEGER,\n    UUID TEXT,\n"
      "    entity_type INTEGER,\n    priority INTEGER,\n    due_date REAL,\n    due_tz TEXT,\n"
      "    due_all_day INTEGER,\n    completion_date REAL,\n    creation_date REAL,\n";
  sql += ios11 ? "    action TEXT,\n" : "    conference TEXT,\n";
  sql +=
      "    app_link BLOB,\n    display_order INTEGER,\n    created_by_id INTEGER,\n"
      "    modified_by_id INTEGER,\n    shared_item_created_date REAL,\n"
      "    shared_item_created_tz TEXT,\n    shared_item_modified_date REAL,\n"
      "    shared_item_modified_tz TEXT,\n    invitation_changed_properties INTEGER,\n"
      "    default_alarm_removed INTEGER,\n    phantom_master INTEGER,\n"
      "    participation_status_modified_date REAL,\n    calendar_scale TEXT,\n"
      "    travel_time INTEGER,\n    travel_advisory_behavior INTEGER,\n"
      "    start_location_id INTEGER,\n    suggested_event_info_id INTEGER,\n"
      "    first_alert_date REAL";
  if (ios11) {
    sql +=
        ",\n    proposed_start_date REAL,\n    can_forward INTEGER,\n"
        "    location_prediction_state INTEGER,\n    fired_ttl INTEGER,\n"
        "    disallow_propose_new_time INTEGER,\n    structured_data BLOB,\n"
        "    local_structured_data BLOB,\n    junk_status INTEGER,\n    conference_url TEXT";
  }
  return sql + ");";
}

std::string participant_sql(CalendarSchema schema) {
  if (schema == CalendarSchema::kIos9) {
    return "CREATE TABLE Participant (ROWID INTEGER PRIMARY KEY AUTOINCREMENT,\n"
           "    entity_type INTEGER,\n    type INTEGER,\n    status INTEGER,\n"
           "    pending_status INTEGER,\n    role INTEGER,\n    identity_id INTEGER,\n"
           "    owner_id INTEGER,\n    external_rep BLOB,\n    UUID TEXT,\n    email TEXT,\n"
           "    is_self INTEGER,\n    comment TEXT,\n    schedule_agent INTEGER,\n"
           "    flags INTEGER,\n    last_modified REAL,\n    comment_last_modified REAL);";
  }
  return "CREATE TABLE Participant (ROWID INTEGER PRIMARY KEY AUTOINCREMENT,\n"
         "    entity_type INTEGER,\n    type INTEGER,\n    status INTEGER,\n"
         "    pending_status INTEGER,\n    role INTEGER,\n    identity_id INTEGER,\n"
         "    owner_id INTEGER,\n    external_rep BLOB,\n    UUID TEXT,\n    email TEXT,\n"
         "    phone_number TEXT,\n    is_self INTEGER,\n    comment TEXT,\n"
         "    schedule_agent INTEGER,\n    flags INTEGER,\n    last_modified REAL,\n"
         "    proposed_start_date REAL,\n    invited_by TEXT,\n"
         "    proposed_start_date_status INTEGER,\n    comment_last_modified REAL);";
}

}  // namespace

std::string calendar_db(CalendarSchema schema, const std::vector<CalendarEvent>& events,
                        const std::vector<CalendarParticipant>& participants) {
  SqlFixture db;
  db.exec("CREATE TABLE _SqliteDatabaseProperties (key TEXT,\n    value TEXT,\n    UNIQUE(key));");
  db.exec(calendar_item_sql(schema));
  db.exec(participant_sql(schema));
  db.exec("CREATE INDEX ParticipantOwnerId on Participant(owner_id);");
  for (const CalendarEvent& e : events) {
    db.run(
        "INSERT INTO CalendarItem (ROWID, summary, description, start_date, end_date, all_day, "
        "calendar_id, organizer_id, url, last_modified, hidden, UUID, entity_type, "
        "creation_date, created_by_id) VALUES (?, ?, ?, ?, ?, 0, 1, ?, ?, ?, 0, ?, 2, ?, NULL)",
        {e.rowid, sql_opt(e.summary), sql_opt(e.description), sql_opt(e.start_date),
         sql_opt(e.end_date), sql_opt(e.organizer_id), sql_opt(e.url), sql_opt(e.last_modified),
         sql_opt(e.uuid), sql_opt(e.creation_date)});
  }
  for (const CalendarParticipant& p : participants) {
    if (schema == CalendarSchema::kIos9) {
      db.run(
          "INSERT INTO Participant (ROWID, entity_type, type, status, role, owner_id, UUID, "
          "email, is_self, comment, last_modified) VALUES (?, 8, 1, 0, 0, ?, ?, ?, 0, ?, ?)",
          {p.rowid, p.owner_id, sql_opt(p.uuid), sql_opt(p.email), sql_opt(p.comment),
           sql_opt(p.last_modified)});
    } else {
      db.run(
          "INSERT INTO Participant (ROWID, entity_type, type, status, role, owner_id, UUID, "
          "email, phone_number, is_self, comment, last_modified) "
          "VALUES (?, 8, 1, 0, 0, ?, ?, ?, ?, 0, ?, ?)",
          {p.rowid, p.owner_id, sql_opt(p.uuid), sql_opt(p.email), sql_opt(p.phone_number),
           sql_opt(p.comment), sql_opt(p.last_modified)});
    }
  }
  return db.bytes();
}

}  // namespace spyglass::testing
